#include "experiment_editing.h"

#include "error.h"
#include "gui_logging.h"
#include "last_experiment.h"
#include "layer_table_model.h"
#include "main_window.h"
#include "network_builder.h"
#include "precision_matrix.h"
#include "run_controller.h"
#include "run_manager.h"

#include <QAction>
#include <QDockWidget>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QUndoStack>

namespace fxlab::gui {

namespace {

const QString kFileFilter = "Experiments (*.json);;All files (*)";

} // namespace

ExperimentEditing::ExperimentEditing(MainWindow* window)
    : QObject(window), window_(window), document_(new ExperimentDocument(this))
{
    builder_ = new NetworkBuilder(document_);
    matrix_ = new PrecisionMatrix(document_);
    // Both edit the experiment and need the full width, so they share the bottom area as tabs.
    builderDock_ = window_->addDock("networkBuilderDock", "Network", builder_, Qt::BottomDockWidgetArea);
    precisionDock_ = window_->addDock("precisionDock", "Precision per layer and tensor", matrix_,
                                      Qt::BottomDockWidgetArea);
    window_->tabifyDockWidget(builderDock_, precisionDock_);
    precisionDock_->raise();
    createMenuEntries();

    connect(window_->runManager(), &RunManager::currentSnapshotChanged, this, &ExperimentEditing::followSnapshot);
    connect(document_, &ExperimentDocument::networkChanged, this, &ExperimentEditing::followDocument);
    connect(document_, &ExperimentDocument::planChanged, this, &ExperimentEditing::followDocument);
    connect(builder_, &NetworkBuilder::applyRequested, this, &ExperimentEditing::requestApply);
    connect(builder_, &NetworkBuilder::discardRequested, this, &ExperimentEditing::discardEditedNetwork);
}

ExperimentEditing::~ExperimentEditing()
{
    delete builderDock_;
    delete precisionDock_;
}

void ExperimentEditing::createMenuEntries()
{
    QMenu* file = window_->fileMenu();
    QAction* open = file->addAction("&Open experiment\u2026", this, &ExperimentEditing::chooseFileToOpen);
    open->setObjectName("openExperimentAction");
    open->setShortcut(QKeySequence::Open);
    QAction* save = file->addAction("Save experiment &as\u2026", this, &ExperimentEditing::chooseFileToSave);
    save->setObjectName("saveExperimentAction");
    save->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    file->addSeparator();
    QAction* quit = file->addAction("&Quit", window_, &QWidget::close);
    quit->setObjectName("quitAction");
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));

    QMenu* edit = window_->editMenu();
    undoAction_ = document_->undoStack()->createUndoAction(this, "&Undo");
    undoAction_->setObjectName("undoAction");
    undoAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Z));
    redoAction_ = document_->undoStack()->createRedoAction(this, "&Redo");
    redoAction_->setObjectName("redoAction");
    redoAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
    edit->addAction(undoAction_);
    edit->addAction(redoAction_);
    edit->addSeparator();
    QAction* editPrecision = edit->addAction("Edit selected &precision\u2026", this, [this] {
        precisionDock_->show();
        precisionDock_->raise();
        matrix_->editSelection();
    });
    editPrecision->setObjectName("editPrecisionAction");
    QAction* showBuilder = edit->addAction("Edit the &network", this, [this] {
        builderDock_->show();
        builderDock_->raise();
        builder_->setFocus();
    });
    showBuilder->setObjectName("showBuilderAction");
}

void ExperimentEditing::setKeepsLastExperiment(bool keeps)
{
    keepsLastExperiment_ = keeps;
    if (keeps && trackedRun_)
        saveLastExperiment(knownRunExperiment_);
}

void ExperimentEditing::noteRunExperiment(const RunController& run)
{
    const bool changed = trackedRun_ != &run || !(run.experiment() == knownRunExperiment_);
    trackedRun_ = &run;
    knownRunExperiment_ = run.experiment();
    if (changed && keepsLastExperiment_)
        saveLastExperiment(knownRunExperiment_);
}

void ExperimentEditing::updateClassCount(const RunController& run, const Snapshot* snapshot)
{
    int classes = 0;
    if (const auto data = run.trainingData())
        classes = data->train.classes;
    else if (snapshot && snapshot->evaluation && !snapshot->evaluation->classNames.empty())
        classes = int(snapshot->evaluation->classNames.size());
    if (classes > 0)
        document_->setClassCount(classes);
}

void ExperimentEditing::followSnapshot(const SnapshotPointer& snapshot)
{
    RunController* run = window_->runManager()->currentRun();
    if (!run || !snapshot)
        return;
    updateClassCount(*run, snapshot.get());

    if (run != trackedRun_ || !(run->experiment() == knownRunExperiment_)) {
        qCInfo(logGui).noquote() << "the editors take the experiment of" << run->name();
        noteRunExperiment(*run);
        document_->reset(run->experiment());
    }
    // A network edit made while the run had progress applies by itself once the run is back at
    // step 0, for example after Reset.
    if (networkPending() && document_->isValid() && !runHasProgress(*run))
        applyEditedNetwork();
    updatePendingNotice();
}

