// The CPU reference's layers: readable loops that define what every backend must compute.
#pragma once

#include "backend/backend.h"
#include "backend/cpu/quantize_stage.h"
#include "backend/cpu/thread_pool.h"
#include "backend/tensor.h"
#include "model/precision.h"

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace fxlab {

// What one layer needs to know about the current pass.
struct LayerContext {
    ThreadPool& pool;
    uint64_t seed = 0;
    uint32_t step = 0;
    uint32_t sampleOffset = 0;           // evaluation: index of the batch's first sample
    const std::array<bool, kTensorKindCount>* formatUpdates = nullptr;  // null: choose nothing
    LayerEvents* events = nullptr;       // null: count nothing (evaluation)

    bool chooseNow(TensorKind kind) const { return formatUpdates && (*formatUpdates)[size_t(kind)]; }
};

class CpuLayer {
public:
    CpuLayer(const LayerSpec& spec, uint32_t index, Shape input, Shape output, const LayerPrecision& precision)
        : spec_(spec), index_(index), input_(input), output_(output), precision_(precision)
    {
    }
    virtual ~CpuLayer() = default;

    const LayerSpec& spec() const { return spec_; }
    Shape inputShape() const { return input_; }
    Shape outputShape() const { return output_; }

    virtual void forward(const Tensor& input, Tensor& output, LayerContext& context) = 0;
    // `gradientInput` is null for the first layer, which has nothing to send its error to.
    virtual void backward(const Tensor& input, const Tensor& output, const Tensor& gradientOutput,
                          Tensor* gradientInput, LayerContext& context) = 0;
    virtual void update(const StepControl&, LayerContext&) {}

    virtual void loadState(const LayerState& state) { fractionalLengths_ = state.fractionalLengths; }
    virtual LayerState saveState() const;
    // Statistics of the weights, biases and weight gradients; other kinds come from the backend's tensors.
    virtual TensorStatistics parameterStatistics(TensorKind) const { return {}; }

protected:
    const TensorPrecision& precisionOf(TensorKind kind) const { return precision_[size_t(kind)]; }
    int& fractionalLengthOf(TensorKind kind) { return fractionalLengths_[size_t(kind)]; }
    RandomStream streamOf(RandomTensor tensor, const LayerContext& context) const
    {
        return {context.seed, context.step, index_, tensor};
    }
    QuantEvents* eventsOf(TensorKind kind, LayerContext& context) const
    {
        return context.events ? &(*context.events)[size_t(kind)] : nullptr;
    }

    // Turn exact sums, or floats, into `output` with the precision of `kind`.
    void storeExact(TensorKind kind, RandomTensor tensor, const std::vector<int64_t>& sums, int fractionalLength,
                    int batch, Shape shape, Tensor& output, LayerContext& context);
    void storeFloat(TensorKind kind, RandomTensor tensor, std::vector<float>& values, int batch, Shape shape,
                    Tensor& output, LayerContext& context);

    LayerSpec spec_;
    uint32_t index_;
    Shape input_;
    Shape output_;
    LayerPrecision precision_;
    std::array<int, kTensorKindCount> fractionalLengths_{};
};

std::unique_ptr<CpuLayer> makeCpuLayer(const LayerSpec& spec, uint32_t index, Shape input, Shape output,
                                       const LayerPrecision& precision, bool fixedPointMasterWeights);

// Statistics of a tensor (codes or floats) with the events of its latest quantization.
TensorStatistics statisticsOf(const Tensor& tensor, const QuantEvents& events);
TensorStatistics statisticsOfCodes(const std::vector<int32_t>& codes, FixedFormat format, const QuantEvents& events);
TensorStatistics statisticsOfValues(std::span<const float> values, const QuantEvents& events);

} // namespace fxlab
