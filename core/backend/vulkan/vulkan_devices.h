// The Vulkan devices of this machine, for listing them to the user and for choosing a backend.
// This header does not include Vulkan's, so the GUI and the command line can use it.
#pragma once

#include "error.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fxlab {

enum class VulkanDeviceType { Discrete, Integrated, Virtual, Cpu, Other };

// "discrete GPU", "integrated GPU", "virtual GPU", "CPU" or "other".
std::string_view toString(VulkanDeviceType type);

struct VulkanDeviceInfo {
    uint32_t index = 0;  // the position in vkEnumeratePhysicalDevices, as VulkanContextOptions takes it
    std::string name;
    VulkanDeviceType type = VulkanDeviceType::Other;
    std::string driverName;  // e.g. "llvmpipe"; empty for a device below Vulkan 1.2
    std::string driverInfo;  // e.g. "Mesa 22.3.6 (LLVM 15.0.6)"; empty for a device below Vulkan 1.2
    std::string driverVersion;  // decoded with the vendor's layout
    std::string apiVersion;     // e.g. "1.3.230"
    uint64_t deviceLocalMemoryBytes = 0;  // the sum of the device-local memory heaps
    // Empty when the device can run the fxlab kernels, otherwise what it lacks.
    std::string unsupportedReason;
};

// No Vulkan driver, or no device that can run the kernels. Callers fall back to the CPU backend.
class VulkanUnavailableError : public Error {
public:
    using Error::Error;
};

// All Vulkan devices, usable or not. Throws VulkanUnavailableError, with a message that starts
// "no Vulkan driver found: ", when there is no Vulkan driver or it reports no device.
std::vector<VulkanDeviceInfo> listVulkanDevices();

// One line for a device list, e.g. "0: llvmpipe (LLVM 15.0.6, 256 bits), CPU, driver llvmpipe
// Mesa 22.3.6 (LLVM 15.0.6), Vulkan 1.3.230, 15.6 GiB device-local memory".
std::string describe(const VulkanDeviceInfo& device);

} // namespace fxlab
