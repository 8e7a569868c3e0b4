#include "backend/cpu/cpu_backend.h"

#include "error.h"

#include <QLoggingCategory>

#include <thread>

namespace fxlab {

Q_LOGGING_CATEGORY(logCpu, "fxlab.backend.cpu")

CpuBackend::CpuBackend(int threads) : pool_(threads) {}

std::string CpuBackend::deviceName() const
{
    return "CPU, " + std::to_string(pool_.threadCount()) + (pool_.threadCount() == 1 ? " thread" : " threads");
}

void CpuBackend::configure(const Experiment& experiment, const ModelState& state)
{
    if (auto error = validateExperiment(experiment))
        throw Error("cannot build the network: " + *error);
    if (state.layers.size() != experiment.network.layers.size())
        throw Error("the model state has " + std::to_string(state.layers.size()) + " layers but the network has "
                    + std::to_string(experiment.network.layers.size()));

    experiment_ = experiment;
    const ShapeReport shapes = inferShapes(experiment.network);
    layers_.clear();
    Shape input = experiment.network.input;
    for (size_t i = 0; i < experiment.network.layers.size(); ++i) {
        layers_.push_back(makeCpuLayer(experiment.network.layers[i], uint32_t(i), input, shapes.outputs[i],
                                       experiment.precision.layers[i], experiment.training.fixedPointMasterWeights));
        layers_.back()->loadState(state.layers[i]);
        input = shapes.outputs[i];
    }
    loss_ = dynamic_cast<SoftmaxCrossEntropyLayer*>(layers_.back().get());
    inputFractionalLength_ = state.inputFractionalLength;
    activations_.assign(layers_.size(), {});
    gradients_.assign(layers_.size(), {});
    lastEvents_.assign(layers_.size(), {});
    qCInfo(logCpu) << "configured" << layers_.size() << "layers on" << pool_.threadCount() << "threads";
}

void CpuBackend::setPrecision(const PrecisionPlan& plan)
{
    if (auto error = validatePlan(plan, experiment_.network))
        throw Error("invalid precision plan: " + *error);
    // The layers are built again for the new plan: the Vulkan backend does the same, so both show
    // only the parameters in their statistics until the next step.
    Experiment experiment = experiment_;
    experiment.precision = plan;
    const uint32_t step = lastStep_;
    configure(experiment, stateForPlan(state(), plan));
    lastStep_ = step;
}

namespace {

// Zeroes the error of every output element that saturated in the forward pass.
void maskSaturated(const Tensor& output, Tensor& gradient)
{
    for (size_t i = 0; i < output.saturated.size(); ++i) {
        if (!output.saturated[i])
            continue;
        if (gradient.isFixed)
            gradient.codes[i] = 0;
        else
            gradient.values[i] = 0.0f;
    }
}

} // namespace

LayerContext CpuBackend::contextFor(size_t, uint32_t step, uint32_t sampleOffset)
{
    LayerContext context{pool_};
    context.seed = experiment_.seed;
    context.step = step;
    context.sampleOffset = sampleOffset;
    return context;
}

void CpuBackend::quantizeInput(const BatchView& batch, uint32_t step, bool chooseNow, QuantEvents* events)
{
    const Shape shape = experiment_.network.input;
    std::vector<float> values(batch.images, batch.images + size_t(batch.count) * shape.size());
    const TensorPrecision& precision = experiment_.precision.input;
    if (precision.isFloat) {
        input_.resizeFloat(batch.count, shape);
        input_.values.swap(values);
        return;
    }

    if (chooseNow) {
        const ValueSummary summary = summarizeFloat(values.data(), values.size(), precision.spec.format.wordBits, pool_);
        inputFractionalLength_ = chooseFractionalLength(precision, summary, inputFractionalLength_);
    }
    FixedPointSpec spec = precision.spec;
    spec.format.fractionalLength = inputFractionalLength_;
    input_.resizeFixed(batch.count, shape, spec.format);
    const RandomStream stream{experiment_.seed, step, kNoLayer, RandomTensor::Input};
    QuantEvents counted;
    quantizeFloat(values.data(), values.size(), {spec, stream, uint32_t(batch.sampleOffset * shape.size())},
                  input_.codes.data(), counted, pool_);
    if (events)
        *events += counted;
}

void CpuBackend::forward(LayerContext& base, std::vector<LayerEvents>* events, const FormatUpdates* updates)
{
    for (size_t i = 0; i + 1 < layers_.size(); ++i) {
        LayerContext context = base;
        context.events = events ? &(*events)[i] : nullptr;
        context.formatUpdates = updates ? &updates->layers[i] : nullptr;
        layers_[i]->forward(i == 0 ? input_ : activations_[i - 1], activations_[i], context);
    }
}

StepResult CpuBackend::trainStep(const BatchView& batch, const StepControl& control)
{
    lastStep_ = control.step;
    std::vector<LayerEvents> events(layers_.size());
    QuantEvents inputEvents;
    quantizeInput(batch, control.step, control.formatUpdates.input, &inputEvents);

    LayerContext base = contextFor(0, control.step, 0);
    forward(base, &events, &control.formatUpdates);

    const size_t last = layers_.size() - 1;
    LayerContext lossContext = base;
    lossContext.events = &events[last];
    lossContext.formatUpdates = &control.formatUpdates.layers[last];
    const auto loss = loss_->evaluate(last == 0 ? input_ : activations_[last - 1], batch.labels, &gradients_[last],
                                      lossContext);

    for (size_t i = last; i-- > 0;) {
        LayerContext context = base;
        context.events = &events[i];
        context.formatUpdates = &control.formatUpdates.layers[i];
        maskSaturated(activations_[i], gradients_[i + 1]);
        layers_[i]->backward(i == 0 ? input_ : activations_[i - 1], activations_[i], gradients_[i + 1],
                             i == 0 ? nullptr : &gradients_[i], context);
    }
    for (size_t i = 0; i < last; ++i) {
        LayerContext context = base;
        context.events = &events[i];
        layers_[i]->update(control, context);
    }

    inputEvents_ = inputEvents;
    lastEvents_ = events;
    StepResult result;
    result.lossSum = loss.lossSum;
    result.correct = loss.correct;
    result.count = batch.count;
    result.inputEvents = inputEvents;
    result.events = std::move(events);
    return result;
}

EvaluationResult CpuBackend::evaluate(const BatchView& batch, uint32_t step)
{
    quantizeInput(batch, step, false, nullptr);
    LayerContext base = contextFor(0, step, batch.sampleOffset);
    forward(base, nullptr, nullptr);
    const size_t last = layers_.size() - 1;
    auto loss = loss_->evaluate(last == 0 ? input_ : activations_[last - 1], batch.labels, nullptr, base);
    return {loss.lossSum, loss.correct, std::move(loss.predictions)};
}

ModelState CpuBackend::state() const
{
    ModelState state;
    state.inputFractionalLength = inputFractionalLength_;
    for (const auto& layer : layers_)
        state.layers.push_back(layer->saveState());
    return state;
}

Statistics CpuBackend::statistics() const
{
    Statistics statistics;
    statistics.step = lastStep_;
    statistics.input = statisticsOf(input_, inputEvents_);
    for (size_t i = 0; i < layers_.size(); ++i) {
        std::array<TensorStatistics, kTensorKindCount> kinds;
        for (TensorKind kind : {TensorKind::Weights, TensorKind::Biases, TensorKind::WeightGradients})
            kinds[size_t(kind)] = layers_[i]->parameterStatistics(kind);
        if (i + 1 < layers_.size())
            kinds[size_t(TensorKind::Activations)] =
                statisticsOf(activations_[i], lastEvents_[i][size_t(TensorKind::Activations)]);
        kinds[size_t(TensorKind::ActivationGradients)] =
            statisticsOf(gradients_[i], lastEvents_[i][size_t(TensorKind::ActivationGradients)]);
        statistics.layers.push_back(std::move(kinds));
    }
    return statistics;
}


} // namespace fxlab
