#include "backend/vulkan/vulkan_requantize_kernel.h"

#include "backend/vulkan/vulkan_context.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

namespace fxlab {

namespace {

// The shader's constants for the modes follow the order of declaration in fixed_format.h.
static_assert(uint32_t(RoundingMode::NearestEven) == 0 && uint32_t(RoundingMode::NearestAway) == 1
              && uint32_t(RoundingMode::Floor) == 2 && uint32_t(RoundingMode::TowardZero) == 3
              && uint32_t(RoundingMode::Stochastic) == 4);
static_assert(uint32_t(OverflowMode::Saturate) == 0 && uint32_t(OverflowMode::SymmetricSaturate) == 1
              && uint32_t(OverflowMode::Wrap) == 2);

// The Vulkan specification requires every device to allow at least 128 invocations per workgroup
// along x, so 64 fits everywhere. The shader does not depend on the subgroup size.
constexpr uint32_t kWorkgroupSize = 64;

uint32_t dispatchElementLimit(const VkPhysicalDeviceLimits& limits)
{
    const uint64_t byWorkgroupCount = uint64_t(limits.maxComputeWorkGroupCount[0]) * kWorkgroupSize;
    // The widest binding is the Mantissa64 input, 8 bytes per element.
    const uint64_t byBufferRange = limits.maxStorageBufferRange / sizeof(int64_t);
    return uint32_t(std::min({byWorkgroupCount, byBufferRange, uint64_t(UINT32_MAX)}));
}

std::array<uint32_t, 2> specialization(RequantizeInput input)
{
    return {kWorkgroupSize, uint32_t(input)};
}

} // namespace

RequantizePushConstants requantizePushConstants(const FixedPointSpec& spec, const RandomStream& stream,
                                                int sourceFractionalLength)
{
    RequantizePushConstants parameters;
    parameters.wordBits = spec.format.wordBits;
    parameters.fractionalLength = spec.format.fractionalLength;
    parameters.rounding = uint32_t(spec.rounding);
    parameters.overflow = uint32_t(spec.overflow);
    parameters.sourceFractionalLength = sourceFractionalLength;
    parameters.seedLow = uint32_t(stream.seed);
    parameters.seedHigh = uint32_t(stream.seed >> 32);
    parameters.step = stream.step;
    parameters.layer = stream.layer;
    parameters.tensor = uint32_t(stream.tensor);
    return parameters;
}

RequantizeKernel::RequantizeKernel(const VulkanContext& context)
    : workgroupSize_(kWorkgroupSize),
      maxElementsPerDispatch_(dispatchElementLimit(context.limits())),
      layout_(context, kBindingCount, sizeof(RequantizePushConstants)),
      float32Pipeline_(context, layout_, "requantize", specialization(RequantizeInput::Float32Bits)),
      mantissaPipeline_(context, layout_, "requantize", specialization(RequantizeInput::Mantissa64))
{
}

void RequantizeKernel::recordDispatch(VkCommandBuffer commands, const StorageBufferSet& buffers, RequantizeInput input,
                                      const RequantizePushConstants& parameters) const
{
    if (parameters.elementCount == 0 || parameters.elementCount > maxElementsPerDispatch_)
        throw Error("a requantize dispatch covers 1 to " + std::to_string(maxElementsPerDispatch_)
                    + " elements on this device, not " + std::to_string(parameters.elementCount));

    const uint32_t groupCount = (parameters.elementCount - 1) / workgroupSize_ + 1;
    const ComputePipeline& pipeline = input == RequantizeInput::Mantissa64 ? mantissaPipeline_ : float32Pipeline_;
    const auto* bytes = reinterpret_cast<const std::byte*>(&parameters);
    pipeline.recordDispatch(commands, buffers, {bytes, sizeof parameters}, groupCount);
}

QuantEvents requantizeEvents(std::span<const uint32_t> counterWords, uint64_t elements)
{
    if (counterWords.size() < RequantizeKernel::kCounterWords)
        throw Error("the requantize counters are " + std::to_string(RequantizeKernel::kCounterWords)
                    + " words, but only " + std::to_string(counterWords.size()) + " were given");
    const auto counter = [&](size_t index) {
        return uint64_t(counterWords[2 * index]) | (uint64_t(counterWords[2 * index + 1]) << 32);
    };
    QuantEvents events;
    events.elements = elements;
    events.saturated = counter(0);
    events.underflowed = counter(1);
    events.notANumber = counter(2);
    return events;
}

} // namespace fxlab
