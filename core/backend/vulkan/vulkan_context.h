// The Vulkan context: instance, optional validation, the chosen physical device, the logical
// device and its compute queue. Everything else in the backend is created from a context and must
// be destroyed before it.
#pragma once

#include "backend/vulkan/vulkan_debug_messenger.h"
#include "backend/vulkan/vulkan_devices.h"
#include "backend/vulkan/vulkan_handles.h"

#include <vulkan/vulkan.h>

#include <memory>
#include <optional>

namespace fxlab {

struct VulkanContextOptions {
    // Enables VK_LAYER_KHRONOS_validation and collects its messages. The environment variable
    // FXLAB_VULKAN_VALIDATION=1 enables it as well.
    bool validation = false;
    // The index of the device in listVulkanDevices(). Empty chooses the first usable discrete GPU,
    // else the first usable integrated GPU, and a CPU device only when there is nothing else.
    std::optional<uint32_t> deviceIndex;
};

// Whether the environment variable FXLAB_VULKAN_VALIDATION is set to 1.
bool validationRequestedByEnvironment();

class VulkanContext {
public:
    // Creates the instance and the device and logs the device's capabilities. Throws
    // VulkanUnavailableError when there is no Vulkan driver or no usable device, and Error naming
    // the device and the feature when the requested device cannot run the kernels.
    explicit VulkanContext(const VulkanContextOptions& options = {});
    ~VulkanContext();

    // Not movable either: buffers, pipelines and command pools refer to their context.
    VulkanContext(const VulkanContext&) = delete;
    VulkanContext& operator=(const VulkanContext&) = delete;

    VkInstance instance() const { return instance_.get(); }
    VkPhysicalDevice physicalDevice() const { return physicalDevice_; }
    VkDevice device() const { return device_.get(); }
    VkQueue computeQueue() const { return computeQueue_; }
    uint32_t computeQueueFamily() const { return computeQueueFamily_; }
    const VulkanDeviceInfo& deviceInfo() const { return deviceInfo_; }
    const VkPhysicalDeviceLimits& limits() const { return properties_.limits; }
    const VkPhysicalDeviceMemoryProperties& memoryProperties() const { return memoryProperties_; }

    bool validationEnabled() const { return validation_; }
    // The warning and error messages of the validation layers and the loader so far. Always empty
    // without validation.
    ValidationMessageLog::Snapshot validationMessages() const { return messageLog_->snapshot(); }
    void clearValidationMessages() { messageLog_->clear(); }
    // The log itself, which a caller can keep to read the messages of the context's destruction.
    std::shared_ptr<const ValidationMessageLog> validationMessageLog() const { return messageLog_; }

private:
    bool validation_ = false;
    // Declared before the instance because the layers may report until the instance is destroyed.
    std::shared_ptr<ValidationMessageLog> messageLog_ = std::make_shared<ValidationMessageLog>();
    Instance instance_;
    DebugMessenger messenger_;
    VkPhysicalDevice physicalDevice_ = VK_NULL_HANDLE;
    VulkanDeviceInfo deviceInfo_;
    VkPhysicalDeviceProperties properties_{};
    VkPhysicalDeviceMemoryProperties memoryProperties_{};
    uint32_t computeQueueFamily_ = 0;
    Device device_;
    VkQueue computeQueue_ = VK_NULL_HANDLE;
};

} // namespace fxlab
