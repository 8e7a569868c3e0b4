// Storage buffers and their memory.
#pragma once

#include "backend/vulkan/vulkan_handles.h"

#include <vulkan/vulkan.h>

#include <cstddef>
#include <span>

namespace fxlab {

class VulkanContext;

enum class MemoryLocation {
    // Host-visible and host-coherent: the host reads and writes it through a persistent mapping.
    // On lavapipe and on integrated GPUs this is also the device's own memory.
    HostVisible,
    // Device-local: the fastest for shaders on a discrete GPU, filled through a host-visible
    // staging buffer and vkCmdCopyBuffer (VulkanTransfer). The training network keeps its tensors here.
    DeviceLocal,
};

class VulkanBuffer {
public:
    // Creates a buffer of `bytes` (above 0) bytes and binds it to new memory at `location`.
    // Throws Error when the device has no memory type for the location.
    VulkanBuffer(const VulkanContext& context, VkDeviceSize bytes, VkBufferUsageFlags usage,
                 MemoryLocation location = MemoryLocation::HostVisible);
    VulkanBuffer(VulkanBuffer&& other) noexcept;
    VulkanBuffer& operator=(VulkanBuffer&& other) noexcept;

    VkBuffer get() const { return buffer_.get(); }
    VkDeviceSize size() const { return size_; }
    MemoryLocation location() const { return location_; }

    // The mapped contents of a host-visible buffer. Throws Error for a device-local one.
    std::span<std::byte> hostBytes() const;

    // The mapped contents as elements of T. Shaders see the host's byte order.
    template <typename T>
    std::span<T> hostSpan() const
    {
        const std::span<std::byte> bytes = hostBytes();
        return {reinterpret_cast<T*>(bytes.data()), bytes.size() / sizeof(T)};
    }

private:
    VkDeviceSize size_ = 0;
    MemoryLocation location_ = MemoryLocation::HostVisible;
    Buffer buffer_;
    DeviceMemory memory_;  // destroyed before the buffer, which is valid in Vulkan
    std::byte* mapped_ = nullptr;
};

// The index of a memory type allowed by `allowedTypeBits` that has all of `required`. Throws
// Error naming the missing properties when there is none.
uint32_t findMemoryType(const VkPhysicalDeviceMemoryProperties& memory, uint32_t allowedTypeBits,
                        VkMemoryPropertyFlags required);

} // namespace fxlab
