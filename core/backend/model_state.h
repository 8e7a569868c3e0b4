// The trainable state of a network: parameters, momentum and the fractional lengths in use. It is
// what a checkpoint stores and what moves between backends.
#pragma once

#include "model/experiment.h"
#include "model/precision.h"

#include <array>
#include <cstdint>
#include <vector>

namespace fxlab {

struct LayerState {
    std::vector<float> weights;          // float master weights (or the values of the codes below)
    std::vector<float> biases;
    std::vector<float> weightVelocity;   // SGD momentum buffers
    std::vector<float> biasVelocity;
    std::vector<int32_t> weightCodes;    // with fixed-point master weights: the codes themselves
    std::vector<int32_t> biasCodes;
    // The fractional length each tensor kind uses now; data-driven policies change it.
    std::array<int, kTensorKindCount> fractionalLengths{};

    bool operator==(const LayerState&) const = default;
};

struct ModelState {
    int inputFractionalLength = 0;
    std::vector<LayerState> layers;

    bool operator==(const ModelState&) const = default;
};

// Parameters drawn like PyTorch's defaults for Conv2d and Linear: weights and biases uniform in
// [-1/sqrt(fan_in), 1/sqrt(fan_in)], from the counter-based generator keyed by `seed`, so every
// backend starts from the same bits. Fractional lengths start at each plan entry's own value.
ModelState initialState(const NetworkSpec& network, const PrecisionPlan& plan, uint64_t seed);

// The state to continue from under a new precision plan: every manual fractional length takes the
// plan's value at once, data-driven ones keep theirs until their policy chooses, and fixed-point
// master codes are dropped so that they are rounded again from their values in the new format.
ModelState stateForPlan(ModelState state, const PrecisionPlan& plan);

} // namespace fxlab
