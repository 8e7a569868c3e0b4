// Owners of Vulkan objects. Each destroys its object in a noexcept destructor, copying is deleted
// and moving hands the object over. A class with several owners declares them in order of
// creation, so C++ destroys them in reverse.
#pragma once

#include <vulkan/vulkan.h>

#include <utility>

namespace fxlab {

// Owns a Vulkan object without a parent (an instance or a device), destroyed by `destroy`.
template <typename Handle, auto destroy>
class UniqueHandle {
public:
    UniqueHandle() = default;
    explicit UniqueHandle(Handle handle) noexcept : handle_(handle) {}
    UniqueHandle(UniqueHandle&& other) noexcept : handle_(std::exchange(other.handle_, VK_NULL_HANDLE)) {}
    UniqueHandle& operator=(UniqueHandle&& other) noexcept
    {
        if (this != &other) {
            reset();
            handle_ = std::exchange(other.handle_, VK_NULL_HANDLE);
        }
        return *this;
    }
    UniqueHandle(const UniqueHandle&) = delete;
    UniqueHandle& operator=(const UniqueHandle&) = delete;
    ~UniqueHandle() { reset(); }

    Handle get() const { return handle_; }

    void reset() noexcept
    {
        if (handle_ != VK_NULL_HANDLE)
            destroy(handle_, nullptr);
        handle_ = VK_NULL_HANDLE;
    }

private:
    Handle handle_ = VK_NULL_HANDLE;
};

// Owns an object created from a VkDevice, destroyed by `destroy(device, handle, nullptr)`. The
// device must outlive it.
template <typename Handle, auto destroy>
class DeviceObject {
public:
    DeviceObject() = default;
    DeviceObject(VkDevice device, Handle handle) noexcept : device_(device), handle_(handle) {}
    DeviceObject(DeviceObject&& other) noexcept
        : device_(other.device_), handle_(std::exchange(other.handle_, VK_NULL_HANDLE))
    {
    }
    DeviceObject& operator=(DeviceObject&& other) noexcept
    {
        if (this != &other) {
            reset();
            device_ = other.device_;
            handle_ = std::exchange(other.handle_, VK_NULL_HANDLE);
        }
        return *this;
    }
    DeviceObject(const DeviceObject&) = delete;
    DeviceObject& operator=(const DeviceObject&) = delete;
    ~DeviceObject() { reset(); }

    Handle get() const { return handle_; }

    void reset() noexcept
    {
        if (handle_ != VK_NULL_HANDLE)
            destroy(device_, handle_, nullptr);
        handle_ = VK_NULL_HANDLE;
    }

private:
    VkDevice device_ = VK_NULL_HANDLE;
    Handle handle_ = VK_NULL_HANDLE;
};

using Instance = UniqueHandle<VkInstance, vkDestroyInstance>;
using Device = UniqueHandle<VkDevice, vkDestroyDevice>;

using Buffer = DeviceObject<VkBuffer, vkDestroyBuffer>;
// Freeing the memory also unmaps it.
using DeviceMemory = DeviceObject<VkDeviceMemory, vkFreeMemory>;
using ShaderModule = DeviceObject<VkShaderModule, vkDestroyShaderModule>;
using DescriptorSetLayout = DeviceObject<VkDescriptorSetLayout, vkDestroyDescriptorSetLayout>;
// Destroying a descriptor pool frees the descriptor sets allocated from it.
using DescriptorPool = DeviceObject<VkDescriptorPool, vkDestroyDescriptorPool>;
using PipelineLayout = DeviceObject<VkPipelineLayout, vkDestroyPipelineLayout>;
using Pipeline = DeviceObject<VkPipeline, vkDestroyPipeline>;
// Destroying a command pool frees the command buffers allocated from it.
using CommandPool = DeviceObject<VkCommandPool, vkDestroyCommandPool>;
using Fence = DeviceObject<VkFence, vkDestroyFence>;

} // namespace fxlab
