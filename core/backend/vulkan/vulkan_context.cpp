#include "backend/vulkan/vulkan_context.h"

#include "backend/vulkan/vulkan_error.h"
#include "backend/vulkan/vulkan_instance.h"
#include "backend/vulkan/vulkan_physical_device.h"

#include <QByteArray>
#include <QtGlobal>

namespace fxlab {

bool validationRequestedByEnvironment()
{
    return qgetenv("FXLAB_VULKAN_VALIDATION") == "1";
}

VulkanContext::VulkanContext(const VulkanContextOptions& options)
    : validation_(options.validation || validationRequestedByEnvironment())
{
    instance_ = createInstance(validation_ ? messageLog_.get() : nullptr);
    if (validation_)
        messenger_ = DebugMessenger(instance_.get(), *messageLog_);

    const std::vector<VkPhysicalDevice> physicalDevices = enumeratePhysicalDevices(instance_.get());
    std::vector<VulkanDeviceInfo> devices;
    for (uint32_t index = 0; index < physicalDevices.size(); ++index)
        devices.push_back(queryDeviceInfo(physicalDevices[index], index));
    const uint32_t chosen = chooseDevice(devices, options.deviceIndex);
    physicalDevice_ = physicalDevices[chosen];
    deviceInfo_ = devices[chosen];
    vkGetPhysicalDeviceProperties(physicalDevice_, &properties_);
    vkGetPhysicalDeviceMemoryProperties(physicalDevice_, &memoryProperties_);
    // chooseDevice() accepts only devices with a compute queue.
    computeQueueFamily_ = *findComputeQueueFamily(physicalDevice_);

    const float priority = 1.0f;
    VkDeviceQueueCreateInfo queueInfo{};
    queueInfo.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO;
    queueInfo.queueFamilyIndex = computeQueueFamily_;
    queueInfo.queueCount = 1;
    queueInfo.pQueuePriorities = &priority;

    const VkPhysicalDeviceFeatures features = requiredDeviceFeatures();
    VkDeviceCreateInfo deviceCreateInfo{};
    deviceCreateInfo.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO;
    deviceCreateInfo.queueCreateInfoCount = 1;
    deviceCreateInfo.pQueueCreateInfos = &queueInfo;
    deviceCreateInfo.pEnabledFeatures = &features;

    VkDevice device = VK_NULL_HANDLE;
    checkVulkan(vkCreateDevice(physicalDevice_, &deviceCreateInfo, nullptr, &device), "vkCreateDevice");
    device_ = Device(device);
    vkGetDeviceQueue(device_.get(), computeQueueFamily_, 0, &computeQueue_);

    logCapabilities(physicalDevice_, deviceInfo_, validation_);
}

VulkanContext::~VulkanContext()
{
    // Every submission waits on its fence, so this only matters after an exception mid-submission.
    // A failure here cannot be reported from a destructor, and destruction goes on regardless.
    if (device_.get() != VK_NULL_HANDLE)
        vkDeviceWaitIdle(device_.get());
}

} // namespace fxlab
