#include "run_list_model.h"

#include "plot_style.h"
#include "run_manager.h"
#include "run_variation.h"

#include <QFont>

#include <algorithm>

namespace fxlab::gui {

namespace {

// The Okabe-Ito palette, ordered so that the first runs get the most distinct colours.
const std::vector<QColor>& comparisonColours()
{
    static const std::vector<QColor> colours{plot_style::kBlue,    plot_style::kVermillion, plot_style::kGreen,
                                             plot_style::kOrange,  plot_style::kSkyBlue,    QColor(204, 121, 167),
                                             plot_style::kGrey,    QColor(0, 0, 0)};
    return colours;
}

std::optional<double> latestTestAccuracy(const Snapshot& snapshot)
{
    for (auto row = snapshot.rows.rbegin(); row != snapshot.rows.rend(); ++row)
        if (row->testAccuracy)
            return row->testAccuracy;
    return std::nullopt;
}

} // namespace

RunListModel::RunListModel(RunManager* runs, QObject* parent) : QAbstractTableModel(parent), runs_(runs)
{
    connect(runs_, &RunManager::runsChanged, this, &RunListModel::followRuns);
    connect(runs_, &RunManager::runSnapshotChanged, this, [this](int index, const SnapshotPointer&) {
        followSnapshot(index);
    });
    followRuns();
}

void RunListModel::followRuns()
{
    beginResetModel();
    std::map<const RunController*, int> colours;
    std::map<const RunController*, bool> compared;
    for (int row = 0; row < runs_->runCount(); ++row) {
        const RunController* run = runs_->run(row);
        if (const auto known = colourIndex_.find(run); known != colourIndex_.end()) {
            colours[run] = known->second;
            compared[run] = compared_.at(run);
        }
    }

    // A new run starts checked, with the first colour that no remaining run has, so that two runs
    // share a colour only when there are more runs than colours.
    const int paletteSize = int(comparisonColours().size());
    for (int row = 0; row < runs_->runCount(); ++row) {
        const RunController* run = runs_->run(row);
        if (colours.count(run))
            continue;
        int colour = 0;
        const auto taken = [&](int candidate) {
            return std::any_of(colours.begin(), colours.end(),
                               [&](const auto& entry) { return entry.second == candidate; });
        };
        while (colour < paletteSize && taken(colour))
            ++colour;
        colours[run] = colour % paletteSize;
        compared[run] = true;
    }

    const bool comparisonChanged = compared != compared_;
    colourIndex_ = std::move(colours);
    compared_ = std::move(compared);
    endResetModel();
    if (comparisonChanged)
        emit comparedRunsChanged();
}

void RunListModel::followSnapshot(int row)
{
    if (row < 0 || row >= rowCount())
        return;
    emit dataChanged(index(row, ExperimentColumn), index(row, TestAccuracyColumn), {Qt::DisplayRole});
}

int RunListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : runs_->runCount();
}

int RunListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case NameColumn:
            return "Run";
        case ExperimentColumn:
            return "Preset or experiment";
        case BackendColumn:
            return "Backend";
        case PrecisionColumn:
            return "Precision";
        case StateColumn:
            return "State";
        case StepColumn:
            return "Step";
        case TestAccuracyColumn:
            return "Test accuracy";
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case NameColumn:
            return "Double-click to rename. Checked runs are overlaid in the run comparison.";
        case PrecisionColumn:
            return "Word bits of weights (w), activations (a) and gradients (g), with any rounding "
                   "other than nearest-even";
        case TestAccuracyColumn:
            return "The latest test evaluation of the run";
        }
    }
    return {};
}

Qt::ItemFlags RunListModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (index.column() == NameColumn)
        flags |= Qt::ItemIsEditable | Qt::ItemIsUserCheckable;
    return flags;
}

QVariant RunListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const RunController* run = runs_->run(index.row());
    const SnapshotPointer snapshot = run->latestSnapshot();

    if (role == Qt::FontRole && index.row() == runs_->currentIndex()) {
        QFont font;
        font.setBold(true);
        return font;
    }
    if (index.column() == NameColumn) {
        if (role == Qt::CheckStateRole)
            return isCompared(index.row()) ? Qt::Checked : Qt::Unchecked;
        if (role == Qt::DecorationRole)
            return colourOf(run);
        if (role == Qt::ToolTipRole)
            return index.row() == runs_->currentIndex() ? "The current run: the views show it" : "Select to show it";
    }
    if (role == Qt::TextAlignmentRole && (index.column() == StepColumn || index.column() == TestAccuracyColumn))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};

    switch (index.column()) {
    case NameColumn:
        return run->name();
    case ExperimentColumn:
        return QString::fromStdString(run->experiment().name);
    case BackendColumn:
        return QString::fromStdString(snapshot && !snapshot->backend.empty() ? snapshot->backend
                                                                              : run->backend().name);
    case PrecisionColumn:
        return precisionSummary(run->experiment());
    case StateColumn:
        return QString::fromLatin1(toString(snapshot ? snapshot->state : RunState::Idle));
    case StepColumn:
        return snapshot ? snapshot->step : 0u;
    case TestAccuracyColumn: {
        const auto accuracy = snapshot ? latestTestAccuracy(*snapshot) : std::nullopt;
        return accuracy ? QString::number(100 * *accuracy, 'f', 1) + " %" : QString("\u2013");
    }
    }
    return {};
}

bool RunListModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || index.column() != NameColumn)
        return false;
    if (role == Qt::CheckStateRole) {
        setCompared(index.row(), value.toInt() == Qt::Checked);
        return true;
    }
    if (role == Qt::EditRole) {
        const QString name = value.toString().trimmed();
        if (name.isEmpty())
            return false;
        runs_->renameRun(index.row(), name);
        return true;
    }
    return false;
}

bool RunListModel::isCompared(int row) const
{
    if (row < 0 || row >= rowCount())
        return false;
    const auto found = compared_.find(runs_->run(row));
    return found != compared_.end() && found->second;
}

void RunListModel::setCompared(int row, bool compared)
{
    if (row < 0 || row >= rowCount() || isCompared(row) == compared)
        return;
    compared_[runs_->run(row)] = compared;
    emit dataChanged(index(row, NameColumn), index(row, NameColumn), {Qt::CheckStateRole});
    emit comparedRunsChanged();
}

std::vector<RunController*> RunListModel::comparedRuns() const
{
    std::vector<RunController*> runs;
    for (int row = 0; row < rowCount(); ++row)
        if (isCompared(row))
            runs.push_back(runs_->run(row));
    return runs;
}

QColor RunListModel::colourOf(const RunController* run) const
{
    const auto found = colourIndex_.find(run);
    const int colour = found == colourIndex_.end() ? 0 : found->second;
    const std::vector<QColor>& colours = comparisonColours();
    return colours[size_t(colour) % colours.size()];
}

} // namespace fxlab::gui
