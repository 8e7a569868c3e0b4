// Requirements on a physical device, its description, and the choice of one.
#pragma once

#include "backend/vulkan/vulkan_devices.h"

#include <vulkan/vulkan.h>

#include <optional>
#include <vector>

namespace fxlab {

// The device features that the kernels use, and the only ones the context enables. shaderInt64
// carries the exact 64-bit mantissas of the quantizer.
VkPhysicalDeviceFeatures requiredDeviceFeatures();

// The device's name, type, driver, API version and memory, and what it lacks for the kernels.
VulkanDeviceInfo queryDeviceInfo(VkPhysicalDevice device, uint32_t index);

// The first queue family with compute support.
std::optional<uint32_t> findComputeQueueFamily(VkPhysicalDevice device);

// The index of the device to use: `requestedIndex` when given, else the first usable discrete GPU,
// else the first usable integrated GPU, then virtual GPUs, other devices and CPU devices last.
// Throws Error when the requested device is missing or unusable, and VulkanUnavailableError when
// no device is usable.
uint32_t chooseDevice(const std::vector<VulkanDeviceInfo>& devices, std::optional<uint32_t> requestedIndex);

// Logs the device's limits that the kernels depend on, once, to the category fxlab.vulkan.
void logCapabilities(VkPhysicalDevice device, const VulkanDeviceInfo& info, bool validation);

} // namespace fxlab
