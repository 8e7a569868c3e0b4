#include "main_window.h"

#include "gui_logging.h"
#include "help_menu.h"
#include "histogram_view.h"
#include "layer_table_model.h"
#include "model/presets.h"
#include "precision_delegate.h"
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
    createLayout();
    runWorkspace_ = new RunWorkspace(this);
    presentationMode_ = new PresentationMode(this);
    connect(runs_, &RunManager::runsChanged, this, &MainWindow::followCurrentRun);
    addHelpMenu(this);
    updateActions(RunState::Idle);
    resize(1400, 900);
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
}

void MainWindow::createLayout()
{
    plots_ = new TrainingPlots;
    histogram_ = new HistogramView;
    counters_ = new SaturationCountersView;
    heatmap_ = new SaturationHeatmap;
    samples_ = new SampleView;

    tableModel_ = new LayerTableModel(this);
    table_ = new QTableView;
    table_->setObjectName("layerTable");
    table_->setModel(tableModel_);
    table_->setItemDelegate(new PrecisionDelegate(table_));
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    table_->setAlternatingRowColors(true);
    table_->setWordWrap(false);
    table_->verticalHeader()->setVisible(false);
    table_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // The tensor kinds share the width equally; a cell too narrow for its format elides it, and
    // its tooltip still gives the whole description.
    QHeaderView* header = table_->horizontalHeader();
    for (int column = 0; column < LayerTableModel::FirstKindColumn; ++column)
        header->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    for (TensorKind kind : kAllTensorKinds)
        header->setSectionResizeMode(LayerTableModel::columnOf(kind), QHeaderView::Stretch);
    connect(table_->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::followTableSelection);
    connect(tableModel_, &QAbstractItemModel::modelReset, this, &MainWindow::selectFirstWeightedLayer);
    connect(tableModel_, &LayerTableModel::precisionEdited, this, [this](const PrecisionPlan& plan) {
        qCInfo(logGui) << "sending an edited precision plan to the worker";
        if (RunController* run = runs_->currentRun())
            run->setPrecision(plan);
    });
    connect(tableModel_, &LayerTableModel::editRejected, this, [this](const QString& reason) {
        qCInfo(logGui).noquote() << "edit rejected:" << reason;
        statusBar_->showError("Edit rejected: " + reason);
    });

    auto* tableLegend = new QLabel(
        "fl: fractional length, the step between codes is 2^-fl.  *: chosen from the data by the tensor's "
        "policy, shown at its current value.  Double-click a cell to change word bits, rounding and, under "
        "the manual policy, the fractional length; select a cell to see its histogram.");
    tableLegend->setWordWrap(true);

    // The curves are the centre; every other view is a dock that users can move, stack, close and
    // reopen from the View menu. The precision table sits full width below, because five formats
    // a row need the room.
    setCentralWidget(group("Loss and accuracy", plots_));
    setDockNestingEnabled(true);
    addDock("histogramDock", "Tensor histograms", histogram_, Qt::RightDockWidgetArea);
    addDock("countersDock", "Saturation totals", counters_, Qt::RightDockWidgetArea);
    addDock("precisionDock", "Precision per layer", group(QString(), table_, tableLegend), Qt::BottomDockWidgetArea);
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

void MainWindow::start()
{
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
    if (run->experiment() == experiment_ && run->backend().name == backend_.name)
        return;
    experiment_ = run->experiment();
    backend_ = run->backend();
    setWindowTitle("fxlab \u2013 " + QString::fromStdString(experiment_.name));
    fillPresetChoice();
}

void MainWindow::followTableSelection(const QModelIndex& current)
{
    if (!current.isValid())
        return;
    histogram_->setLayer(current.row());
    if (const auto kind = LayerTableModel::kindOfColumn(current.column()))
        histogram_->setKind(*kind);
}

void MainWindow::selectFirstWeightedLayer()
{
    const NetworkSpec& network = tableModel_->network();
    for (size_t layer = 0; layer < network.layers.size(); ++layer) {
        if (network.layers[layer].hasWeights()) {
            table_->setCurrentIndex(tableModel_->index(int(layer), LayerTableModel::NameColumn));
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
    const bool canTrain = state == RunState::Idle || state == RunState::Paused;
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
