// "Duplicate with one change": copies a run's experiment, lets the user change exactly one setting,
// names the new run after the change and checks that the change is valid and real.
#pragma once

#include "model/experiment.h"
#include "run_variation.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QStackedWidget;

namespace fxlab::gui {

class DuplicateRunDialog : public QDialog {
    Q_OBJECT

public:
    DuplicateRunDialog(const Experiment& source, const QString& sourceRunName, QWidget* parent = nullptr);

    RunVariation variation() const;
    // Selects the variation's setting and value in the dialog's widgets.
    void setVariation(const RunVariation& variation);
    // The source experiment with the change, or the reason it cannot be made (also shown).
    const VariedExperiment& result() const { return result_; }
    QString runName() const;
    // Whether the source run is started too (when idle or paused), so that both train.
    bool startsBoth() const;

private:
    void chooseSetting();
    void update();

    Experiment source_;
    QString sourceRunName_;
    VariedExperiment result_;
    QString suggestedName_;

    QComboBox* setting_;
    QLabel* currentValue_;
    QStackedWidget* editors_;
    QSpinBox* wordBits_;
    QComboBox* rounding_;
    QComboBox* overflow_;
    QDoubleSpinBox* learningRate_;
    QSpinBox* batchSize_;
    QSpinBox* seed_;
    QComboBox* masterWeights_;
    QComboBox* preset_;
    QLineEdit* name_;
    QCheckBox* startBoth_;
    QLabel* error_;
    QDialogButtonBox* buttons_;
};

} // namespace fxlab::gui
