#include "train/training_worker.h"

#include "backend/model_state.h"
#include "train/train_logging.h"

#include <QTimer>

namespace fxlab {

namespace {

// Work per tick before the worker returns to its event loop to read commands.
constexpr qint64 kTickMilliseconds = 20;
// At most about 30 snapshots a second.
constexpr qint64 kSnapshotMilliseconds = 33;
// Statistics take a pass over every tensor, which at 30 snapshots a second cost the CPU backend
// about a tenth of its throughput. Running snapshots share them for this long.
constexpr qint64 kStatisticsMilliseconds = 100;

} // namespace

std::string_view toString(RunState state)
{
    switch (state) {
    case RunState::Idle:
        return "idle";
    case RunState::Loading:
        return "loading";
    case RunState::Running:
        return "running";
    case RunState::Paused:
        return "paused";
    case RunState::Finished:
        return "finished";
    case RunState::Failed:
        return "failed";
    }
    return "unknown";
}

TrainingWorker::TrainingWorker(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<SnapshotPointer>();
    sincePublished_.start();
}

TrainingWorker::~TrainingWorker() = default;

void TrainingWorker::setExperiment(const Experiment& experiment, const BackendChoice& backend)
{
    experiment_ = experiment;
    backendChoice_ = backend;
    trainer_.reset();
    twin_.reset();
    timeline_.clear();
    latestStatistics_.reset();
    evaluation_.reset();
    precisionChanges_.clear();
    state_ = RunState::Idle;
    deviceLost_ = false;
    message_.clear();
    publish();
}

void TrainingWorker::setData(std::shared_ptr<const DatasetPair> data)
{
    data_ = std::move(data);
    dataDirectory_.clear();
    trainer_.reset();
    twin_.reset();
    sampleImages_.reset();
}

void TrainingWorker::setStopAfter(uint32_t steps)
{
    stopAfter_ = steps;
}

bool TrainingWorker::ensureTrainer()
{
    if (trainer_)
        return true;
    try {
        if (!data_ || (!dataDirectory_.empty() && dataDirectory_ != experiment_.data.directory)) {
            state_ = RunState::Loading;
            message_ = "loading " + experiment_.data.directory;
            publish();
            data_ = std::make_shared<const DatasetPair>(loadDataDirectory(experiment_.data.directory));
            dataDirectory_ = experiment_.data.directory;
        }
        CreatedBackend created = createBackend(backendChoice_);
        trainer_ = std::make_unique<Trainer>(experiment_, data_, std::move(created.backend));
        trainer_->setStatisticsAtRows(true);  // for the timeline
        message_ = created.explanation;
        if (!sampleImages_) {
            auto images = std::make_shared<std::vector<SampleImage>>();
            const Dataset& test = data_->test;
            for (int i = 0; i < std::min(kSampleImages, test.count()); ++i) {
                const size_t size = test.shape.size();
                const auto first = test.pixels.begin() + std::ptrdiff_t(size_t(i) * size);
                images->push_back({test.shape, std::vector<uint8_t>(first, first + std::ptrdiff_t(size)), test.labels[size_t(i)]});
            }
            sampleImages_ = std::move(images);
        }
        return true;
    } catch (const Error& error) {
        fail(error.what());
        return false;
    }
}

void TrainingWorker::fail(const std::string& message)
{
    qCWarning(logTrain).noquote() << "run stopped:" << QString::fromStdString(message);
    state_ = RunState::Failed;
    message_ = message;
    publish();
}

void TrainingWorker::start()
{
    if (state_ == RunState::Running || state_ == RunState::Failed || !ensureTrainer())
        return;
    if (trainer_->finished()) {
        state_ = RunState::Finished;
        publish();
        return;
    }
    state_ = RunState::Running;
    publish();
    if (!tickScheduled_) {
        tickScheduled_ = true;
        QTimer::singleShot(0, this, &TrainingWorker::tick);
    }
}

void TrainingWorker::pause()
{
    if (state_ != RunState::Running)
        return;
    state_ = RunState::Paused;
    message_ = "paused at step " + std::to_string(trainer_->stepsDone());
    publish();
}

void TrainingWorker::stepOnce()
{
    if (state_ == RunState::Running || state_ == RunState::Failed || !ensureTrainer() || trainer_->finished())
        return;
    try {
        stepBoth();
        state_ = trainer_->finished() ? RunState::Finished : RunState::Paused;
        message_ = "stepped to " + std::to_string(trainer_->stepsDone());
    } catch (const DeviceLostError& error) {
        pauseAfterDeviceLoss(error);
        return;
    } catch (const Error& error) {
        fail(error.what());
        return;
    }
    publish();
}

void TrainingWorker::reset()
{
    trainer_.reset();
    twin_.reset();
    timeline_.clear();
    latestStatistics_.reset();
    evaluation_.reset();
    precisionChanges_.clear();
    state_ = RunState::Idle;
    deviceLost_ = false;
    message_ = "reset";
    publish();
}

void TrainingWorker::setPrecision(const PrecisionPlan& plan)
{
    if (state_ == RunState::Running)
        pause();
    try {
        if (auto error = validatePlan(plan, experiment_.network))
            throw Error("invalid precision: " + *error);
        experiment_.precision = plan;
        if (trainer_) {
            trainer_->setPrecision(plan);
            precisionChanges_.push_back(trainer_->stepsDone());
        }
        message_ = "precision changed";
        latestStatistics_.reset();
    } catch (const Error& error) {
        message_ = error.what();
    }
    publish();
}

void TrainingWorker::tick()
{
    tickScheduled_ = false;
    if (state_ != RunState::Running)
        return;

    QElapsedTimer elapsed;
    elapsed.start();
    try {
        do {
            // The snapshot published after this tick shows the statistics of its last step.
            const bool lastOfTick = elapsed.elapsed() + lastStepMilliseconds_ >= kTickMilliseconds;
            const bool snapshotFollows = sincePublished_.elapsed() + lastStepMilliseconds_ >= kSnapshotMilliseconds;
            if (lastOfTick && snapshotFollows && statisticsDueIn(lastStepMilliseconds_))
                trainer_->requestStatistics();
            const qint64 stepStart = elapsed.elapsed();
            stepBoth();
            lastStepMilliseconds_ = elapsed.elapsed() - stepStart;
            if (trainer_->finished()) {
                state_ = RunState::Finished;
                message_ = "finished after " + std::to_string(trainer_->stepsDone()) + " steps";
            } else if (stopAfter_ > 0 && trainer_->stepsDone() >= stopAfter_) {
                state_ = RunState::Paused;
                message_ = "paused at step " + std::to_string(trainer_->stepsDone());
            }
        } while (state_ == RunState::Running && elapsed.elapsed() < kTickMilliseconds);
    } catch (const DeviceLostError& error) {
        pauseAfterDeviceLoss(error);
        return;
    } catch (const Error& error) {
        fail(error.what());
        return;
    }

    if (state_ != RunState::Running) {
        publish();
        return;
    }
    publishIfDue();
    tickScheduled_ = true;
    QTimer::singleShot(0, this, &TrainingWorker::tick);
}

void TrainingWorker::setFloatTwin(bool enabled)
{
    floatTwin_ = enabled;
    publish();
}

void TrainingWorker::stepTwin()
{
    if (!twin_) {
        Experiment floatExperiment = experiment_;
        floatExperiment.name = experiment_.name + " (float twin)";
        floatExperiment.precision = floatPlan(experiment_.network);
        twin_ = std::make_unique<Trainer>(floatExperiment, data_, createBackend(backendChoice_).backend);
    }
    // The twin's own failure (a NaN in float) stops only the twin.
    try {
        for (int i = 0; i < 2 && twin_->stepsDone() < trainer_->stepsDone() && !twin_->finished(); ++i)
            twin_->step();
    } catch (const TrainingError& error) {
        qCWarning(logTrain).noquote() << "float twin stopped:" << error.what();
        floatTwin_ = false;
    } catch (const DeviceLostError& error) {
        qCWarning(logTrain).noquote() << "float twin stopped:" << error.what();
        floatTwin_ = false;
        twin_.reset();
    }
}

void TrainingWorker::pauseAfterDeviceLoss(const DeviceLostError& error)
{
    state_ = RunState::Paused;
    deviceLost_ = true;
    message_ = trainer_->describePause(error) + "; switch to the CPU backend to continue";
    qCWarning(logTrain).noquote() << "run paused:" << QString::fromStdString(message_);
    publish();
}

void TrainingWorker::switchBackend(const BackendChoice& backend)
{
    const bool wasRunning = state_ == RunState::Running;
    if (wasRunning)
        pause();
    backendChoice_ = backend;
    twin_.reset();
    if (!trainer_) {
        message_ = "the run will use the " + backend.name + " backend";
        publish();
        return;
    }
    try {
        CreatedBackend created = createBackend(backend);
        trainer_->replaceBackend(std::move(created.backend));
        deviceLost_ = false;
        latestStatistics_.reset();
        message_ = created.explanation + "; the run goes on from step " + std::to_string(trainer_->stepsDone());
    } catch (const Error& error) {
        message_ = std::string("cannot switch the backend: ") + error.what();
        qCWarning(logTrain).noquote() << QString::fromStdString(message_);
    }
    publish();
    if (wasRunning)
        start();
}

void TrainingWorker::stepBoth()
{
    const std::optional<MetricsRow> row = trainer_->step();
    if (floatTwin_)
        stepTwin();
    recordAfterStep(row.has_value());
}

void TrainingWorker::recordAfterStep(bool rowLogged)
{
    if (rowLogged) {
        auto point = std::make_shared<TimelinePoint>();
        point->step = trainer_->stepsDone();
        point->statistics = trainer_->backend().statistics();
        latestStatistics_ = std::make_shared<const Statistics>(point->statistics);
        sinceStatistics_.restart();
        for (const LayerState& layer : trainer_->backend().state().layers)
            point->fractionalLengths.insert(point->fractionalLengths.end(), layer.fractionalLengths.begin(),
                                            layer.fractionalLengths.end());
        timeline_.append(std::move(point));
    }

    const auto& evaluation = trainer_->lastEvaluation();
    if (!evaluation || evaluation->step != trainer_->stepsDone())
        return;
    const Dataset& test = data_->test;
    auto details = std::make_shared<EvaluationDetails>();
    details->step = evaluation->step;
    details->samples = int(evaluation->predictions.size());
    details->classNames = test.classNames;
    details->confusion.assign(size_t(test.classes) * size_t(test.classes), 0);
    for (size_t i = 0; i < evaluation->predictions.size(); ++i)
        ++details->confusion[size_t(test.labels[i]) * size_t(test.classes) + evaluation->predictions[i]];
    const size_t shown = std::min(evaluation->predictions.size(), size_t(kSampleImages));
    details->predictions.assign(evaluation->predictions.begin(), evaluation->predictions.begin() + std::ptrdiff_t(shown));
    if (twin_ && twin_->lastEvaluation() && twin_->lastEvaluation()->step == evaluation->step) {
        const auto& twinPredictions = twin_->lastEvaluation()->predictions;
        details->floatPredictions.assign(twinPredictions.begin(),
                                         twinPredictions.begin() + std::ptrdiff_t(std::min(shown, twinPredictions.size())));
    }
    evaluation_ = std::move(details);
}

bool TrainingWorker::statisticsDueIn(qint64 milliseconds) const
{
    return !latestStatistics_ || !sinceStatistics_.isValid()
           || sinceStatistics_.elapsed() + milliseconds >= kStatisticsMilliseconds;
}

void TrainingWorker::publishIfDue()
{
    if (sincePublished_.elapsed() >= kSnapshotMilliseconds)
        publish();
}

void TrainingWorker::publish()
{
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->state = state_;
    snapshot->message = message_;
    snapshot->deviceLost = deviceLost_;
    snapshot->experiment = experiment_;
    snapshot->precisionChanges = precisionChanges_;
    if (trainer_) {
        snapshot->step = trainer_->stepsDone();
        snapshot->totalSteps = trainer_->totalSteps();
        snapshot->stepsPerEpoch = trainer_->stepsPerEpoch();
        snapshot->epoch = trainer_->epoch();
        snapshot->samplesPerSecond = trainer_->samplesPerSecond();
        snapshot->backend = trainer_->backend().name();
        snapshot->device = trainer_->backend().deviceName();
        snapshot->rows = trainer_->history().rows();
        snapshot->totalEvents = trainer_->totalEvents();
        if (trainer_->stepsDone() > 0) {
            if (state_ != RunState::Running || statisticsDueIn(0)) {
                latestStatistics_ = std::make_shared<const Statistics>(trainer_->backend().statistics());
                sinceStatistics_.restart();
            }
            snapshot->statistics = *latestStatistics_;
        }
        const ModelState state = trainer_->backend().state();
        for (const LayerState& layer : state.layers)
            snapshot->fractionalLengths.insert(snapshot->fractionalLengths.end(), layer.fractionalLengths.begin(),
                                               layer.fractionalLengths.end());
    }
    snapshot->timeline = timeline_.points();
    snapshot->floatTwin = floatTwin_;
    if (twin_)
        snapshot->floatRows = twin_->history().rows();
    snapshot->evaluation = evaluation_;
    snapshot->sampleImages = sampleImages_;
    sincePublished_.restart();
    emit snapshotReady(std::move(snapshot));
}

} // namespace fxlab
