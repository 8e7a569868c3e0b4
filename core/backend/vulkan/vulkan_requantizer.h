// Requantization of host arrays on a Vulkan device, bit for bit as the CPU quantizer does it. This
// header does not include Vulkan's.
#pragma once

#include "numeric/fixed_format.h"
#include "numeric/philox.h"
#include "numeric/quantizer.h"

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace fxlab {

class VulkanContext;

struct RequantizeResult {
    std::vector<int32_t> codes;
    std::vector<uint32_t> flags;  // QuantFlag bits per element
    QuantEvents events;
};

class VulkanRequantizer {
public:
    // Bounds the buffers, so the device memory used, to 16 bytes per element of a chunk.
    static constexpr uint32_t kDefaultMaxChunkElements = 1u << 20;

    // Builds the kernel's pipelines on `context`, which must outlive the requantizer. An array
    // longer than `maxChunkElements`, or than the device allows in one dispatch, is processed in
    // several dispatches. The results do not depend on the chunk size.
    explicit VulkanRequantizer(const VulkanContext& context, uint32_t maxChunkElements = kDefaultMaxChunkElements);
    ~VulkanRequantizer();
    VulkanRequantizer(VulkanRequantizer&&) noexcept;
    VulkanRequantizer& operator=(VulkanRequantizer&&) noexcept;

    // Quantizes float32 values to `spec` as quantize(float) does. Element i of a stochastic
    // rounding draws stream.bits(i). At most 2^32 elements, the range of the Philox element index.
    RequantizeResult quantize(std::span<const float> values, const FixedPointSpec& spec,
                              const RandomStream& stream = {});

    // Quantizes the exact values mantissas[i] * 2^-sourceFractionalLength to `spec` as
    // requantize() does. The source fractional length is limited to +-65536.
    RequantizeResult requantize(std::span<const int64_t> mantissas, int sourceFractionalLength,
                                const FixedPointSpec& spec, const RandomStream& stream = {});

    // The number of elements per dispatch.
    uint32_t chunkElements() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace fxlab
