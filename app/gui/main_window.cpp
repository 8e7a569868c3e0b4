#include "main_window.h"

#include "backend_selector.h"
#include "gui_logging.h"
#include "help_menu.h"
#include "histogram_view.h"
#include "layer_table_model.h"
#include "model/presets.h"
#include "experiment_editing.h"
#include "precision_matrix.h"
#include "presentation_mode.h"
#include "run_status_bar.h"
#include "run_workspace.h"
#include "sample_view.h"
#include "saturation_counters_view.h"
#include "saturation_heatmap.h"
#include "timeline_bar.h"
#include "training_plots.h"
#include "window_settings.h"

#include <QAction>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace fxlab::gui {

namespace {

QGroupBox* group(const QString& title, QWidget* content, QWidget* below = nullptr)
{
    auto* box = new QGroupBox(title);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(content, 1);
    if (below)
        layout->addWidget(below);
    return box;
}

QAction* makeAction(QWidget* owner, const QString& text, const QString& objectName, QStyle::StandardPixmap icon,
                    const QKeySequence& shortcut, const QString& toolTip)
{
    auto* action = new QAction(owner->style()->standardIcon(icon), text, owner);
    action->setObjectName(objectName);
    action->setShortcut(shortcut);
    action->setToolTip(toolTip + " (" + shortcut.toString(QKeySequence::NativeText) + ")");
    return action;
}

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    runs_ = new RunManager(this);
    connect(runs_, &RunManager::currentSnapshotChanged, this, &MainWindow::showSnapshot);

    createActions();
    createMenus();
    createToolBar();
    // The default size comes before the layout, so that the docks' resizeDocks() sizes are kept
    // rather than squeezed into the small window of a new QMainWindow.
    resize(1400, 900);
    createLayout();
    runWorkspace_ = new RunWorkspace(this);
    presentationMode_ = new PresentationMode(this);
    connect(runs_, &RunManager::runsChanged, this, &MainWindow::followCurrentRun);
    addHelpMenu(this);
    updateActions(RunState::Idle);
}

void MainWindow::restoreAndKeepSettings()
{
    restoreWindowSettings(*this);
    keepsSettings_ = true;
}

MainWindow::~MainWindow()
{
    shutDownWorker();
}

void MainWindow::createActions()
{
    startAction_ = makeAction(this, "Start", "startAction", QStyle::SP_MediaPlay, QKeySequence(Qt::Key_F5),
                              "Start or resume training");
    pauseAction_ = makeAction(this, "Pause", "pauseAction", QStyle::SP_MediaPause, QKeySequence(Qt::Key_F6),
                              "Pause training after the current step");
    stepAction_ = makeAction(this, "Step once", "stepAction", QStyle::SP_MediaSkipForward, QKeySequence(Qt::Key_F10),
                             "Train a single step");
    resetAction_ = makeAction(this, "Reset", "resetAction", QStyle::SP_BrowserReload,
                              QKeySequence(Qt::CTRL | Qt::Key_R), "Back to step 0 with new initial weights");
    connect(startAction_, &QAction::triggered, this, &MainWindow::start);
    connect(pauseAction_, &QAction::triggered, this, &MainWindow::pause);
    connect(stepAction_, &QAction::triggered, this, &MainWindow::stepOnce);
    connect(resetAction_, &QAction::triggered, this, &MainWindow::reset);
}

void MainWindow::createMenus()
{
    fileMenu_ = menuBar()->addMenu("&File");
    fileMenu_->setObjectName("fileMenu");
    editMenu_ = menuBar()->addMenu("&Edit");
    editMenu_->setObjectName("editMenu");
    viewMenu_ = menuBar()->addMenu("&View");
    viewMenu_->setObjectName("viewMenu");
}

void MainWindow::createToolBar()
{
    QToolBar* toolBar = addToolBar("Training");
    toolBar->setObjectName("trainingToolBar");
    toolBar->setMovable(false);
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->addActions({startAction_, pauseAction_, stepAction_, resetAction_});
    toolBar->addSeparator();

    presetChoice_ = new QComboBox(toolBar);
    presetChoice_->setObjectName("presetChoice");
    presetChoice_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    presetChoice_->setToolTip("Precision preset: choosing one loads it into the current run");
    connect(presetChoice_, &QComboBox::activated, this, &MainWindow::choosePreset);
    auto* presetLabel = new QLabel("  &Preset: ", toolBar);
    presetLabel->setBuddy(presetChoice_);
    toolBar->addWidget(presetLabel);
    toolBar->addWidget(presetChoice_);

    backendChoice_ = new BackendSelector(toolBar);
    connect(backendChoice_, &BackendSelector::backendChosen, this, &MainWindow::chooseBackend);
    auto* backendLabel = new QLabel("  &Backend: ", toolBar);
    backendLabel->setBuddy(backendChoice_);
    toolBar->addWidget(backendLabel);
    toolBar->addWidget(backendChoice_);
}

