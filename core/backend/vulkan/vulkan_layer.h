// The layers of the Vulkan backend, the twins of CpuLayer. A layer records its kernels into a
// step's command buffer. It owns its parameters and the dispatch sites that bind its kernels to
// the tensors around it; the backend owns those tensors.
//
// Lifecycle: construct (adds the layer's format and event slots to the runtime), loadState,
// then bind once the runtime and the tensors are allocated and again whenever they are
// reallocated; then record the passes of each step.
#pragma once

#include "backend/backend.h"
#include "backend/vulkan/vulkan_pass.h"
#include "backend/vulkan/vulkan_runtime.h"
#include "backend/vulkan/vulkan_store_stage.h"
#include "model/precision.h"
#include "numeric/philox.h"

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace fxlab {

class VulkanStep;

// The tensors around a layer.
struct LayerBinding {
    const DeviceTensor* input = nullptr;
    DeviceTensor* output = nullptr;          // null for the loss layer
    const DeviceTensor* gradientOutput = nullptr;  // the error arriving at the output; null for the loss layer
    DeviceTensor* gradientInput = nullptr;   // the error sent to the input; null for the first layer
};

// The bytes of a device buffer that a per-step checkpoint copies to the host.
struct CheckpointRegion {
    const VulkanBuffer* buffer = nullptr;
    VkDeviceSize bytes = 0;
};

// A tensor whose statistics the host reads: codes with their format slot, or floats.
struct StatisticsSource {
    const VulkanBuffer* buffer = nullptr;
    size_t elements = 0;
    bool isFixed = false;
    int wordBits = 32;
    int formatSlot = -1;
    std::optional<uint32_t> eventSlot;  // the events of its latest quantization
};

class VulkanLayer {
public:
    // Random tensors 0 to 7 of a layer each count their events in their own slot.
    static constexpr size_t kEventSlots = 8;

    VulkanLayer(VulkanRuntime& runtime, const LayerSpec& spec, uint32_t index, Shape input, Shape output,
                const LayerPrecision& precision);
    virtual ~VulkanLayer() = default;
    VulkanLayer(const VulkanLayer&) = delete;
    VulkanLayer& operator=(const VulkanLayer&) = delete;

    const LayerSpec& spec() const { return spec_; }
    uint32_t index() const { return index_; }
    Shape inputShape() const { return input_; }
    Shape outputShape() const { return output_; }
    const TensorPrecision& precisionOf(TensorKind kind) const { return precision_[size_t(kind)]; }
    int formatSlot(TensorKind kind) const { return kindSlots_[size_t(kind)]; }
    uint32_t eventSlot(RandomTensor tensor) const { return eventSlots_[size_t(tensor)]; }

    // The scratch space the layer's kernels need for a batch of `batch` samples.
    virtual ScratchSizes scratchSizes(int /*batch*/) const { return {}; }
    virtual void bind(const LayerBinding& binding) = 0;
    virtual void recordForward(VulkanStep& step, const VulkanPass& pass) = 0;
    // Records nothing for a layer without parameters that sends no error down.
    virtual void recordBackward(VulkanStep& step, const VulkanPass& pass) = 0;
    virtual void recordUpdate(VulkanStep&, const StepControl&, const VulkanPass&) {}

    // Sets the format slots from `state` and uploads the parameters.
    virtual void loadState(const LayerState& state);
    // The device buffers that hold the layer's parameters, in the order saveState() reads them.
    virtual std::vector<CheckpointRegion> checkpointRegions() const { return {}; }
    // Rebuilds the layer's state from checkpoint copies of its regions and of the format table.
    virtual LayerState saveState(std::span<const std::span<const std::byte>> regions,
                                 std::span<const int32_t> formats) const;
    // Weights, biases and weight gradients; the backend's tensors cover the other kinds.
    virtual std::array<std::optional<StatisticsSource>, kTensorKindCount> parameterStatistics() const { return {}; }
    // The event slots that a forward pass in evaluation writes and statistics report.
    virtual std::vector<uint32_t> parameterEventSlots() const { return {}; }

protected:
    // How a kernel's results reach a tensor of kind `kind`: the buffer the kernel writes, and the
    // store that rounds them into the target, absent when the kernel writes the target itself.
    struct OutputPath {
        const VulkanBuffer* kernelTarget = nullptr;
        std::optional<TensorStore> store;

        // Records the store of `elements` elements, if any.
        void record(VulkanStep& step, const VulkanPass& pass, TensorKind kind, uint32_t elements,
                    uint32_t firstRandomIndex) const;
    };
    // For a kernel that writes exact integers of `sourceKind` at formats[sourceSlot] + offset.
    OutputPath exactPath(TensorKind kind, RandomTensor tensor, SourceKind sourceKind, int sourceSlot, int sourceOffset,
                         const DeviceTensor& target) const;
    // For a kernel that writes floats.
    OutputPath floatPath(TensorKind kind, RandomTensor tensor, const DeviceTensor& target) const;
    // A store from `source` (for instance the input tensor itself) into `target`.
    OutputPath storeFrom(TensorKind kind, RandomTensor tensor, const StoreSource& source, const DeviceTensor& target) const;

    VulkanRuntime& runtime_;
    LayerSpec spec_;
    uint32_t index_;
    Shape input_;
    Shape output_;
    LayerPrecision precision_;
    std::array<int, kTensorKindCount> kindSlots_{};
    std::array<uint32_t, kEventSlots> eventSlots_{};
};

std::unique_ptr<VulkanLayer> makeVulkanLayer(VulkanRuntime& runtime, const LayerSpec& spec, uint32_t index,
                                             Shape input, Shape output, const LayerPrecision& precision,
                                             bool fixedPointMasterWeights);

} // namespace fxlab
