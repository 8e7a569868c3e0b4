#include "run_workspace.h"

#include "duplicate_run_dialog.h"
#include "gui_logging.h"
#include "main_window.h"
#include "model/presets.h"
#include "presets_view.h"
#include "run_comparison_view.h"
#include "run_list_model.h"
#include "run_list_view.h"
#include "run_manager.h"

#include <QAction>
#include <QDockWidget>
#include <QInputDialog>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>

namespace fxlab::gui {

RunWorkspace::RunWorkspace(MainWindow* window) : QObject(window), window_(window)
{
    model_ = new RunListModel(window->runManager(), this);
    createDocks();
    createRunMenu();

    connect(runList_, &RunListView::duplicateRequested, this, &RunWorkspace::openDuplicateDialog);
    connect(runList_, &RunListView::renameRequested, this, &RunWorkspace::renameCurrentRun);
    connect(runList_, &RunListView::removeRequested, this, &RunWorkspace::removeCurrentRun);
    connect(presets_, &PresetsView::loadRequested, this, &RunWorkspace::loadPreset);
    connect(presets_, &PresetsView::newRunRequested, this, &RunWorkspace::startPresetAsNewRun);
    // The presets panel shows the preset of the current run, if it is one.
    connect(window->runManager(), &RunManager::runsChanged, this, [this] {
        if (const RunController* run = window_->runManager()->currentRun())
            presets_->selectPreset(QString::fromStdString(run->experiment().name));
    });
}

void RunWorkspace::createDocks()
{
    runList_ = new RunListView(model_);
    comparison_ = new RunComparisonView(model_);
    presets_ = new PresetsView;

    // The run list and the presets share the bottom tab bar with the precision table, and the
    // comparison the right one with the histogram, so that the default layout stays uncrowded.
    QDockWidget* runs = window_->addDock("runsDock", "Runs", runList_, Qt::BottomDockWidgetArea);
    QDockWidget* presets = window_->addDock("presetsDock", "Presets", presets_, Qt::BottomDockWidgetArea);
    QDockWidget* comparison =
        window_->addDock("runComparisonDock", "Comparison", comparison_,
                         Qt::RightDockWidgetArea);
    if (auto* precision = window_->findChild<QDockWidget*>("precisionDock")) {
        window_->tabifyDockWidget(precision, runs);
        window_->tabifyDockWidget(precision, presets);
        precision->raise();
    }
    if (auto* histogram = window_->findChild<QDockWidget*>("histogramDock")) {
        window_->tabifyDockWidget(histogram, comparison);
        histogram->raise();
    }
}

void RunWorkspace::createRunMenu()
{
    QMenu* menu = window_->menuBar()->addMenu("&Run");
    menu->setObjectName("runMenu");
    for (const char* name : {"startAction", "pauseAction", "stepAction", "resetAction"})
        if (QAction* action = window_->findChild<QAction*>(name))
            menu->addAction(action);
    menu->addSeparator();

    QAction* duplicate = menu->addAction("&Duplicate with one change\u2026");
    duplicate->setObjectName("duplicateRunAction");
    duplicate->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    connect(duplicate, &QAction::triggered, this, &RunWorkspace::openDuplicateDialog);

    QAction* next = menu->addAction("&Next run");
    next->setObjectName("nextRunAction");
    next->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageDown));
    connect(next, &QAction::triggered, this, [this] { selectNeighbourRun(1); });
    QAction* previous = menu->addAction("&Previous run");
    previous->setObjectName("previousRunAction");
    previous->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageUp));
    connect(previous, &QAction::triggered, this, [this] { selectNeighbourRun(-1); });

    menu->addSeparator();
    QAction* rename = menu->addAction("Re&name run\u2026");
    rename->setObjectName("renameRunAction");
    connect(rename, &QAction::triggered, this, &RunWorkspace::renameCurrentRun);
    QAction* remove = menu->addAction("Re&move run");
    remove->setObjectName("removeRunAction");
    connect(remove, &QAction::triggered, this, &RunWorkspace::removeCurrentRun);
}

DuplicateRunDialog* RunWorkspace::openDuplicateDialog()
{
    const RunController* source = window_->runManager()->currentRun();
    if (!source)
        return nullptr;
    auto* dialog = new DuplicateRunDialog(source->experiment(), source->name(), window_);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (dialog->result().experiment)
            startVariedRun(*dialog->result().experiment, dialog->runName(), dialog->startsBoth());
    });
    dialog->open();
    return dialog;
}

RunController* RunWorkspace::addVariedRun(const Experiment& experiment, const QString& name)
{
    RunManager* runs = window_->runManager();
    RunController* source = runs->currentRun();
    if (!source)
        return nullptr;
    qCInfo(logGui).noquote() << "adding run" << name << "beside" << source->name();
    RunController* added = runs->addRun(unusedRunName(name), experiment, source->backend());
    if (source->trainingData())
        added->setTrainingData(source->trainingData());
    if (source->stopAfter() > 0)
        added->setStopAfter(source->stopAfter());
    return added;
}

