#include "backend/vulkan/vulkan_buffer.h"

#include "backend/vulkan/vulkan_context.h"
#include "backend/vulkan/vulkan_error.h"

#include <string>
#include <utility>

namespace fxlab {

namespace {

std::string memoryPropertyNames(VkMemoryPropertyFlags flags)
{
    std::string names;
    const auto add = [&](VkMemoryPropertyFlags flag, const char* name) {
        if ((flags & flag) == 0)
            return;
        if (!names.empty())
            names += " | ";
        names += name;
    };
    add(VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, "DEVICE_LOCAL");
    add(VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT, "HOST_VISIBLE");
    add(VK_MEMORY_PROPERTY_HOST_COHERENT_BIT, "HOST_COHERENT");
    add(VK_MEMORY_PROPERTY_HOST_CACHED_BIT, "HOST_CACHED");
    return names;
}

VkMemoryPropertyFlags requiredProperties(MemoryLocation location)
{
    // Coherent memory needs no vkFlushMappedMemoryRanges or vkInvalidateMappedMemoryRanges.
    if (location == MemoryLocation::HostVisible)
        return VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    return VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
}

} // namespace

uint32_t findMemoryType(const VkPhysicalDeviceMemoryProperties& memory, uint32_t allowedTypeBits,
                        VkMemoryPropertyFlags required)
{
    for (uint32_t type = 0; type < memory.memoryTypeCount; ++type) {
        const bool allowed = (allowedTypeBits & (1u << type)) != 0;
        if (allowed && (memory.memoryTypes[type].propertyFlags & required) == required)
            return type;
    }
    throw Error("the Vulkan device has no memory type with " + memoryPropertyNames(required)
                + " for this buffer: the backend needs such memory, use the CPU backend on this device");
}

VulkanBuffer::VulkanBuffer(const VulkanContext& context, VkDeviceSize bytes, VkBufferUsageFlags usage,
                           MemoryLocation location)
    : size_(bytes), location_(location)
{
    if (bytes == 0)
        throw Error("a Vulkan buffer of 0 bytes was requested: Vulkan buffers must have at least 1 byte");
    const VkDevice device = context.device();

    VkBufferCreateInfo bufferInfo{};
    bufferInfo.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO;
    bufferInfo.size = bytes;
    bufferInfo.usage = usage;
    bufferInfo.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    VkBuffer buffer = VK_NULL_HANDLE;
    checkVulkan(vkCreateBuffer(device, &bufferInfo, nullptr, &buffer), "vkCreateBuffer");
    buffer_ = Buffer(device, buffer);

    VkMemoryRequirements requirements{};
    vkGetBufferMemoryRequirements(device, buffer, &requirements);
    VkMemoryAllocateInfo allocateInfo{};
    allocateInfo.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO;
    allocateInfo.allocationSize = requirements.size;
    allocateInfo.memoryTypeIndex =
        findMemoryType(context.memoryProperties(), requirements.memoryTypeBits, requiredProperties(location));
    VkDeviceMemory memory = VK_NULL_HANDLE;
    checkVulkan(vkAllocateMemory(device, &allocateInfo, nullptr, &memory), "vkAllocateMemory");
    memory_ = DeviceMemory(device, memory);
    checkVulkan(vkBindBufferMemory(device, buffer, memory, 0), "vkBindBufferMemory");

    if (location == MemoryLocation::HostVisible) {
        void* mapped = nullptr;
        checkVulkan(vkMapMemory(device, memory, 0, VK_WHOLE_SIZE, 0, &mapped), "vkMapMemory");
        mapped_ = static_cast<std::byte*>(mapped);
    }
}

VulkanBuffer::VulkanBuffer(VulkanBuffer&& other) noexcept
    : size_(std::exchange(other.size_, 0)),
      location_(other.location_),
      buffer_(std::move(other.buffer_)),
      memory_(std::move(other.memory_)),
      mapped_(std::exchange(other.mapped_, nullptr))
{
}

VulkanBuffer& VulkanBuffer::operator=(VulkanBuffer&& other) noexcept
{
    if (this != &other) {
        memory_ = std::move(other.memory_);
        buffer_ = std::move(other.buffer_);
        size_ = std::exchange(other.size_, 0);
        location_ = other.location_;
        mapped_ = std::exchange(other.mapped_, nullptr);
    }
    return *this;
}

std::span<std::byte> VulkanBuffer::hostBytes() const
{
    if (mapped_ == nullptr)
        throw Error("the host cannot access a device-local Vulkan buffer: copy it through a host-visible "
                    "staging buffer");
    return {mapped_, size_t(size_)};
}

} // namespace fxlab
