#include "backend/vulkan/vulkan_physical_device.h"

#include "backend/vulkan/vulkan_log.h"

#include <QString>

#include <algorithm>
#include <string>

namespace fxlab {

namespace {

struct RequiredFeature {
    const char* name;
    VkBool32 VkPhysicalDeviceFeatures::*member;
};

constexpr RequiredFeature kRequiredFeatures[] = {
    {"shaderInt64", &VkPhysicalDeviceFeatures::shaderInt64},
};

VulkanDeviceType deviceType(VkPhysicalDeviceType type)
{
    switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return VulkanDeviceType::Discrete;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return VulkanDeviceType::Integrated;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return VulkanDeviceType::Virtual;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return VulkanDeviceType::Cpu;
    default: return VulkanDeviceType::Other;
    }
}

// Lower is preferred when no device is requested.
int preferenceRank(VulkanDeviceType type)
{
    switch (type) {
    case VulkanDeviceType::Discrete: return 0;
    case VulkanDeviceType::Integrated: return 1;
    case VulkanDeviceType::Virtual: return 2;
    case VulkanDeviceType::Other: return 3;
    case VulkanDeviceType::Cpu: return 4;
    }
    return 5;
}

std::string apiVersionText(uint32_t version)
{
    return std::to_string(VK_API_VERSION_MAJOR(version)) + "." + std::to_string(VK_API_VERSION_MINOR(version)) + "."
        + std::to_string(VK_API_VERSION_PATCH(version));
}

// NVIDIA packs its driver version as 10.8.8.6 bits. Other vendors are decoded with the layout of
// VK_MAKE_API_VERSION, which Mesa uses.
std::string driverVersionText(uint32_t vendorId, uint32_t version)
{
    constexpr uint32_t kNvidiaVendorId = 0x10DE;
    if (vendorId == kNvidiaVendorId)
        return std::to_string((version >> 22) & 0x3FF) + "." + std::to_string((version >> 14) & 0xFF) + "."
            + std::to_string((version >> 6) & 0xFF) + "." + std::to_string(version & 0x3F);
    return apiVersionText(version);
}

std::string unsupportedReason(VkPhysicalDevice device, const VkPhysicalDeviceProperties& properties)
{
    if (properties.apiVersion < VK_API_VERSION_1_2)
        return "it supports only Vulkan " + apiVersionText(properties.apiVersion) + ", and fxlab needs 1.2";

    VkPhysicalDeviceFeatures features{};
    vkGetPhysicalDeviceFeatures(device, &features);
    for (const RequiredFeature& feature : kRequiredFeatures)
        if (features.*feature.member != VK_TRUE)
            return std::string("it lacks the feature ") + feature.name
                + ", which the fixed-point kernels need for exact 64-bit integer arithmetic";

    if (!findComputeQueueFamily(device))
        return "it has no queue family with compute support";
    return {};
}

std::string listDevices(const std::vector<VulkanDeviceInfo>& devices)
{
    std::string list;
    for (const VulkanDeviceInfo& device : devices) {
        list += "\n  " + describe(device);
        if (!device.unsupportedReason.empty())
            list += " (unusable: " + device.unsupportedReason + ")";
    }
    return list;
}

} // namespace

VkPhysicalDeviceFeatures requiredDeviceFeatures()
{
    VkPhysicalDeviceFeatures features{};
    for (const RequiredFeature& feature : kRequiredFeatures)
        features.*feature.member = VK_TRUE;
    return features;
}

VulkanDeviceInfo queryDeviceInfo(VkPhysicalDevice device, uint32_t index)
{
    VkPhysicalDeviceProperties properties{};
    vkGetPhysicalDeviceProperties(device, &properties);

    VulkanDeviceInfo info;
    info.index = index;
    info.name = properties.deviceName;
    info.type = deviceType(properties.deviceType);
    info.driverVersion = driverVersionText(properties.vendorID, properties.driverVersion);
    info.apiVersion = apiVersionText(properties.apiVersion);

    // The driver properties are core in Vulkan 1.2, so older devices may not fill them.
    if (properties.apiVersion >= VK_API_VERSION_1_2) {
        VkPhysicalDeviceDriverProperties driver{};
        driver.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES;
        VkPhysicalDeviceProperties2 properties2{};
        properties2.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2;
        properties2.pNext = &driver;
        vkGetPhysicalDeviceProperties2(device, &properties2);
        info.driverName = driver.driverName;
        info.driverInfo = driver.driverInfo;
    }

    VkPhysicalDeviceMemoryProperties memory{};
    vkGetPhysicalDeviceMemoryProperties(device, &memory);
    for (uint32_t heap = 0; heap < memory.memoryHeapCount; ++heap)
        if ((memory.memoryHeaps[heap].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) != 0)
            info.deviceLocalMemoryBytes += memory.memoryHeaps[heap].size;

    info.unsupportedReason = unsupportedReason(device, properties);
    return info;
}

