// Convolution and dense layers on the device. A dense layer runs the convolution kernels as the
// convolution of a 1x1 map whose channels are the inputs, with a 1x1 kernel: the sums and their
// order are those of the CPU reference's dense layer.
#pragma once

#include "backend/vulkan/vulkan_accumulator_table.h"
#include "backend/vulkan/vulkan_kernel_parameters.h"
#include "backend/vulkan/vulkan_layer.h"

#include <map>

namespace fxlab {

class VulkanConvolutionLayer : public VulkanLayer {
public:
    VulkanConvolutionLayer(VulkanRuntime& runtime, const LayerSpec& spec, uint32_t index, Shape input, Shape output,
                           const LayerPrecision& precision, bool fixedPointMasterWeights);

    ScratchSizes scratchSizes(int batch) const override;
    void bind(const LayerBinding& binding) override;
    void recordForward(VulkanStep& step, const VulkanPass& pass) override;
    void recordBackward(VulkanStep& step, const VulkanPass& pass) override;
    void recordUpdate(VulkanStep& step, const StepControl& control, const VulkanPass& pass) override;

    void loadState(const LayerState& state) override;
    std::vector<CheckpointRegion> checkpointRegions() const override;
    LayerState saveState(std::span<const std::span<const std::byte>> regions,
                         std::span<const int32_t> formats) const override;
    std::array<std::optional<StatisticsSource>, kTensorKindCount> parameterStatistics() const override;
    std::vector<uint32_t> parameterEventSlots() const override;

private:
    // The weights or the biases: float master copy (or fixed-point master codes), momentum, this
    // pass's codes and the latest gradient, with the dispatch sites that prepare and update them.
    struct Parameter {
        TensorKind kind;
        RandomTensor tensor;          // the random bits and events of its quantization
        RandomTensor gradientTensor;
        RandomTensor updateTensor;
        size_t count;
        VulkanBuffer master;
        VulkanBuffer velocity;
        VulkanBuffer codes;
        VulkanBuffer gradient;        // codes or floats, following the weight-gradient precision
        int previousSlot;             // the format before a fixed-point master copy's new choice
        std::optional<TensorStore> prepare;
        std::optional<KernelCall> update;
        std::optional<TensorStore> updateStore;
    };

    Parameter makeParameter(TensorKind kind, size_t count);
    bool isFixed(TensorKind kind) const { return !precisionOf(kind).isFloat; }
    bool hasFixedMaster(const Parameter& parameter) const;
    // The buffer float kernels read for a parameter: its codes when fixed, its master when float.
    const VulkanBuffer& valuesOf(const Parameter& parameter) const;
    ConvolutionGeometry geometryFor(int batch) const;
    int columnRows() const { return geometry_.inChannels * geometry_.kernel * geometry_.kernel; }
    size_t inputSize() const { return input_.size(); }
    size_t outputSize() const { return output_.size(); }

    void bindPrepare(Parameter& parameter);
    void bindForward();
    void bindBackwardWeights();
    void bindBackwardInput();
    void bindUpdate(Parameter& parameter);
    void uploadPlans();
    const KernelCall& backwardWeightsCall(VulkanStep& step, int batch);

    void recordPrepare(VulkanStep& step, const VulkanPass& pass, const Parameter& parameter) const;
    void recordBackwardWeights(VulkanStep& step, const VulkanPass& pass);
    void recordBackwardInput(VulkanStep& step, const VulkanPass& pass) const;
    void recordUpdate(VulkanStep& step, const StepControl& control, const VulkanPass& pass,
                      const Parameter& parameter) const;

    bool fixedPointMasterWeights_;
    ConvolutionGeometry geometry_;  // batch 0; each record sets its own
    Parameter weights_;
    std::optional<Parameter> biases_;
    // Slots of the fractional lengths of the exact sums, which the integer kernels write.
    int forwardSumSlot_;
    int backwardInputSumSlot_;
    int backwardWeightsSumSlot_;

    LayerBinding binding_;
    bool forwardFixed_ = false;
    bool backwardInputFixed_ = false;
    bool backwardWeightsFixed_ = false;
    // The plan tables, one after another: forward, backward to the input, backward to the weights.
    AccumulatorTable forwardTable_;
    AccumulatorTable backwardInputTable_;
    std::optional<VulkanBuffer> plans_;
    int plannedBatch_ = 0;  // the batch of the weight-gradient plan in the plan buffer
    uint32_t backwardWeightsAccumulator_ = 0;

    std::optional<KernelCall> forward_;
    OutputPath forwardPath_;
    std::map<uint32_t, KernelCall> backwardWeights_;  // integer variants by accumulator
    std::optional<KernelCall> backwardWeightsFloat_;
    std::optional<KernelCall> biasGradient_;
    std::optional<TensorStore> gradientStore_;
    std::optional<KernelCall> backwardInput_;
    OutputPath backwardInputPath_;
    bool forwardRecorded_ = false;
    bool backwardRecorded_ = false;
};

} // namespace fxlab