void MainWindow::createLayout()
{
    plots_ = new TrainingPlots;
    histogram_ = new HistogramView;
    counters_ = new SaturationCountersView;
    heatmap_ = new SaturationHeatmap;
    samples_ = new SampleView;

    // The network builder and precision matrix docks, with the File and Edit menu entries.
    editing_ = new ExperimentEditing(this);
    tableModel_ = editing_->precisionMatrix()->model();
    table_ = editing_->precisionMatrix()->view();
    connect(table_->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::followTableSelection);
    connect(tableModel_, &QAbstractItemModel::modelReset, this, &MainWindow::selectFirstWeightedLayer);
    connect(tableModel_, &LayerTableModel::editRejected, this, [this](const QString& reason) {
        qCInfo(logGui).noquote() << "edit rejected:" << reason;
        statusBar_->showError("Edit rejected: " + reason);
    });

    // The curves are the centre; every other view is a dock that users can move, stack, close and
    // reopen from the View menu. The precision table sits full width below, because five formats
    // a row need the room.
    setCentralWidget(group("Loss and accuracy", plots_));
    setDockNestingEnabled(true);
    addDock("histogramDock", "Histograms", histogram_, Qt::RightDockWidgetArea);
    addDock("countersDock", "Totals", counters_, Qt::RightDockWidgetArea);
    resizeDocks({findChild<QDockWidget*>("histogramDock")}, {500}, Qt::Horizontal);
    resizeDocks({findChild<QDockWidget*>("precisionDock")}, {330}, Qt::Vertical);

    createWatchViews();

    statusBar_ = new RunStatusBar(this);
    setStatusBar(statusBar_);
}

QDockWidget* MainWindow::addDock(const QString& objectName, const QString& title, QWidget* content,
                                 Qt::DockWidgetArea area)
{
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(content);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable
                      | QDockWidget::DockWidgetClosable);
    addDockWidget(area, dock);
    if (viewMenu_)
        viewMenu_->addAction(dock->toggleViewAction());
    return dock;
}

void MainWindow::loadExperiment(const Experiment& experiment, const BackendChoice& backend)
{
    experiment_ = experiment;
    backend_ = backend;
    qCInfo(logGui).noquote() << "loading experiment" << QString::fromStdString(experiment.name) << "with backend"
                             << QString::fromStdString(backend.name);
    if (RunController* run = runs_->currentRun())
        run->loadExperiment(experiment, backend);
    else
        runs_->addRun("run 1", experiment, backend);
    setWindowTitle("fxlab \u2013 " + QString::fromStdString(experiment.name));
    fillPresetChoice();
    backendChoice_->setChoice(backend);
}

void MainWindow::setTrainingData(std::shared_ptr<const DatasetPair> data)
{
    if (RunController* run = runs_->currentRun())
        run->setTrainingData(std::move(data));
}

void MainWindow::setStopAfter(uint32_t steps)
{
    if (RunController* run = runs_->currentRun())
        run->setStopAfter(steps);
}

void MainWindow::setStartBlocked(const QString& reason)
{
    if (reason == startBlockedReason_)
        return;
    if (startToolTip_.isEmpty())
        startToolTip_ = startAction_->toolTip();
    startBlockedReason_ = reason;
    startAction_->setToolTip(reason.isEmpty() ? startToolTip_ : "Start is disabled until the network is fixed: " + reason);
    updateActions(latest_ ? latest_->state : RunState::Idle);
}

void MainWindow::start()
{
    if (!startBlockedReason_.isEmpty())
        return;
    if (RunController* run = runs_->currentRun())
        run->start();
}

void MainWindow::pause()
{
    if (RunController* run = runs_->currentRun())
        run->pause();
}

void MainWindow::stepOnce()
{
    if (!startBlockedReason_.isEmpty())
        return;
    if (RunController* run = runs_->currentRun())
        run->stepOnce();
}

void MainWindow::reset()
{
    if (RunController* run = runs_->currentRun())
        run->reset();
}

