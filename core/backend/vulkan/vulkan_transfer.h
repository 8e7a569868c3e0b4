// Copies between host memory and device-local buffers through a host-visible staging buffer,
// each in its own submission that the call waits for. For set-up and read-back outside the
// training steps: parameters when a run starts, tensors for statistics.
#pragma once

#include "backend/vulkan/vulkan_buffer.h"
#include "backend/vulkan/vulkan_commands.h"

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace fxlab {

class VulkanContext;

class VulkanTransfer {
public:
    explicit VulkanTransfer(const VulkanContext& context);

    // Writes `bytes` at `offset` into `target`.
    void upload(std::span<const std::byte> bytes, const VulkanBuffer& target, VkDeviceSize offset = 0);
    // Reads `size` bytes from `offset` of `source` into `bytes`.
    void download(const VulkanBuffer& source, VkDeviceSize offset, std::span<std::byte> bytes);
    // Copies the first `bytes` bytes of `source` to the start of `target`, on the device.
    void copy(const VulkanBuffer& source, const VulkanBuffer& target, VkDeviceSize bytes);

    template <typename T>
    void uploadSpan(std::span<const T> values, const VulkanBuffer& target, VkDeviceSize offset = 0)
    {
        upload(std::as_bytes(values), target, offset);
    }
    template <typename T>
    std::vector<T> downloadVector(const VulkanBuffer& source, size_t count, VkDeviceSize offset = 0)
    {
        std::vector<T> values(count);
        download(source, offset, std::as_writable_bytes(std::span<T>(values)));
        return values;
    }

private:
    const VulkanBuffer& staging(VkDeviceSize bytes);

    const VulkanContext& context_;
    CommandSubmitter submitter_;
    std::optional<VulkanBuffer> staging_;
};

} // namespace fxlab
