// Creation of the Vulkan instance and enumeration of its physical devices, shared by the context
// and by listVulkanDevices().
#pragma once

#include "backend/vulkan/vulkan_handles.h"

#include <vulkan/vulkan.h>

#include <string>
#include <vector>

namespace fxlab {

class ValidationMessageLog;

// The message of a VulkanUnavailableError for `reason`, e.g. "no Vulkan driver found: <reason>.
// Install ...".
std::string noDriverMessage(const std::string& reason);

// Creates a Vulkan 1.2 instance. With `messageLog`, enables VK_LAYER_KHRONOS_validation with
// synchronization validation and routes its warnings and errors, and those of instance creation,
// to the log. Throws VulkanUnavailableError when no driver supports Vulkan 1.2, and Error when
// validation is requested but the layer is not installed.
Instance createInstance(ValidationMessageLog* messageLog);

// The instance's physical devices. Throws VulkanUnavailableError when there is none.
std::vector<VkPhysicalDevice> enumeratePhysicalDevices(VkInstance instance);

} // namespace fxlab
