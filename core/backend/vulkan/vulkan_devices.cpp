#include "backend/vulkan/vulkan_devices.h"

#include "backend/vulkan/vulkan_instance.h"
#include "backend/vulkan/vulkan_physical_device.h"

#include <cstdio>

namespace fxlab {

std::string_view toString(VulkanDeviceType type)
{
    switch (type) {
    case VulkanDeviceType::Discrete: return "discrete GPU";
    case VulkanDeviceType::Integrated: return "integrated GPU";
    case VulkanDeviceType::Virtual: return "virtual GPU";
    case VulkanDeviceType::Cpu: return "CPU";
    case VulkanDeviceType::Other: return "other";
    }
    return "other";
}

std::vector<VulkanDeviceInfo> listVulkanDevices()
{
    const Instance instance = createInstance(nullptr);
    const std::vector<VkPhysicalDevice> physicalDevices = enumeratePhysicalDevices(instance.get());

    std::vector<VulkanDeviceInfo> devices;
    for (uint32_t index = 0; index < physicalDevices.size(); ++index)
        devices.push_back(queryDeviceInfo(physicalDevices[index], index));
    return devices;
}

std::string describe(const VulkanDeviceInfo& device)
{
    char memory[32];
    std::snprintf(memory, sizeof memory, "%.1f GiB", double(device.deviceLocalMemoryBytes) / double(1ull << 30));

    std::string driver = device.driverName.empty() ? "driver version " + device.driverVersion
                                                    : "driver " + device.driverName + " " + device.driverInfo;
    return std::to_string(device.index) + ": " + device.name + ", " + std::string(toString(device.type)) + ", "
        + driver + ", Vulkan " + device.apiVersion + ", " + memory + " device-local memory";
}

} // namespace fxlab
