#include "run_controller.h"

#include "gui_logging.h"

namespace fxlab::gui {

RunController::RunController(QString name, QObject* parent) : QObject(parent), name_(std::move(name))
{
    worker_ = new TrainingWorker;
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &TrainingWorker::snapshotReady, this, [this](const SnapshotPointer& snapshot) {
        latest_ = snapshot;
        emit snapshotReady(snapshot);
    });
    thread_.setObjectName("fxlab training");
    thread_.start();
    qCInfo(logGui).noquote() << "training thread started for" << name_;
}

RunController::~RunController()
{
    shutDown();
}

void RunController::send(std::function<void(TrainingWorker&)> command)
{
    if (!worker_)
        return;
    QMetaObject::invokeMethod(
        worker_, [worker = worker_, command = std::move(command)] { command(*worker); }, Qt::QueuedConnection);
}

void RunController::loadExperiment(const Experiment& experiment, const BackendChoice& backend)
{
    experiment_ = experiment;
    // The window draws test curves during the first epoch too: an experiment without a schedule of
    // its own is evaluated every kWindowEvaluateEvery steps on the first kWindowEvaluationSamples.
    if (experiment_.training.evaluateEvery == 0) {
        experiment_.training.evaluateEvery = kWindowEvaluateEvery;
        if (experiment_.training.evaluationSamples == 0)
            experiment_.training.evaluationSamples = kWindowEvaluationSamples;
    }
    backend_ = backend;
    qCInfo(logGui).noquote() << "run" << name_ << "loads experiment" << QString::fromStdString(experiment.name)
                             << "with backend" << QString::fromStdString(backend.name);
    send([experiment = experiment_, backend](TrainingWorker& worker) { worker.setExperiment(experiment, backend); });
}

void RunController::setTrainingData(std::shared_ptr<const DatasetPair> data)
{
    trainingData_ = data;
    send([data = std::move(data)](TrainingWorker& worker) { worker.setData(data); });
}

void RunController::setStopAfter(uint32_t steps)
{
    stopAfter_ = steps;
    send([steps](TrainingWorker& worker) { worker.setStopAfter(steps); });
}

void RunController::start()
{
    send([](TrainingWorker& worker) { worker.start(); });
}

void RunController::pause()
{
    send([](TrainingWorker& worker) { worker.pause(); });
}

void RunController::stepOnce()
{
    send([](TrainingWorker& worker) { worker.stepOnce(); });
}

void RunController::reset()
{
    send([](TrainingWorker& worker) { worker.reset(); });
}

void RunController::setPrecision(const PrecisionPlan& plan)
{
    experiment_.precision = plan;
    send([plan](TrainingWorker& worker) { worker.setPrecision(plan); });
}

void RunController::setFloatTwin(bool enabled)
{
    send([enabled](TrainingWorker& worker) { worker.setFloatTwin(enabled); });
}

void RunController::switchBackend(const BackendChoice& backend)
{
    backend_ = backend;
    qCInfo(logGui).noquote() << "run" << name_ << "switches to backend" << QString::fromStdString(backend.name);
    send([backend](TrainingWorker& worker) { worker.switchBackend(backend); });
}

void RunController::shutDown()
{
    if (!thread_.isRunning())
        return;
    pause();
    thread_.quit();
    thread_.wait();
    worker_ = nullptr;
    qCInfo(logGui).noquote() << "training thread stopped for" << name_;
}

} // namespace fxlab::gui