std::optional<uint32_t> findComputeQueueFamily(VkPhysicalDevice device)
{
    uint32_t count = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(device, &count, nullptr);
    std::vector<VkQueueFamilyProperties> families(count);
    vkGetPhysicalDeviceQueueFamilyProperties(device, &count, families.data());
    for (uint32_t family = 0; family < count; ++family)
        if ((families[family].queueFlags & VK_QUEUE_COMPUTE_BIT) != 0 && families[family].queueCount > 0)
            return family;
    return std::nullopt;
}

uint32_t chooseDevice(const std::vector<VulkanDeviceInfo>& devices, std::optional<uint32_t> requestedIndex)
{
    if (requestedIndex) {
        if (*requestedIndex >= devices.size())
            throw Error("Vulkan device index " + std::to_string(*requestedIndex) + " is out of range: this machine has "
                        + std::to_string(devices.size()) + (devices.size() == 1 ? " Vulkan device:" : " Vulkan devices:")
                        + listDevices(devices));
        const VulkanDeviceInfo& device = devices[*requestedIndex];
        if (!device.unsupportedReason.empty())
            throw Error("Vulkan device " + std::to_string(device.index) + " (" + device.name
                        + ") cannot run fxlab because " + device.unsupportedReason
                        + ": choose another device or use the CPU backend");
        return *requestedIndex;
    }

    const VulkanDeviceInfo* chosen = nullptr;
    for (const VulkanDeviceInfo& device : devices) {
        if (!device.unsupportedReason.empty())
            continue;
        if (chosen == nullptr || preferenceRank(device.type) < preferenceRank(chosen->type))
            chosen = &device;
    }
    if (chosen == nullptr)
        throw VulkanUnavailableError("no usable Vulkan device: none of the devices can run fxlab:" + listDevices(devices)
                                     + "\nUse the CPU backend");
    return chosen->index;
}

void logCapabilities(VkPhysicalDevice device, const VulkanDeviceInfo& info, bool validation)
{
    VkPhysicalDeviceVulkan12Properties vulkan12{};
    vulkan12.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_PROPERTIES;
    VkPhysicalDeviceVulkan11Properties vulkan11{};
    vulkan11.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_PROPERTIES;
    vulkan11.pNext = &vulkan12;
    VkPhysicalDeviceProperties2 properties{};
    properties.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2;
    properties.pNext = &vulkan11;
    vkGetPhysicalDeviceProperties2(device, &properties);
    const VkPhysicalDeviceLimits& limits = properties.properties.limits;

    qCInfo(lcVulkan).noquote() << "Vulkan device" << QString::fromStdString(describe(info))
                               << (validation ? "with validation" : "without validation");
    qCInfo(lcVulkan).noquote()
        << QString("Vulkan limits: subgroup size %1, max workgroup invocations %2, max workgroup size x %3, "
                   "max workgroup count x %4, shared memory %5 bytes, max storage buffer range %6 bytes, "
                   "fp32 denormals preserved: %7")
               .arg(vulkan11.subgroupSize)
               .arg(limits.maxComputeWorkGroupInvocations)
               .arg(limits.maxComputeWorkGroupSize[0])
               .arg(limits.maxComputeWorkGroupCount[0])
               .arg(limits.maxComputeSharedMemorySize)
               .arg(limits.maxStorageBufferRange)
               .arg(vulkan12.shaderDenormPreserveFloat32 == VK_TRUE ? "yes" : "not guaranteed");
}

} // namespace fxlab
