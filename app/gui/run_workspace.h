// The runs side of the window: the run list, run comparison and presets docks, and the Run menu
// (training commands, duplicate with one change, next and previous run, rename, remove). It also
// loads presets into the current run or starts them as new runs.
#pragma once

#include "model/experiment.h"

#include <QObject>

class QAction;

namespace fxlab::gui {

class DuplicateRunDialog;
class MainWindow;
class PresetsView;
class RunComparisonView;
class RunController;
class RunListModel;
class RunListView;

class RunWorkspace : public QObject {
    Q_OBJECT

public:
    explicit RunWorkspace(MainWindow* window);

    RunListModel* runListModel() const { return model_; }
    RunListView* runListView() const { return runList_; }
    RunComparisonView* comparisonView() const { return comparison_; }
    PresetsView* presetsView() const { return presets_; }

    // Opens the "Duplicate with one change" dialog for the current run; accepting it adds and
    // starts the new run.
    DuplicateRunDialog* openDuplicateDialog();
    // Adds a run of `experiment` named `name` with the current run's backend and data, makes it
    // current and starts it. With `startSource`, an idle or paused source run starts too.
    RunController* startVariedRun(const Experiment& experiment, const QString& name, bool startSource);
    // Adds an idle run of `experiment` named `name` (or `name (2)`, ... when taken) with the
    // current run's backend, data and step limit, and makes it current.
    RunController* addVariedRun(const Experiment& experiment, const QString& name);

    // Gives the current run the preset's precision (network, training settings and data stay).
    // For a run with progress, the user must confirm first in a message box, which is open when
    // this returns.
    void loadPreset(const QString& preset);
    // Adds a run of the current network with the preset's precision and starts it.
    RunController* startPresetAsNewRun(const QString& preset);
    // The same, but the run stays idle; null for an unknown preset.
    RunController* addPresetRun(const QString& preset);

private:
    void createDocks();
    void createRunMenu();
    std::optional<Experiment> presetForCurrentRun(const QString& preset) const;
    void renameCurrentRun();
    void removeCurrentRun();
    void selectNeighbourRun(int offset);
    QString unusedRunName(const QString& wanted) const;

    MainWindow* window_;
    RunListModel* model_;
    RunListView* runList_;
    RunComparisonView* comparison_;
    PresetsView* presets_;
};

} // namespace fxlab::gui
