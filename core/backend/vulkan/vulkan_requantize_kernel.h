// The requantization kernel, shaders/requantize.comp: turns float32 values or int64 mantissas into
// fixed-point codes and event flags, bit for bit as requantize() and quantize() do on the CPU, and
// adds the event counts of the dispatch to 64-bit counters.
#pragma once

#include "backend/vulkan/vulkan_pipeline.h"
#include "numeric/fixed_format.h"
#include "numeric/philox.h"
#include "numeric/quantizer.h"

#include <vulkan/vulkan.h>

#include <cstdint>
#include <span>

namespace fxlab {

// The input variant, the specialization constant kInputKind of requantize.comp.
enum class RequantizeInput : uint32_t {
    Float32Bits = 0,  // one uint32 per element, the bit pattern of a float32
    Mantissa64 = 1,   // one int64 per element, at the source fractional length
};

// The push constants of requantize.comp, field for field.
struct RequantizePushConstants {
    uint32_t elementCount = 0;
    uint32_t firstElementIndex = 0;  // the Philox index of the dispatch's first element
    int32_t wordBits = 0;
    int32_t fractionalLength = 0;
    uint32_t rounding = 0;
    uint32_t overflow = 0;
    int32_t sourceFractionalLength = 0;
    uint32_t seedLow = 0;
    uint32_t seedHigh = 0;
    uint32_t step = 0;
    uint32_t layer = 0;
    uint32_t tensor = 0;
};
static_assert(sizeof(RequantizePushConstants) == 48, "must match the push-constant block of requantize.comp");

// The push constants for quantizing to `spec` with the random bits of `stream`. The caller sets
// elementCount and firstElementIndex, which are left 0.
RequantizePushConstants requantizePushConstants(const FixedPointSpec& spec, const RandomStream& stream,
                                                int sourceFractionalLength);

class RequantizeKernel {
public:
    // Storage-buffer bindings of requantize.comp.
    static constexpr uint32_t kInputBinding = 0;     // uint32 words: 1 per element, or 2 for Mantissa64
    static constexpr uint32_t kCodesBinding = 1;     // int32 per element
    static constexpr uint32_t kFlagsBinding = 2;     // uint32 QuantFlag bits per element
    static constexpr uint32_t kCountersBinding = 3;  // kCounterWords uint32
    static constexpr uint32_t kBindingCount = 4;
    // Saturated, underflowed and NaN counts, each a uint64 as (low word, high word), so that they
    // cannot wrap even for 2^32 elements. Dispatches add to them, and the caller zeroes them.
    static constexpr uint32_t kCounterWords = 6;

    explicit RequantizeKernel(const VulkanContext& context);

    const ComputeKernelLayout& layout() const { return layout_; }
    uint32_t workgroupSize() const { return workgroupSize_; }
    // The maximum number of elements of one dispatch, set by the device's maximum workgroup count
    // and storage-buffer range.
    uint32_t maxElementsPerDispatch() const { return maxElementsPerDispatch_; }

    // Records one dispatch over parameters.elementCount elements (1 to maxElementsPerDispatch()).
    // The caller's barriers must order the input writes and the zeroing of the counters before it,
    // and its writes before the reads of the codes, flags and counters.
    void recordDispatch(VkCommandBuffer commands, const StorageBufferSet& buffers, RequantizeInput input,
                        const RequantizePushConstants& parameters) const;

private:
    uint32_t workgroupSize_ = 0;
    uint32_t maxElementsPerDispatch_ = 0;
    ComputeKernelLayout layout_;
    ComputePipeline float32Pipeline_;
    ComputePipeline mantissaPipeline_;
};

// The event counts stored in the counter words, for `elements` elements.
QuantEvents requantizeEvents(std::span<const uint32_t> counterWords, uint64_t elements);

} // namespace fxlab
