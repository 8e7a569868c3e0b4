// The interface that every training backend implements: the CPU reference and the Vulkan backend.
// A backend owns the network's parameters and the tensors of the latest step. It is used from one
// thread at a time (the trainer's).
#pragma once

#include "backend/model_state.h"
#include "model/experiment.h"
#include "numeric/histogram.h"
#include "numeric/quantizer.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace fxlab {

// A mini-batch in host memory: `count` samples of normalized floats and their labels.
struct BatchView {
    const float* images = nullptr;
    const uint8_t* labels = nullptr;
    int count = 0;
    // Position of the first sample in its data set; evaluation keys its random bits with it so a
    // sample's result does not depend on how the test set is split into batches.
    uint32_t sampleOffset = 0;
};

// Which tensors must choose their fractional length from the data at this step.
struct FormatUpdates {
    bool input = false;
    std::vector<std::array<bool, kTensorKindCount>> layers;
};

struct StepControl {
    uint32_t step = 0;
    float learningRate = 0.05f;
    float momentum = 0.9f;
    float weightDecay = 0.0f;
    FormatUpdates formatUpdates;
    // The caller will ask for this step's statistics, so a backend may compute them with the step.
    bool statistics = false;
};

using LayerEvents = std::array<QuantEvents, kTensorKindCount>;

struct StepResult {
    double lossSum = 0;  // the sum of the samples' losses, added in sample order
    int correct = 0;
    int count = 0;
    QuantEvents inputEvents;
    std::vector<LayerEvents> events;  // one per layer
};

struct EvaluationResult {
    double lossSum = 0;
    int correct = 0;
    std::vector<uint8_t> predictions;  // the predicted class of each sample
};

// Statistics of one tensor after the latest step, for histograms and counters.
struct TensorStatistics {
    bool present = false;        // false when the layer has no tensor of this kind
    bool isFixed = false;
    FixedFormat format;          // the format in use when fixed
    CodeHistogram codes;         // when fixed
    ValueHistogram values;       // when float
    QuantEvents events;          // of the latest quantization
    float minimum = 0;
    float maximum = 0;
};

struct Statistics {
    uint32_t step = 0;
    TensorStatistics input;
    std::vector<std::array<TensorStatistics, kTensorKindCount>> layers;
};

class Backend {
public:
    virtual ~Backend() = default;

    // "cpu" or "vulkan", and a human-readable device description.
    virtual std::string name() const = 0;
    virtual std::string deviceName() const = 0;

    // Builds the network of `experiment` with the parameters in `state`. Throws fxlab::Error for
    // a network or precision plan it cannot run.
    virtual void configure(const Experiment& experiment, const ModelState& state) = 0;
    // Switches to a new precision plan for the same network, keeping the parameters.
    virtual void setPrecision(const PrecisionPlan& plan) = 0;

    virtual StepResult trainStep(const BatchView& batch, const StepControl& control) = 0;
    // The forward pass only, with the current formats; `step` keys stochastic rounding.
    virtual EvaluationResult evaluate(const BatchView& batch, uint32_t step) = 0;

    virtual ModelState state() const = 0;
    virtual Statistics statistics() const = 0;
};

} // namespace fxlab
