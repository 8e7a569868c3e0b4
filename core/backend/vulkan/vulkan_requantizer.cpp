#include "backend/vulkan/vulkan_requantizer.h"

#include "backend/vulkan/vulkan_buffer.h"
#include "backend/vulkan/vulkan_commands.h"
#include "backend/vulkan/vulkan_context.h"
#include "backend/vulkan/vulkan_requantize_kernel.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <string>

namespace fxlab {

namespace {

constexpr int kMaxSourceFractionalLength = 65536;
constexpr uint64_t kMaxElements = uint64_t{1} << 32;

// The kernel's buffers for chunks of up to `capacity` elements, and the descriptor set binding them.
// NOTE: all are host-visible, so on a discrete GPU the shader reads and writes them across the bus.
// A device-local copy with staging would be faster there, and makes no difference on lavapipe.
struct RequantizeBuffers {
    static constexpr VkBufferUsageFlags kUsage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;

    RequantizeBuffers(const VulkanContext& context, const RequantizeKernel& kernel, uint32_t capacity)
        : capacity(capacity),
          input(context, VkDeviceSize(capacity) * sizeof(int64_t), kUsage),
          codes(context, VkDeviceSize(capacity) * sizeof(int32_t), kUsage),
          flags(context, VkDeviceSize(capacity) * sizeof(uint32_t), kUsage),
          counters(context, RequantizeKernel::kCounterWords * sizeof(uint32_t), kUsage),
          set(context, kernel.layout(), std::array<StorageBufferRange, RequantizeKernel::kBindingCount>{input, codes, flags, counters})
    {
    }

    uint32_t capacity;
    VulkanBuffer input;
    VulkanBuffer codes;
    VulkanBuffer flags;
    VulkanBuffer counters;
    StorageBufferSet set;
};

void checkRequest(uint64_t elementCount, int sourceFractionalLength, const FixedPointSpec& spec)
{
    if (const auto error = spec.format.validationError())
        throw Error("cannot requantize to this format: " + *error);
    if (elementCount > kMaxElements)
        throw Error("cannot requantize " + std::to_string(elementCount) + " elements at once: the Philox element "
                    "index of stochastic rounding is 32 bits, so a tensor has at most 2^32 elements");
    if (sourceFractionalLength < -kMaxSourceFractionalLength || sourceFractionalLength > kMaxSourceFractionalLength)
        throw Error("source fractional length " + std::to_string(sourceFractionalLength) + " is out of range: use "
                    + std::to_string(-kMaxSourceFractionalLength) + " to " + std::to_string(kMaxSourceFractionalLength));
}

} // namespace

struct VulkanRequantizer::Impl {
    Impl(const VulkanContext& context, uint32_t maxChunkElements)
        : context(context),
          kernel(context),
          submitter(context),
          chunkElements(std::clamp<uint32_t>(maxChunkElements, 1, kernel.maxElementsPerDispatch()))
    {
    }

    RequantizeResult run(RequantizeInput input, const std::byte* inputBytes, size_t count, int sourceFractionalLength,
                         const FixedPointSpec& spec, const RandomStream& stream);
    void recordChunk(VkCommandBuffer commands, bool firstChunk, RequantizeInput input,
                     const RequantizePushConstants& parameters);

