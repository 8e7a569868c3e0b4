// The runs of a RunManager as a table: name (editable, with the checkbox that puts the run in the
// comparison and its comparison colour), experiment, backend, precision summary, state, step and
// latest test accuracy. The current run is shown in bold.
#pragma once

#include <QAbstractTableModel>
#include <QColor>

#include <map>
#include <vector>

namespace fxlab::gui {

class RunController;
class RunManager;

class RunListModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { NameColumn, ExperimentColumn, BackendColumn, PrecisionColumn, StateColumn, StepColumn,
                  TestAccuracyColumn, ColumnCount };

    explicit RunListModel(RunManager* runs, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    // Renames the run (EditRole on the name) or checks it for comparison (CheckStateRole).
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    RunManager* runManager() const { return runs_; }
    bool isCompared(int row) const;
    void setCompared(int row, bool compared);
    // The runs checked for comparison, in list order.
    std::vector<RunController*> comparedRuns() const;
    // The run's colour in the comparison plot; it keeps it for as long as it exists.
    QColor colourOf(const RunController* run) const;

signals:
    // The set of checked runs changed.
    void comparedRunsChanged();

private:
    void followRuns();
    void followSnapshot(int row);

    RunManager* runs_;
    // Runs seen so far, with their colour index; a new run starts checked.
    std::map<const RunController*, int> colourIndex_;
    std::map<const RunController*, bool> compared_;
};

} // namespace fxlab::gui
