#include "train/trainer.h"

#include "backend/model_state.h"
#include "train/train_logging.h"

#include <cmath>

namespace fxlab {

Q_LOGGING_CATEGORY(logTrain, "fxlab.train")

namespace {

// Adds `from` into `into`, layer by layer and kind by kind.
void addEvents(std::vector<LayerEvents>& into, const std::vector<LayerEvents>& from)
{
    into.resize(std::max(into.size(), from.size()));
    for (size_t i = 0; i < from.size(); ++i)
        for (size_t k = 0; k < size_t(kTensorKindCount); ++k)
            into[i][k] += from[i][k];
}

} // namespace

Trainer::Trainer(const Experiment& experiment, std::shared_ptr<const DatasetPair> data,
                 std::unique_ptr<Backend> backend, const std::optional<ModelState>& state)
    : experiment_(experiment), data_(std::move(data)), backend_(std::move(backend))
{
    const int classes = data_->train.classes;
    if (auto error = validateExperiment(experiment_, classes))
        throw Error("the experiment cannot run on " + data_->train.name + ": " + *error);
    if (data_->train.shape != experiment_.network.input)
        throw Error("the network expects inputs of " + toString(experiment_.network.input) + " but "
                    + data_->train.name + " has samples of " + toString(data_->train.shape));
    const int batch = experiment_.training.batchSize;
    if (data_->train.count() < batch)
        throw Error("the batch size " + std::to_string(batch) + " is larger than the " + std::to_string(data_->train.count())
                    + " samples of " + data_->train.name);

    stepsPerEpoch_ = uint32_t(data_->train.count() / batch);
    totalSteps_ = experiment_.training.steps > 0 ? uint32_t(experiment_.training.steps)
                                                 : uint32_t(experiment_.training.epochs) * stepsPerEpoch_;
    backend_->configure(experiment_, state ? *state : initialState(experiment_.network, experiment_.precision,
                                                                   experiment_.seed));
    totalEvents_.resize(experiment_.network.layers.size());
    qCInfo(logTrain) << "training" << QString::fromStdString(experiment_.name) << "for" << totalSteps_ << "steps on"
                     << QString::fromStdString(backend_->deviceName());
}

void Trainer::fillBatch(uint32_t step)
{
    const Dataset& train = data_->train;
    const uint32_t epoch = step / stepsPerEpoch_;
    if (epoch != orderEpoch_) {
        order_ = shuffledOrder(train.count(), experiment_.seed, epoch);
        orderEpoch_ = epoch;
    }

    const int batch = experiment_.training.batchSize;
    const size_t sampleSize = train.shape.size();
    batchImages_.resize(size_t(batch) * sampleSize);
    batchLabels_.resize(size_t(batch));
    const size_t first = size_t(step % stepsPerEpoch_) * size_t(batch);
    for (int i = 0; i < batch; ++i) {
        const uint32_t index = order_[first + size_t(i)];
        train.copyNormalized(int(index), batchImages_.data() + size_t(i) * sampleSize);
        batchLabels_[size_t(i)] = train.labels[index];
    }
}

FormatUpdates Trainer::formatUpdatesFor(uint32_t step)
{
    const PrecisionPlan& plan = experiment_.precision;
    FormatUpdates updates;
    updates.input = plan.input.policyDue(step);
    updates.layers.resize(plan.layers.size());
    for (size_t i = 0; i < plan.layers.size(); ++i)
        for (TensorKind kind : kAllTensorKinds)
            updates.layers[i][size_t(kind)] = plan.at(i, kind).policyDue(step);

    // A tensor whose precision just changed chooses again at once, whatever its interval.
    if (changedFrom_) {
        const TensorPrecision& input = plan.input;
        updates.input = updates.input || (!(input == changedFrom_->input) && input.policy != FractionalLengthPolicy::Manual);
        for (size_t i = 0; i < plan.layers.size(); ++i)
            for (TensorKind kind : kAllTensorKinds) {
                const TensorPrecision& now = plan.at(i, kind);
                const bool changed = !(now == changedFrom_->at(i, kind));
                if (changed && !now.isFloat && now.policy != FractionalLengthPolicy::Manual)
                    updates.layers[i][size_t(kind)] = true;
            }
        changedFrom_.reset();
    }
    return updates;
}

void Trainer::setPrecision(const PrecisionPlan& plan)
{
    if (auto error = validatePlan(plan, experiment_.network))
        throw Error("invalid precision plan: " + *error);
    if (!changedFrom_)
        changedFrom_ = experiment_.precision;
    backend_->setPrecision(plan);
    experiment_.precision = plan;
}

int Trainer::evaluationDue(uint32_t completedSteps) const
{
    if (completedSteps == totalSteps_ || completedSteps % stepsPerEpoch_ == 0)
        return -1;
    const int every = experiment_.training.evaluateEvery;
    if (every <= 0 || completedSteps % uint32_t(every) != 0)
        return 0;
    const int samples = experiment_.training.evaluationSamples;
    return samples > 0 && samples < data_->test.count() ? samples : -1;
}

void Trainer::checkFinite(const StepResult& result) const
{
    if (std::isfinite(result.lossSum))
        return;

    // Name the first tensor with a NaN or infinity, following the order of the forward pass.
    const Statistics statistics = backend_->statistics();
    const auto broken = [](const TensorStatistics& tensor) {
        return tensor.present && (tensor.isFixed ? tensor.events.notANumber > 0 : tensor.values.notFinite > 0);
    };
    std::string where;
    if (broken(statistics.input))
        where = "the input";
    for (size_t i = 0; i < statistics.layers.size() && where.empty(); ++i)
        for (TensorKind kind : {TensorKind::Weights, TensorKind::Biases, TensorKind::Activations})
            if (where.empty() && broken(statistics.layers[i][size_t(kind)]))
                where = experiment_.network.layers[i].name + " " + std::string(toString(kind));
    throw TrainingError("step " + std::to_string(step_ + 1) + ": the training loss is "
                        + (std::isnan(result.lossSum) ? "NaN" : "infinite")
                        + (where.empty() ? std::string() : "; the first tensor with NaN or infinity is " + where)
                        + ". Lower the learning rate, or give the diverging tensors more integer bits.");
}

std::optional<MetricsRow> Trainer::step()
{
    if (finished())
        return std::nullopt;

    fillBatch(step_);
    StepControl control;
    control.step = step_;
    control.learningRate = experiment_.training.learningRate;
    control.momentum = experiment_.training.momentum;
    control.weightDecay = experiment_.training.weightDecay;
    control.formatUpdates = formatUpdatesFor(step_);
    // A test evaluation after the step replaces the statistics, so they are not asked for then.
    const uint32_t completed = step_ + 1;
    const bool rowDue = completed % uint32_t(experiment_.training.logEvery) == 0;
    control.statistics = evaluationDue(completed) == 0 && (statisticsRequested_ || (statisticsAtRows_ && rowDue));
    statisticsRequested_ = false;

    const auto started = std::chrono::steady_clock::now();
    const BatchView batch{batchImages_.data(), batchLabels_.data(), experiment_.training.batchSize, 0};
    StepResult result = backend_->trainStep(batch, control);
    trainingTime_ += std::chrono::steady_clock::now() - started;
    samplesTrained_ += uint64_t(result.count);
    checkFinite(result);

    ++step_;
    ++pendingSteps_;
    pendingSamples_ += result.count;
    pendingLoss_ += result.lossSum;
    pendingCorrect_ += result.correct;
    pending_.inputEvents += result.inputEvents;
    addEvents(pending_.events, result.events);
    addEvents(totalEvents_, result.events);

    const int evaluate = evaluationDue(step_);
    if (evaluate == 0 && step_ % uint32_t(experiment_.training.logEvery) != 0)
        return std::nullopt;

    MetricsRow row = std::move(pending_);
    row.step = step_;
    row.epoch = epoch();
    row.trainLoss = pendingLoss_ / pendingSamples_;
    row.trainAccuracy = double(pendingCorrect_) / pendingSamples_;
    row.events.resize(experiment_.network.layers.size());
    lastTrainLoss_ = row.trainLoss;
    if (evaluate != 0) {
        try {
            const Evaluation evaluation = evaluateTest(evaluate > 0 ? evaluate : 0);
            row.testLoss = evaluation.loss;
            row.testAccuracy = evaluation.accuracy;
            row.testSamples = int(evaluation.predictions.size());
        } catch (const DeviceLostError&) {
            // The step itself completed: its metrics join the next row, without this evaluation.
            pending_ = std::move(row);
            throw;
        }
    }
    pending_ = {};
    pendingSteps_ = pendingSamples_ = pendingCorrect_ = 0;
    pendingLoss_ = 0;
    history_.append(row);
    return row;
}

void Trainer::replaceBackend(std::unique_ptr<Backend> backend)
{
    backend->configure(experiment_, backend_->state());
    qCInfo(logTrain) << "continuing at step" << step_ << "on" << QString::fromStdString(backend->deviceName());
    backend_ = std::move(backend);
}

std::string Trainer::describePause(const DeviceLostError& error) const
{
    return std::string(error.what()) + "; the run is paused at step " + std::to_string(step_)
        + " with its parameters kept";
}

Trainer::Evaluation Trainer::evaluateTest(int samples)
{
    const Dataset& test = data_->test;
    const int count = samples > 0 ? std::min(samples, test.count()) : test.count();
    constexpr int kChunk = 500;
    const size_t sampleSize = test.shape.size();
    std::vector<float> images(size_t(kChunk) * sampleSize);

    Evaluation evaluation;
    evaluation.step = step_;
    double lossSum = 0;
    int correct = 0;
    for (int first = 0; first < count; first += kChunk) {
        const int chunk = std::min(kChunk, count - first);
        for (int i = 0; i < chunk; ++i)
            test.copyNormalized(first + i, images.data() + size_t(i) * sampleSize);
        const BatchView batch{images.data(), test.labels.data() + first, chunk, uint32_t(first)};
        const EvaluationResult result = backend_->evaluate(batch, step_);
        lossSum += result.lossSum;
        correct += result.correct;
        evaluation.predictions.insert(evaluation.predictions.end(), result.predictions.begin(),
                                      result.predictions.end());
    }
    evaluation.loss = lossSum / std::max(1, count);
    evaluation.accuracy = double(correct) / std::max(1, count);
    lastTestAccuracy_ = evaluation.accuracy;
    lastEvaluation_ = evaluation;
    return evaluation;
}

double Trainer::samplesPerSecond() const
{
    const double seconds = std::chrono::duration<double>(trainingTime_).count();
    return seconds > 0 ? double(samplesTrained_) / seconds : 0.0;
}

} // namespace fxlab