RunController* RunWorkspace::startVariedRun(const Experiment& experiment, const QString& name, bool startSource)
{
    RunController* source = window_->runManager()->currentRun();
    if (!source)
        return nullptr;
    const SnapshotPointer sourceSnapshot = source->latestSnapshot();
    const RunState sourceState = sourceSnapshot ? sourceSnapshot->state : RunState::Idle;

    RunController* added = addVariedRun(experiment, name);
    added->start();
    if (startSource && (sourceState == RunState::Idle || sourceState == RunState::Paused))
        source->start();
    return added;
}

std::optional<Experiment> RunWorkspace::presetForCurrentRun(const QString& preset) const
{
    const RunController* run = window_->runManager()->currentRun();
    if (!run)
        return std::nullopt;
    Experiment experiment = run->experiment();
    const auto plan = presetPrecision(preset.toStdString(), experiment.network);
    if (!plan)
        return std::nullopt;
    experiment.precision = *plan;
    experiment.name = preset.toStdString();
    for (const Preset& known : presets())
        if (known.name == experiment.name)
            experiment.description = known.explanation;
    return experiment;
}

void RunWorkspace::loadPreset(const QString& preset)
{
    const RunController* run = window_->runManager()->currentRun();
    const auto experiment = presetForCurrentRun(preset);
    if (!run || !experiment)
        return;
    const SnapshotPointer snapshot = run->latestSnapshot();
    const uint32_t step = snapshot ? snapshot->step : 0;
    if (step == 0) {
        window_->loadExperiment(*experiment, run->backend());
        return;
    }

    auto* box = new QMessageBox(QMessageBox::Question, "Load preset",
                                QString("Load preset %1 into run \u201c%2\u201d?").arg(preset, run->name()),
                                QMessageBox::Cancel, window_);
    box->setObjectName("loadPresetConfirmation");
    box->setInformativeText(QString("The run has trained %1 steps. Loading the preset starts it again from step 0 "
                                    "with new initial weights. To keep it, start the preset as a new run instead.")
                                .arg(step));
    QPushButton* load = box->addButton("Load preset", QMessageBox::AcceptRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    const BackendChoice backend = run->backend();
    connect(box, &QMessageBox::buttonClicked, this, [this, load, experiment, backend](QAbstractButton* button) {
        if (button == load)
            window_->loadExperiment(*experiment, backend);
    });
    box->open();
}

RunController* RunWorkspace::startPresetAsNewRun(const QString& preset)
{
    const auto experiment = presetForCurrentRun(preset);
    if (!experiment)
        return nullptr;
    return startVariedRun(*experiment, preset, false);
}

RunController* RunWorkspace::addPresetRun(const QString& preset)
{
    const auto experiment = presetForCurrentRun(preset);
    if (!experiment)
        return nullptr;
    return addVariedRun(*experiment, preset);
}

QString RunWorkspace::unusedRunName(const QString& wanted) const
{
    const RunManager* runs = window_->runManager();
    const auto taken = [runs](const QString& name) {
        for (int index = 0; index < runs->runCount(); ++index)
            if (runs->run(index)->name() == name)
                return true;
        return false;
    };
    QString name = wanted;
    for (int suffix = 2; taken(name); ++suffix)
        name = QString("%1 (%2)").arg(wanted).arg(suffix);
    return name;
}

void RunWorkspace::renameCurrentRun()
{
    RunManager* runs = window_->runManager();
    const RunController* run = runs->currentRun();
    if (!run)
        return;
    bool accepted = false;
    const QString name = QInputDialog::getText(window_, "Rename run", "New name of the run:", QLineEdit::Normal,
                                               run->name(), &accepted)
                             .trimmed();
    if (accepted && !name.isEmpty())
        runs->renameRun(runs->currentIndex(), name);
}

void RunWorkspace::removeCurrentRun()
{
    RunManager* runs = window_->runManager();
    const RunController* run = runs->currentRun();
    if (!run || runs->runCount() < 2)
        return;
    const SnapshotPointer snapshot = run->latestSnapshot();
    if (snapshot && snapshot->step > 0) {
        const auto answer = QMessageBox::question(
            window_, "Remove run",
            QString("Remove run \u201c%1\u201d? Its %2 trained steps and its curves are lost.")
                .arg(run->name())
                .arg(snapshot->step));
        if (answer != QMessageBox::Yes)
            return;
    }
    qCInfo(logGui).noquote() << "removing run" << run->name();
    runs->removeRun(runs->currentIndex());
}

void RunWorkspace::selectNeighbourRun(int offset)
{
    RunManager* runs = window_->runManager();
    if (runs->runCount() < 2)
        return;
    const int count = runs->runCount();
    runs->setCurrent(((runs->currentIndex() + offset) % count + count) % count);
}

} // namespace fxlab::gui
