// The precision of every layer as a table: one row per layer, one column per tensor kind. Edits
// are validated with the core rules and sent out as a whole new precision plan.
#pragma once

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
    enum Column { NameColumn, TypeColumn, OutputColumn, FirstKindColumn };
    static constexpr int kColumnCount = FirstKindColumn + kTensorKindCount;

    // Roles of the tensor-kind cells beside the display text. Qt::EditRole reads and writes a
    // whole TensorPrecision; the others read and write one field.
    enum Role {
        PrecisionRole = Qt::UserRole + 1,  // TensorPrecision, as in the plan
        WordBitsRole,                      // int
        FractionalLengthRole,              // int: the value in use now
        RoundingRole,                      // QString, e.g. "nearest-even"
        DataDrivenRole,                    // bool: a policy chooses the fractional length
    };

    explicit LayerTableModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    // Takes the network, plan and current fractional lengths of `snapshot`. Rows are rebuilt only
    // when the network changes, so open editors and the selection survive updates.
    void showSnapshot(const Snapshot& snapshot);

    static std::optional<TensorKind> kindOfColumn(int column);
    static int columnOf(TensorKind kind) { return FirstKindColumn + int(kind); }
    const NetworkSpec& network() const { return network_; }
    const PrecisionPlan& plan() const { return plan_; }
    // The fractional length in use at the latest step, when the run has taken one.
    std::optional<int> currentFractionalLength(int layer, TensorKind kind) const;

signals:
    // A valid edit: the whole plan with the change, for TrainingWorker::setPrecision.
    void precisionEdited(const fxlab::PrecisionPlan& plan);
    // An invalid edit, with the reason from the core validation.
    void editRejected(const QString& reason);

private:
    QString cellText(int layer, TensorKind kind) const;
    QString cellToolTip(int layer, TensorKind kind) const;
    QString tensorName(int layer, TensorKind kind) const;
    std::optional<TensorPrecision> editedPrecision(int layer, TensorKind kind, const QVariant& value, int role);
    bool reject(const QString& reason);
    void emitKindCellsChanged();

    NetworkSpec network_;
    std::vector<Shape> outputShapes_;
    PrecisionPlan plan_;
    std::vector<int> fractionalLengths_;  // layer * kTensorKindCount + kind; empty before the first step
};

} // namespace fxlab::gui
