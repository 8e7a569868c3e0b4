// The fxlab window: training controls, loss and accuracy curves, the histogram of a selected
// tensor, the precision table and the saturation counters. Each run trains in a TrainingWorker on
// a thread of its own (RunManager); the window only sends commands to the current run and draws
// the snapshots it returns.
#pragma once

#include "backend/backend_factory.h"
#include "run_manager.h"
#include "train/training_worker.h"

#include <QMainWindow>

#include <cstdint>
#include <functional>
#include <memory>

class QAction;
class QComboBox;
class QDockWidget;
class QMenu;
class QModelIndex;
class QTableView;

namespace fxlab::gui {

class BackendSelector;
class ExperimentEditing;
class HistogramView;
class LayerTableModel;
class PresentationMode;
class RunStatusBar;
class RunWorkspace;
class SampleView;
class SaturationCountersView;
class SaturationHeatmap;
class TimelineBar;
class TrainingPlots;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Replaces the run with a new, idle one of `experiment`.
    void loadExperiment(const Experiment& experiment, const BackendChoice& backend);
    // Trains on `data` instead of the experiment's data folder, for tests and demos that must not
    // depend on files. Call it before starting; it discards a run in progress.
    void setTrainingData(std::shared_ptr<const DatasetPair> data);
    // Pauses the run once this many steps are done (0: no limit).
    void setStopAfter(uint32_t steps);
    // Whether a failed run also opens a message box; off for unattended runs.
    void setErrorDialogsEnabled(bool enabled) { errorDialogsEnabled_ = enabled; }

    // Disables Start and Step once while `reason` is not empty; the network builder sets it while
    // the edited network cannot train.
    void setStartBlocked(const QString& reason);

    void start();
    void pause();
    void stepOnce();
    void reset();

    // Draws every plot now rather than at the next event loop turn, so that grab() shows the
    // latest snapshot.
    void replotNow();
    // Pauses the worker, stops its thread and waits for it; the window sends nothing afterwards.
    void shutDownWorker();

    // Adds `content` as a dock titled `title` with a toggle in the View menu. Views call it from
    // createLayout(); `objectName` keeps the dock's place when the layout is saved.
    QDockWidget* addDock(const QString& objectName, const QString& title, QWidget* content, Qt::DockWidgetArea area);

    SnapshotPointer latestSnapshot() const { return latest_; }
    RunManager* runManager() const { return runs_; }
    LayerTableModel* layerTableModel() const { return tableModel_; }
    QTableView* layerTable() const { return table_; }
    TrainingPlots* trainingPlots() const { return plots_; }
    HistogramView* histogramView() const { return histogram_; }
    SaturationHeatmap* saturationHeatmap() const { return heatmap_; }
    SampleView* sampleView() const { return samples_; }
    TimelineBar* timelineBar() const { return timeline_; }
    RunStatusBar* runStatusBar() const { return statusBar_; }
    ExperimentEditing* experimentEditing() const { return editing_; }
    QMenu* fileMenu() const { return fileMenu_; }
    QMenu* editMenu() const { return editMenu_; }
    RunWorkspace* runWorkspace() const { return runWorkspace_; }
    PresentationMode* presentationMode() const { return presentationMode_; }

    // Restores the window layout and preferences from QSettings now and saves them when the
    // window closes. Off by default, so that tests and unattended screenshots leave them alone.
    void restoreAndKeepSettings();

signals:
    // Emitted after every view has taken `snapshot`.
    void snapshotShown(fxlab::SnapshotPointer snapshot);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createToolBar();
    void createLayout();
    // Adds the heatmap and sample docks and the timeline; defined in watch_views.cpp.
    void createWatchViews();
    void showSnapshot(const SnapshotPointer& snapshot);
    void updateActions(RunState state);
    void reportFailure(const Snapshot& snapshot);
    void fillPresetChoice();
    void choosePreset(int index);
    // Moves the current run to `backend`, from its current parameters.
    void chooseBackend(const BackendChoice& backend);
    void followTableSelection(const QModelIndex& current);
    void selectFirstWeightedLayer();
    // Takes the experiment, title and preset of the run that became current.
    void followCurrentRun();

    RunManager* runs_ = nullptr;

    QAction* startAction_ = nullptr;
    QAction* pauseAction_ = nullptr;
    QAction* stepAction_ = nullptr;
    QAction* resetAction_ = nullptr;
    QComboBox* presetChoice_ = nullptr;
    BackendSelector* backendChoice_ = nullptr;
    QMenu* fileMenu_ = nullptr;
    QMenu* editMenu_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    TrainingPlots* plots_ = nullptr;
    HistogramView* histogram_ = nullptr;
    LayerTableModel* tableModel_ = nullptr;
    QTableView* table_ = nullptr;
    SaturationCountersView* counters_ = nullptr;
    SaturationHeatmap* heatmap_ = nullptr;
    SampleView* samples_ = nullptr;
    TimelineBar* timeline_ = nullptr;
    RunStatusBar* statusBar_ = nullptr;
    ExperimentEditing* editing_ = nullptr;
    QString startBlockedReason_;
    QString startToolTip_;
    RunWorkspace* runWorkspace_ = nullptr;
    PresentationMode* presentationMode_ = nullptr;
    bool keepsSettings_ = false;

    Experiment experiment_;
    BackendChoice backend_;
    SnapshotPointer latest_;
    RunState shownState_ = RunState::Idle;
    bool errorDialogsEnabled_ = true;
};

} // namespace fxlab::gui
