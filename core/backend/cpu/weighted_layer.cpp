#include "backend/cpu/weighted_layer.h"

#include "error.h"

namespace fxlab {

WeightedLayer::WeightedLayer(const LayerSpec& spec, uint32_t index, Shape input, Shape output,
                             const LayerPrecision& precision, bool fixedPointMasterWeights)
    : CpuLayer(spec, index, input, output, precision), fixedPointMasterWeights_(fixedPointMasterWeights)
{
}

FixedFormat WeightedLayer::weightFormat() const
{
    return {precisionOf(TensorKind::Weights).spec.format.wordBits, fractionalLengths_[size_t(TensorKind::Weights)]};
}

FixedFormat WeightedLayer::biasFormat() const
{
    return {precisionOf(TensorKind::Biases).spec.format.wordBits, fractionalLengths_[size_t(TensorKind::Biases)]};
}

void WeightedLayer::loadState(const LayerState& state)
{
    CpuLayer::loadState(state);
    weight_.master = state.weights;
    bias_.master = state.biases;
    weight_.velocity = state.weightVelocity;
    bias_.velocity = state.biasVelocity;
    weight_.velocity.resize(weight_.master.size(), 0.0f);
    bias_.velocity.resize(bias_.master.size(), 0.0f);

    if (!fixedPointMasterWeights_)
        return;
    // Master codes come from the state when it has them, otherwise from the float weights.
    const auto loadCodes = [&](Parameter& parameter, const std::vector<int32_t>& codes, TensorKind kind) {
        if (precisionOf(kind).isFloat)
            return;
        FixedPointSpec spec = precisionOf(kind).spec;
        spec.format.fractionalLength = fractionalLengthOf(kind);
        parameter.codeFormat = spec.format;
        if (codes.size() == parameter.master.size()) {
            parameter.codes = codes;
            return;
        }
        parameter.codes.resize(parameter.master.size());
        for (size_t i = 0; i < parameter.master.size(); ++i)
            parameter.codes[i] = quantize(parameter.master[i], spec).code;
    };
    loadCodes(weight_, state.weightCodes, TensorKind::Weights);
    loadCodes(bias_, state.biasCodes, TensorKind::Biases);
}

LayerState WeightedLayer::saveState() const
{
    LayerState state = CpuLayer::saveState();
    state.weights = weight_.master;
    state.biases = bias_.master;
    state.weightVelocity = weight_.velocity;
    state.biasVelocity = bias_.velocity;
    if (fixedPointMasterWeights_) {
        // The float copies carry the codes' values so that a float run can continue from them.
        const auto valuesOf = [&](const Parameter& parameter, TensorKind kind, std::vector<float>& values,
                                  std::vector<int32_t>& codes) {
            if (precisionOf(kind).isFloat)
                return;
            codes = parameter.codes;
            for (size_t i = 0; i < codes.size(); ++i)
                values[i] = dequantize(codes[i], fractionalLengths_[size_t(kind)]);
        };
        valuesOf(weight_, TensorKind::Weights, state.weights, state.weightCodes);
        valuesOf(bias_, TensorKind::Biases, state.biases, state.biasCodes);
    }
    return state;
}

void WeightedLayer::prepareParameter(Parameter& parameter, TensorKind kind, RandomTensor tensor,
                                     LayerContext& context)
{
    const TensorPrecision& precision = precisionOf(kind);
    if (precision.isFloat) {
        parameter.values = parameter.master;
        parameter.codes.clear();
        return;
    }

    int& current = fractionalLengthOf(kind);
    parameter.lastEvents = {};
    if (fixedPointMasterWeights_) {
        // The codes are the weights; a new fractional length re-rounds them once.
        if (context.chooseNow(kind)) {
            std::vector<int64_t> exact(parameter.codes.begin(), parameter.codes.end());
            const int previous = current;
            const ValueSummary summary =
                summarizeExact(exact.data(), exact.size(), previous, precision.spec.format.wordBits, context.pool);
            current = chooseFractionalLength(precision, summary, current);
            if (current != previous) {
                FixedPointSpec spec = precision.spec;
                spec.format.fractionalLength = current;
                quantizeExact(exact.data(), exact.size(), previous, {spec, streamOf(tensor, context), 0},
                              parameter.codes.data(), parameter.lastEvents, context.pool);
            }
        }
    } else {
        if (context.chooseNow(kind)) {
            const ValueSummary summary = summarizeFloat(parameter.master.data(), parameter.master.size(),
                                                        precision.spec.format.wordBits, context.pool);
            current = chooseFractionalLength(precision, summary, current);
        }
        FixedPointSpec spec = precision.spec;
        spec.format.fractionalLength = current;
        parameter.codes.resize(parameter.master.size());
        quantizeFloat(parameter.master.data(), parameter.master.size(), {spec, streamOf(tensor, context), 0},
                      parameter.codes.data(), parameter.lastEvents, context.pool);
    }

    parameter.codeFormat = {precision.spec.format.wordBits, current};
    parameter.values.resize(parameter.codes.size());
    for (size_t i = 0; i < parameter.codes.size(); ++i)
        parameter.values[i] = dequantize(parameter.codes[i], current);
    if (QuantEvents* total = eventsOf(kind, context))
        *total += parameter.lastEvents;
}

void WeightedLayer::prepareParameters(LayerContext& context)
{
    prepareParameter(weight_, TensorKind::Weights, RandomTensor::Weights, context);
    if (spec_.bias)
        prepareParameter(bias_, TensorKind::Biases, RandomTensor::Biases, context);
}

void WeightedLayer::storeGradientsExact(const std::vector<int64_t>& weightSums, int weightFractionalLength,
                                        const std::vector<int64_t>& biasSums, int biasFractionalLength,
                                        LayerContext& context)
{
    const TensorPrecision& precision = precisionOf(TensorKind::WeightGradients);
    if (precision.isFloat) {
        weight_.gradientCodes.clear();
        bias_.gradientCodes.clear();
        weight_.gradientValues.resize(weightSums.size());
        exactToFloats(weightSums.data(), weightSums.size(), weightFractionalLength, weight_.gradientValues.data(),
                      context.pool);
        bias_.gradientValues.resize(biasSums.size());
        exactToFloats(biasSums.data(), biasSums.size(), biasFractionalLength, bias_.gradientValues.data(),
                      context.pool);
        return;
    }

    int& current = fractionalLengthOf(TensorKind::WeightGradients);
    const int wordBits = precision.spec.format.wordBits;
    if (context.chooseNow(TensorKind::WeightGradients)) {
        ValueSummary summary =
            summarizeExact(weightSums.data(), weightSums.size(), weightFractionalLength, wordBits, context.pool);
        summary.merge(summarizeExact(biasSums.data(), biasSums.size(), biasFractionalLength, wordBits, context.pool));
        current = chooseFractionalLength(precision, summary, current);
    }

    FixedPointSpec spec = precision.spec;
    spec.format.fractionalLength = current;
    weight_.gradientFormat = bias_.gradientFormat = spec.format;
    weight_.gradientCodes.resize(weightSums.size());
    bias_.gradientCodes.resize(biasSums.size());
    weight_.lastGradientEvents = {};
    bias_.lastGradientEvents = {};
    quantizeExact(weightSums.data(), weightSums.size(), weightFractionalLength,
                  {spec, streamOf(RandomTensor::WeightGradients, context), 0}, weight_.gradientCodes.data(),
                  weight_.lastGradientEvents, context.pool);
    quantizeExact(biasSums.data(), biasSums.size(), biasFractionalLength,
                  {spec, streamOf(RandomTensor::BiasGradients, context), 0}, bias_.gradientCodes.data(),
                  bias_.lastGradientEvents, context.pool);

    for (Parameter* parameter : {&weight_, &bias_}) {
        parameter->gradientValues.resize(parameter->gradientCodes.size());
        for (size_t i = 0; i < parameter->gradientCodes.size(); ++i)
            parameter->gradientValues[i] = dequantize(parameter->gradientCodes[i], current);
        if (QuantEvents* total = eventsOf(TensorKind::WeightGradients, context))
            *total += parameter->lastGradientEvents;
    }
}

void WeightedLayer::storeGradientsFloat(std::vector<float>& weightGradients, std::vector<float>& biasGradients,
                                        LayerContext& context)
{
    const TensorPrecision& precision = precisionOf(TensorKind::WeightGradients);
    if (precision.isFloat) {
        weight_.gradientValues.swap(weightGradients);
        bias_.gradientValues.swap(biasGradients);
        weight_.gradientCodes.clear();
        bias_.gradientCodes.clear();
        return;
    }

    int& current = fractionalLengthOf(TensorKind::WeightGradients);
    const int wordBits = precision.spec.format.wordBits;
    if (context.chooseNow(TensorKind::WeightGradients)) {
        ValueSummary summary = summarizeFloat(weightGradients.data(), weightGradients.size(), wordBits, context.pool);
        summary.merge(summarizeFloat(biasGradients.data(), biasGradients.size(), wordBits, context.pool));
        current = chooseFractionalLength(precision, summary, current);
    }

    FixedPointSpec spec = precision.spec;
    spec.format.fractionalLength = current;
    const auto store = [&](Parameter& parameter, std::vector<float>& gradients, RandomTensor tensor) {
        parameter.gradientFormat = spec.format;
        parameter.gradientCodes.resize(gradients.size());
        parameter.lastGradientEvents = {};
        quantizeFloat(gradients.data(), gradients.size(), {spec, streamOf(tensor, context), 0},
                      parameter.gradientCodes.data(), parameter.lastGradientEvents, context.pool);
        parameter.gradientValues.resize(gradients.size());
        for (size_t i = 0; i < gradients.size(); ++i)
            parameter.gradientValues[i] = dequantize(parameter.gradientCodes[i], current);
        if (QuantEvents* total = eventsOf(TensorKind::WeightGradients, context))
            *total += parameter.lastGradientEvents;
    };
    store(weight_, weightGradients, RandomTensor::WeightGradients);
    store(bias_, biasGradients, RandomTensor::BiasGradients);
}

void WeightedLayer::updateParameter(Parameter& parameter, TensorKind kind, RandomTensor tensor,
                                    const StepControl& control, LayerContext& context)
{
    const bool fixedMaster = fixedPointMasterWeights_ && !precisionOf(kind).isFloat;
    const size_t count = parameter.velocity.size();
    std::vector<float> updated(count);

    // PyTorch's SGD: d = g + decay * w; v = momentum * v + d; w = w - rate * v.
    for (size_t i = 0; i < count; ++i) {
        const float weight = fixedMaster ? parameter.values[i] : parameter.master[i];
        const float direction = parameter.gradientValues[i] + control.weightDecay * weight;
        parameter.velocity[i] = control.momentum * parameter.velocity[i] + direction;
        updated[i] = weight - control.learningRate * parameter.velocity[i];
    }

    if (!fixedMaster) {
        parameter.master.swap(updated);
        return;
    }
    // Fixed-point master codes: the update is rounded stochastically so that steps smaller than
    // one code still move the weight on average.
    FixedPointSpec spec = precisionOf(kind).spec;
    spec.format.fractionalLength = fractionalLengthOf(kind);
    spec.rounding = RoundingMode::Stochastic;
    QuantEvents events;
    quantizeFloat(updated.data(), count, {spec, streamOf(tensor, context), 0}, parameter.codes.data(), events,
                  context.pool);
    if (QuantEvents* total = eventsOf(kind, context))
        *total += events;
}

void WeightedLayer::update(const StepControl& control, LayerContext& context)
{
    updateParameter(weight_, TensorKind::Weights, RandomTensor::WeightUpdate, control, context);
    if (spec_.bias)
        updateParameter(bias_, TensorKind::Biases, RandomTensor::BiasUpdate, control, context);
}

TensorStatistics WeightedLayer::parameterStatistics(TensorKind kind) const
{
    // Statistics describe the codes of the latest pass in the format they were made with; after a
    // precision change that is the old format until the next step.
    const auto ofParameter = [&](const Parameter& parameter, TensorKind parameterKind) {
        if (!precisionOf(parameterKind).isFloat && !parameter.codes.empty())
            return statisticsOfCodes(parameter.codes, parameter.codeFormat, parameter.lastEvents);
        return statisticsOfValues(parameter.master, {});
    };
    switch (kind) {
    case TensorKind::Weights:
        return ofParameter(weight_, TensorKind::Weights);
    case TensorKind::Biases:
        return spec_.bias ? ofParameter(bias_, TensorKind::Biases) : TensorStatistics{};
    case TensorKind::WeightGradients:
        if (!weight_.gradientCodes.empty())
            return statisticsOfCodes(weight_.gradientCodes, weight_.gradientFormat, weight_.lastGradientEvents);
        if (!weight_.gradientValues.empty())
            return statisticsOfValues(weight_.gradientValues, {});
        return {};
    default:
        return {};
    }
}

} // namespace fxlab