    const VulkanContext& context;
    RequantizeKernel kernel;
    CommandSubmitter submitter;
    uint32_t chunkElements;
    // Created for the first request and grown, up to chunkElements, when a request needs more.
    std::optional<RequantizeBuffers> buffers;
};

RequantizeResult VulkanRequantizer::Impl::run(RequantizeInput input, const std::byte* inputBytes, size_t count,
                                              int sourceFractionalLength, const FixedPointSpec& spec,
                                              const RandomStream& stream)
{
    checkRequest(count, sourceFractionalLength, spec);

    RequantizeResult result;
    result.codes.resize(count);
    result.flags.resize(count);
    result.events.elements = count;
    if (count == 0)
        return result;

    const uint32_t capacity = uint32_t(std::min<size_t>(count, chunkElements));
    if (!buffers || buffers->capacity < capacity) {
        buffers.reset();
        buffers.emplace(context, kernel, capacity);
    }

    const size_t bytesPerElement = input == RequantizeInput::Mantissa64 ? sizeof(int64_t) : sizeof(float);
    RequantizePushConstants parameters = requantizePushConstants(spec, stream, sourceFractionalLength);
    for (size_t first = 0; first < count; first += capacity) {
        const size_t chunk = std::min<size_t>(capacity, count - first);
        // vkQueueSubmit makes host writes to coherent memory before it visible to the device.
        std::memcpy(buffers->input.hostBytes().data(), inputBytes + first * bytesPerElement, chunk * bytesPerElement);

        parameters.elementCount = uint32_t(chunk);
        parameters.firstElementIndex = uint32_t(first);
        submitter.submitAndWait([&](VkCommandBuffer commands) { recordChunk(commands, first == 0, input, parameters); });

        std::memcpy(result.codes.data() + first, buffers->codes.hostBytes().data(), chunk * sizeof(int32_t));
        std::memcpy(result.flags.data() + first, buffers->flags.hostBytes().data(), chunk * sizeof(uint32_t));
    }

    result.events = requantizeEvents(buffers->counters.hostSpan<const uint32_t>(), count);
    return result;
}

void VulkanRequantizer::Impl::recordChunk(VkCommandBuffer commands, bool firstChunk, RequantizeInput input,
                                          const RequantizePushConstants& parameters)
{
    // Orders the shader accesses of earlier submissions to these buffers before this submission's
    // zeroing of the counters and its shader writes.
    recordMemoryBarrier(commands, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT,
                        VK_PIPELINE_STAGE_TRANSFER_BIT | VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                        VK_ACCESS_TRANSFER_WRITE_BIT | VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT);

    // The counters run on over all chunks of a request, so only the first chunk zeroes them.
    if (firstChunk) {
        vkCmdFillBuffer(commands, buffers->counters.get(), 0, VK_WHOLE_SIZE, 0);
        // Orders the zeroing before the shader's atomic adds to the counters.
        recordMemoryBarrier(commands, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT,
                            VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT);
    }

    kernel.recordDispatch(commands, buffers->set, input, parameters);
    // Makes the codes, flags and counters available to the host reads after the fence.
    recordMemoryBarrier(commands, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_WRITE_BIT,
                        VK_PIPELINE_STAGE_HOST_BIT, VK_ACCESS_HOST_READ_BIT);
}

VulkanRequantizer::VulkanRequantizer(const VulkanContext& context, uint32_t maxChunkElements)
    : impl_(std::make_unique<Impl>(context, maxChunkElements))
{
}

VulkanRequantizer::~VulkanRequantizer() = default;
VulkanRequantizer::VulkanRequantizer(VulkanRequantizer&&) noexcept = default;
VulkanRequantizer& VulkanRequantizer::operator=(VulkanRequantizer&&) noexcept = default;

RequantizeResult VulkanRequantizer::quantize(std::span<const float> values, const FixedPointSpec& spec,
                                             const RandomStream& stream)
{
    // The bytes are copied as they are, so denormals and NaN payloads reach the shader intact.
    return impl_->run(RequantizeInput::Float32Bits, reinterpret_cast<const std::byte*>(values.data()), values.size(),
                      0, spec, stream);
}

RequantizeResult VulkanRequantizer::requantize(std::span<const int64_t> mantissas, int sourceFractionalLength,
                                               const FixedPointSpec& spec, const RandomStream& stream)
{
    return impl_->run(RequantizeInput::Mantissa64, reinterpret_cast<const std::byte*>(mantissas.data()),
                      mantissas.size(), sourceFractionalLength, spec, stream);
}

uint32_t VulkanRequantizer::chunkElements() const
{
    return impl_->chunkElements;
}

} // namespace fxlab