void MainWindow::fillPresetChoice()
{
    presetChoice_->clear();
    bool isPreset = false;
    for (const Preset& preset : presets()) {
        presetChoice_->addItem(QString::fromStdString(preset.name), QString::fromStdString(preset.name));
        presetChoice_->setItemData(presetChoice_->count() - 1,
                                   QString::fromStdString(preset.summary + "\n\n" + preset.explanation),
                                   Qt::ToolTipRole);
        isPreset = isPreset || preset.name == experiment_.name;
    }
    // An experiment from a file or a test keeps its own name at the top of the list.
    if (!isPreset)
        presetChoice_->insertItem(0, QString::fromStdString(experiment_.name), QString());
    presetChoice_->setCurrentIndex(presetChoice_->findText(QString::fromStdString(experiment_.name)));
}

void MainWindow::choosePreset(int index)
{
    const std::string name = presetChoice_->itemData(index).toString().toStdString();
    if (name.empty() || name == experiment_.name)
        return;
    // The same as "Load into this run" in the Presets panel, which asks before discarding progress.
    // Until the preset is loaded, the chooser shows the experiment in force.
    runWorkspace_->loadPreset(QString::fromStdString(name));
    fillPresetChoice();
}

void MainWindow::followCurrentRun()
{
    const RunController* run = runs_->currentRun();
    if (!run)
        return;
    statusBar_->setRunName(run->name());
    if (run->experiment() == experiment_ && run->backend().name == backend_.name
        && run->backend().device == backend_.device)
        return;
    experiment_ = run->experiment();
    backend_ = run->backend();
    setWindowTitle("fxlab \u2013 " + QString::fromStdString(experiment_.name));
    fillPresetChoice();
    backendChoice_->setChoice(backend_);
}

void MainWindow::chooseBackend(const BackendChoice& backend)
{
    backend_ = backend;
    if (RunController* run = runs_->currentRun())
        run->switchBackend(backend);
}

void MainWindow::followTableSelection(const QModelIndex& current)
{
    if (!current.isValid())
        return;
    // The input row has no layer of its own.
    const int layer = LayerTableModel::layerOfRow(current.row());
    if (layer < 0)
        return;
    histogram_->setLayer(layer);
    if (const auto kind = LayerTableModel::kindOfColumn(current.column()))
        histogram_->setKind(*kind);
}

void MainWindow::selectFirstWeightedLayer()
{
    const NetworkSpec& network = tableModel_->network();
    for (size_t layer = 0; layer < network.layers.size(); ++layer) {
        if (network.layers[layer].hasWeights()) {
            table_->setCurrentIndex(tableModel_->indexOf(int(layer), TensorKind::Weights));
            return;
        }
    }
}

void MainWindow::showSnapshot(const SnapshotPointer& snapshot)
{
    latest_ = snapshot;
    timeline_->showSnapshot(*snapshot);
    tableModel_->showSnapshot(*snapshot);
    plots_->showSnapshot(*snapshot);
    histogram_->showSnapshot(snapshot);
    counters_->showSnapshot(*snapshot);
    heatmap_->showSnapshot(snapshot);
    samples_->showSnapshot(snapshot);
    statusBar_->showSnapshot(*snapshot);
    updateActions(snapshot->state);

    if (snapshot->state != shownState_) {
        qCInfo(logGui).noquote() << "run" << QString::fromLatin1(toString(snapshot->state)) << "at step"
                                 << snapshot->step;
        if (snapshot->state == RunState::Failed)
            reportFailure(*snapshot);
        shownState_ = snapshot->state;
    }
    emit snapshotShown(snapshot);
}

void MainWindow::updateActions(RunState state)
{
    const bool canTrain = (state == RunState::Idle || state == RunState::Paused) && startBlockedReason_.isEmpty();
    startAction_->setEnabled(canTrain);
    startAction_->setText(state == RunState::Paused ? "Resume" : "Start");
    pauseAction_->setEnabled(state == RunState::Running);
    stepAction_->setEnabled(canTrain);
    resetAction_->setEnabled(state != RunState::Loading);
}

void MainWindow::reportFailure(const Snapshot& snapshot)
{
    const QString message = QString::fromStdString(snapshot.message);
    qCWarning(logGui).noquote() << "run failed:" << message;
    if (!errorDialogsEnabled_)
        return;
    auto* box = new QMessageBox(QMessageBox::Critical, "Training failed", message, QMessageBox::Ok, this);
    box->setInformativeText("Change the precision or the experiment, then press Reset and Start.");
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::replotNow()
{
    plots_->replotNow();
    histogram_->replotNow();
    heatmap_->replotNow();
}

void MainWindow::shutDownWorker()
{
    runs_->shutDownAll();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (keepsSettings_)
        saveWindowSettings(*this);
    shutDownWorker();
    event->accept();
}

} // namespace fxlab::gui