void ExperimentEditing::followDocument()
{
    window_->setStartBlocked(document_->isValid() ? QString() : document_->firstProblem());
    RunController* run = window_->runManager()->currentRun();
    if (!run || run != trackedRun_ || !document_->isValid()) {
        updatePendingNotice();
        return;
    }

    const Experiment& inForce = run->experiment();
    if (document_->network() == inForce.network) {
        if (!(document_->plan() == inForce.precision)) {
            qCInfo(logGui).noquote() << "sending the edited precision plan to" << run->name();
            run->setPrecision(document_->plan());
            noteRunExperiment(*run);
        }
    } else if (!runHasProgress(*run)) {
        applyEditedNetwork();
    }
    updatePendingNotice();
}

bool ExperimentEditing::networkPending() const
{
    const RunController* run = window_->runManager()->currentRun();
    return run && run == trackedRun_ && !(document_->network() == run->experiment().network);
}

bool ExperimentEditing::runHasProgress(const RunController& run) const
{
    const SnapshotPointer latest = run.latestSnapshot();
    if (!latest)
        return false;
    return latest->step > 0 || latest->state == RunState::Running || latest->state == RunState::Loading;
}

void ExperimentEditing::updatePendingNotice()
{
    const RunController* run = window_->runManager()->currentRun();
    const bool shown = run && networkPending() && runHasProgress(*run);
    const SnapshotPointer latest = run ? run->latestSnapshot() : nullptr;
    builder_->showPendingNetwork(shown, latest ? latest->step : 0, document_->isValid());
}

void ExperimentEditing::applyEditedNetwork()
{
    RunController* run = window_->runManager()->currentRun();
    if (!run || !document_->isValid())
        return;
    Experiment experiment = run->experiment();
    experiment.network = document_->network();
    experiment.precision = document_->plan();
    qCInfo(logGui).noquote() << "restarting" << run->name() << "with the edited network of"
                             << experiment.network.layers.size() << "layers";
    run->loadExperiment(experiment, run->backend());
    noteRunExperiment(*run);
    updatePendingNotice();
}

void ExperimentEditing::requestApply()
{
    if (!dialogsEnabled_) {
        applyEditedNetwork();
        return;
    }
    const RunController* run = window_->runManager()->currentRun();
    const SnapshotPointer latest = run ? run->latestSnapshot() : nullptr;
    auto* box = new QMessageBox(QMessageBox::Question, "Restart the run?",
                                QString("Restart the run with the edited network? The %1 steps it has trained "
                                        "are discarded.")
                                    .arg(latest ? latest->step : 0),
                                QMessageBox::Yes | QMessageBox::Cancel, window_);
    box->setObjectName("restartRunQuestion");
    box->button(QMessageBox::Yes)->setText("Restart with the edited network");
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box->button(QMessageBox::Yes), &QPushButton::clicked, this, &ExperimentEditing::applyEditedNetwork);
    box->open();
}

void ExperimentEditing::discardEditedNetwork()
{
    const RunController* run = window_->runManager()->currentRun();
    if (!run)
        return;
    document_->replaceNetwork(run->experiment().network, run->experiment().precision, "Discard network changes");
}

bool ExperimentEditing::openExperimentFile(const QString& path)
{
    Experiment experiment;
    try {
        experiment = loadExperiment(path);
    } catch (const Error& error) {
        reportFileError("Cannot open the experiment", QString::fromUtf8(error.what()));
        return false;
    }
    lastFileError_.clear();
    const RunController* run = window_->runManager()->currentRun();
    window_->loadExperiment(experiment, run ? run->backend() : BackendChoice{});
    return true;
}

bool ExperimentEditing::saveExperimentFile(const QString& path)
{
    if (!document_->isValid()) {
        reportFileError("Cannot save the experiment",
                        path + ": not saved, because the network cannot train: " + document_->firstProblem()
                            + ". Fix it in the Network panel first.");
        return false;
    }
    const RunController* run = window_->runManager()->currentRun();
    Experiment experiment = run ? run->experiment() : document_->experiment();
    experiment.network = document_->network();
    experiment.precision = document_->plan();
    try {
        saveExperiment(experiment, path);
    } catch (const Error& error) {
        reportFileError("Cannot save the experiment", QString::fromUtf8(error.what()));
        return false;
    }
    lastFileError_.clear();
    qCInfo(logGui).noquote() << "saved the experiment to" << path;
    return true;
}

void ExperimentEditing::reportFileError(const QString& title, const QString& message)
{
    lastFileError_ = message;
    qCWarning(logGui).noquote() << title << ":" << message;
    if (!dialogsEnabled_)
        return;
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, window_);
    box->setObjectName("experimentFileError");
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void ExperimentEditing::chooseFileToOpen()
{
    const QString path = QFileDialog::getOpenFileName(window_, "Open experiment", QString(), kFileFilter);
    if (!path.isEmpty())
        openExperimentFile(path);
}

void ExperimentEditing::chooseFileToSave()
{
    const QString suggestion = QString::fromStdString(document_->experiment().name) + ".json";
    const QString path = QFileDialog::getSaveFileName(window_, "Save experiment as", suggestion, kFileFilter);
    if (!path.isEmpty())
        saveExperimentFile(path);
}

} // namespace fxlab::gui
