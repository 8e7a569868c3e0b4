// The editor of tensor precisions. For one tensor it edits every field: float or fixed point, word
// bits, the fractional length or the policy that chooses it and how often, rounding and overflow.
// For several tensors (a bulk edit) each field has a check box, and only the ticked fields change.
// The core validation runs as the user types: the reason for an invalid value is shown and Apply
// stays disabled, so nothing invalid is ever applied.
#pragma once

#include "experiment_document.h"

#include <QDialog>

#include <optional>
#include <vector>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QRadioButton;
class QSpinBox;

namespace fxlab::gui {

class PrecisionDialog : public QDialog {
    Q_OBJECT

public:
    // `cells` are the tensors to edit, all present in `document`. With one cell the dialog is
    // filled with its precision; `currentFractionalLength` is what its policy chose last.
    PrecisionDialog(const ExperimentDocument* document, std::vector<TensorCell> cells,
                    std::optional<int> currentFractionalLength, QWidget* parent = nullptr);

    bool isBulk() const { return cells_.size() > 1; }
    // The change that Apply makes, and the tensors it makes it to: in a bulk edit that does not
    // set the format to fixed point, float tensors are left out, because they have no fixed-point
    // fields to change.
    PrecisionChange change() const;
    std::vector<TensorCell> targetCells() const;
    // The reason the values entered are rejected, in the words of the core validation; empty when
    // they are valid. Apply is also disabled, without a reason, while no field is ticked.
    QString problem() const;

    // Fields whose check box a bulk edit uses; public so that tests can tick them.
    enum class Field { Format, WordBits, Policy, FractionalLength, Interval, Rounding, Overflow };
    QCheckBox* fieldBox(Field field) const;

private:
    void buildFields();
    void fill(const TensorPrecision& precision, std::optional<int> currentFractionalLength);
    void markChanged(Field field);
    bool fieldSet(Field field) const;
    void updateState();
    QString previewText(const PrecisionChange& change) const;
    QString summaryText() const;

    const ExperimentDocument* document_;
    std::vector<TensorCell> cells_;

    QRadioButton* fixedChoice_ = nullptr;
    QRadioButton* floatChoice_ = nullptr;
    QSpinBox* wordBits_ = nullptr;
    QComboBox* policy_ = nullptr;
    QSpinBox* fractionalLength_ = nullptr;
    QRadioButton* onceChoice_ = nullptr;
    QRadioButton* everyChoice_ = nullptr;
    QSpinBox* interval_ = nullptr;
    QComboBox* rounding_ = nullptr;
    QComboBox* overflow_ = nullptr;
    std::vector<std::pair<Field, QCheckBox*>> fieldBoxes_;
    QLabel* preview_ = nullptr;
    QLabel* problem_ = nullptr;
    QDialogButtonBox* buttons_ = nullptr;
    QString problemText_;
};

} // namespace fxlab::gui
