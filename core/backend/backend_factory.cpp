#include "backend/backend_factory.h"

#include "backend/cpu/cpu_backend.h"
#include "backend/vulkan/vulkan_backend.h"
#include "backend/vulkan/vulkan_devices.h"
#include "error.h"

#include <optional>

namespace fxlab {

namespace {

VulkanBackendOptions vulkanOptions(std::optional<uint32_t> deviceIndex)
{
    VulkanBackendOptions options;
    options.deviceIndex = deviceIndex;
    return options;
}

std::optional<uint32_t> requestedDevice(const BackendChoice& choice)
{
    return choice.device >= 0 ? std::optional(uint32_t(choice.device)) : std::nullopt;
}

// The first usable discrete GPU, else the first usable integrated GPU. CPU devices such as
// lavapipe do not count: the CPU backend is faster than they are.
const VulkanDeviceInfo* firstGpu(const std::vector<VulkanDeviceInfo>& devices)
{
    for (VulkanDeviceType type : {VulkanDeviceType::Discrete, VulkanDeviceType::Integrated})
        for (const VulkanDeviceInfo& device : devices)
            if (device.type == type && device.unsupportedReason.empty())
                return &device;
    return nullptr;
}

std::string deviceList(const std::vector<VulkanDeviceInfo>& devices)
{
    std::string list;
    for (const VulkanDeviceInfo& device : devices) {
        if (!list.empty())
            list += "; ";
        list += device.name + " (" + std::string(toString(device.type))
            + (device.unsupportedReason.empty() ? ")" : ", unusable: " + device.unsupportedReason + ")");
    }
    return list;
}

CreatedBackend createVulkan(const BackendChoice& choice, const std::string& why)
{
    try {
        auto backend = std::make_unique<VulkanBackend>(vulkanOptions(requestedDevice(choice)));
        const std::string explanation = "Vulkan backend on " + backend->deviceName() + why;
        return {std::move(backend), explanation};
    } catch (const VulkanUnavailableError& error) {
        throw Error(std::string("the Vulkan backend cannot start: ") + error.what());
    }
}

std::string noGpuReason(const std::vector<VulkanDeviceInfo>& devices)
{
    return "this machine has no usable GPU (Vulkan devices: " + deviceList(devices)
        + "); a CPU device is slower than the CPU backend, but --backend vulkan uses it anyway";
}

CreatedBackend chooseAutomatically(const BackendChoice& choice)
{
    if (choice.device >= 0)
        return createVulkan(choice, ", the device requested");

    std::vector<VulkanDeviceInfo> devices;
    try {
        devices = listVulkanDevices();
    } catch (const VulkanUnavailableError& error) {
        return {std::make_unique<CpuBackend>(choice.threads),
                std::string("CPU backend, because the Vulkan backend is not available: ") + error.what()};
    }

    const VulkanDeviceInfo* gpu = firstGpu(devices);
    if (!gpu)
        return {std::make_unique<CpuBackend>(choice.threads), "CPU backend, because " + noGpuReason(devices)};
    try {
        BackendChoice chosen = choice;
        chosen.device = int(gpu->index);
        return createVulkan(chosen, ", the first GPU found");
    } catch (const Error& error) {
        return {std::make_unique<CpuBackend>(choice.threads),
                "CPU backend, because the Vulkan device " + gpu->name + " failed to start: " + error.what()};
    }
}

} // namespace

std::string backendNames()
{
    return "auto, cpu, vulkan";
}

std::string describeAutomaticChoice()
{
    std::vector<VulkanDeviceInfo> devices;
    try {
        devices = listVulkanDevices();
    } catch (const VulkanUnavailableError& error) {
        return std::string("CPU backend, because the Vulkan backend is not available: ") + error.what();
    }
    if (const VulkanDeviceInfo* gpu = firstGpu(devices))
        return "Vulkan backend on device " + std::to_string(gpu->index) + ", " + gpu->name + ", the first GPU found";
    return "CPU backend, because " + noGpuReason(devices);
}

CreatedBackend createBackend(const BackendChoice& choice)
{
    if (choice.name == "cpu")
        return {std::make_unique<CpuBackend>(choice.threads), "CPU backend, as requested"};
    if (choice.name == "vulkan")
        return createVulkan(choice, ", as requested");
    if (choice.name == "auto")
        return chooseAutomatically(choice);
    throw Error("unknown backend \"" + choice.name + "\": use one of " + backendNames());
}

} // namespace fxlab
