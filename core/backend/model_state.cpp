#include "backend/model_state.h"

#include "numeric/philox.h"

#include <cmath>

namespace fxlab {

ModelState initialState(const NetworkSpec& network, const PrecisionPlan& plan, uint64_t seed)
{
    const ShapeReport shapes = inferShapes(network);
    ModelState state;
    state.inputFractionalLength = plan.input.spec.format.fractionalLength;

    Shape input = network.input;
    for (size_t i = 0; i < network.layers.size(); ++i) {
        const LayerSpec& layer = network.layers[i];
        LayerState layerState;
        for (TensorKind kind : kAllTensorKinds)
            layerState.fractionalLengths[size_t(kind)] = plan.at(i, kind).spec.format.fractionalLength;

        const size_t weights = weightCount(layer, input);
        const size_t biases = biasCount(layer, input);
        if (weights > 0) {
            const size_t fanIn = weights / size_t(layer.type == LayerType::Convolution ? layer.filters : layer.units);
            const float bound = float(1.0 / std::sqrt(double(fanIn)));
            const RandomStream weightStream{seed, 0, uint32_t(i), RandomTensor::Initialization};
            const RandomStream biasStream{seed, 1, uint32_t(i), RandomTensor::Initialization};
            layerState.weights.resize(weights);
            for (size_t w = 0; w < weights; ++w)
                layerState.weights[w] = (2.0f * weightStream.uniform(uint32_t(w)) - 1.0f) * bound;
            layerState.biases.resize(biases);
            for (size_t b = 0; b < biases; ++b)
                layerState.biases[b] = (2.0f * biasStream.uniform(uint32_t(b)) - 1.0f) * bound;
            layerState.weightVelocity.assign(weights, 0.0f);
            layerState.biasVelocity.assign(biases, 0.0f);
        }
        state.layers.push_back(std::move(layerState));
        if (i < shapes.outputs.size())
            input = shapes.outputs[i];
    }
    return state;
}

ModelState stateForPlan(ModelState state, const PrecisionPlan& plan)
{
    if (!plan.input.isFloat && plan.input.policy == FractionalLengthPolicy::Manual)
        state.inputFractionalLength = plan.input.spec.format.fractionalLength;
    for (size_t i = 0; i < state.layers.size() && i < plan.layers.size(); ++i) {
        LayerState& layer = state.layers[i];
        for (TensorKind kind : kAllTensorKinds) {
            const TensorPrecision& next = plan.at(i, kind);
            if (!next.isFloat && next.policy == FractionalLengthPolicy::Manual)
                layer.fractionalLengths[size_t(kind)] = next.spec.format.fractionalLength;
        }
        layer.weightCodes.clear();
        layer.biasCodes.clear();
    }
    return state;
}

} // namespace fxlab
