// The precision matrix as a table model: a row for the network's input and one per layer, a
// column per tensor kind. It shows the edited experiment of an ExperimentDocument and changes it
// through the document, so every edit can be undone. Tensors a layer does not have are disabled.
#pragma once

#include "experiment_document.h"
#include "train/snapshot.h"

#include <QAbstractTableModel>

#include <optional>
#include <vector>

Q_DECLARE_METATYPE(fxlab::TensorPrecision)
Q_DECLARE_METATYPE(fxlab::PrecisionPlan)

namespace fxlab::gui {

class LayerTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { FirstKindColumn = 0 };
    static constexpr int kColumnCount = kTensorKindCount;
    static constexpr int kInputRow = 0;

    // Roles of the cells beside the display text. Qt::EditRole reads and writes a whole
    // TensorPrecision; the others read and write one field.
    enum Role {
        PrecisionRole = Qt::UserRole + 1,  // TensorPrecision, as in the plan
        WordBitsRole,                      // int
        FractionalLengthRole,              // int: the value in use now
        RoundingRole,                      // QString, e.g. "nearest-even"
        DataDrivenRole,                    // bool: a policy chooses the fractional length
        PresentRole,                       // bool: the layer has this tensor
        LineVariantsRole,                  // QVariantList of QStringList: each line of the display text with
                                           // shorter versions for narrow columns, longest first
    };

    explicit LayerTableModel(ExperimentDocument* document, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    // Takes the fractional lengths that the data-driven policies chose at the snapshot's step,
    // when the snapshot's network is the one shown.
    void showSnapshot(const Snapshot& snapshot);

    static std::optional<TensorKind> kindOfColumn(int column);
    static int columnOf(TensorKind kind) { return FirstKindColumn + int(kind); }
    static int rowOfLayer(int layer) { return layer + 1; }
    // The layer of a row, TensorCell::kInputLayer for the input row.
    static int layerOfRow(int row) { return row - 1; }
    QModelIndex indexOf(int layer, TensorKind kind) const { return index(rowOfLayer(layer), columnOf(kind)); }
    // The tensor of a cell; the input row's only tensor sits in the activations column.
    std::optional<TensorCell> cellAt(const QModelIndex& index) const;
    QModelIndex indexOf(const TensorCell& cell) const;

    ExperimentDocument* document() const { return document_; }
    const NetworkSpec& network() const { return document_->network(); }
    const PrecisionPlan& plan() const { return document_->plan(); }
    // The fractional length in use at the latest step, when the run has taken one.
    std::optional<int> currentFractionalLength(const TensorCell& cell) const;

    // Applies `change` to `cells` as one undo step; emits editRejected with the reason and
    // returns false when the document rejects it.
    bool applyChange(const std::vector<TensorCell>& cells, const PrecisionChange& change);

signals:
    // A valid edit: the whole plan with the change.
    void precisionEdited(const fxlab::PrecisionPlan& plan);
    // An invalid edit, with the reason from the core validation.
    void editRejected(const QString& reason);

private:
    bool reject(const QString& reason);
    void followNetwork();
    // Shows the fractional lengths of the latest snapshot when its network is the one shown;
    // returns whether the shown values changed.
    bool takeSnapshotLengths();
    void emitCellsChanged();

    // The fractional lengths of the latest snapshot and the network they belong to.
    struct SnapshotLengths {
        NetworkSpec network;
        std::vector<int> layers;
        std::optional<int> input;
    };

    ExperimentDocument* document_;
    int shownLayers_ = 0;
    SnapshotLengths snapshotLengths_;
    std::vector<int> fractionalLengths_;  // layer * kTensorKindCount + kind; empty before the first step
    std::optional<int> inputFractionalLength_;
};

} // namespace fxlab::gui
