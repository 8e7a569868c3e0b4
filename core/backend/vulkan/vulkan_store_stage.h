// The last stage of every layer computation on the device, the twin of storeExact() and
// storeFloat() on the CPU: exact results (int32 or int64 integers with a fractional length, or
// floats) become a tensor of the target precision. When a max-abs policy is due for a
// fixed-point target, max_abs.comp and choose_fractional_length.comp first choose the fractional
// length from the exact results, on the device. Then store_fixed.comp rounds every element.
#pragma once

#include "backend/vulkan/vulkan_kernels.h"
#include "backend/vulkan/vulkan_pass.h"
#include "model/precision.h"
#include "numeric/philox.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace fxlab {

class VulkanBuffer;
class VulkanRuntime;
class VulkanStep;

// Exact results: int32 or int64 integers at the fractional length formats[formatSlot] +
// formatOffset, or float32 values.
struct StoreSource {
    const VulkanBuffer* buffer = nullptr;
    SourceKind kind = SourceKind::Int64;
    int formatSlot = -1;
    int formatOffset = 0;
};

// One tensor that a store writes: its source, its codes (or floats), and where its events go.
struct StorePart {
    StoreSource source;
    const VulkanBuffer* target = nullptr;
    // The QuantFlag bits of each element, written only for activations; may be null.
    const VulkanBuffer* flags = nullptr;
    uint32_t eventSlot = 0;
    RandomTensor randomTensor = RandomTensor::Activations;
};

// The store of one or two tensors that share a precision and one fractional length, such as
// the weight and bias gradients.
class TensorStore {
public:
    // `formatSlot` is the slot of the target's fractional length. With `previousSlot` (fixed-point master
    // weights), the choice also saves the old fractional length there, and the codes, which are
    // then the source, are rounded again only when it changed. A float target whose source is
    // float needs no store: the producer writes the target itself.
    TensorStore(VulkanRuntime& runtime, const TensorPrecision& precision, int formatSlot, uint32_t layer,
                std::vector<StorePart> parts, int previousSlot = -1);

    // Records the store of `counts[i]` elements of part i; element 0 draws random index
    // `firstRandomIndex`. `chooseNow` runs the fractional-length policy first.
    // NOTE: the SQNR policies sum squares in double in the order of the CPU reference, which a
    // shader cannot reproduce. On the steps where such a policy chooses, the step is submitted up
    // to this store, the source is read back, and the CPU code chooses. That costs one host round
    // trip per such tensor on those steps.
    void record(VulkanStep& step, const VulkanPass& pass, bool chooseNow, std::span<const uint32_t> counts,
                uint32_t firstRandomIndex) const;

    bool isFloat() const { return precision_.isFloat; }

private:
    void recordMaxAbsChoice(VulkanStep& step, std::span<const uint32_t> counts) const;
    void chooseOnHost(VulkanStep& step, std::span<const uint32_t> counts) const;

    VulkanRuntime* runtime_;  // a pointer, so that stores can be reassigned
    TensorPrecision precision_;
    int formatSlot_;
    uint32_t layer_;
    std::vector<StorePart> parts_;
    int previousSlot_;
    std::vector<KernelCall> maxAbs_;
    std::optional<KernelCall> choose_;
    std::vector<KernelCall> stores_;
};

} // namespace fxlab
