// Errors of Vulkan calls: every call that returns a VkResult goes through checkVulkan(), so a
// failure names the call and the result.
#pragma once

#include "error.h"

#include <vulkan/vulkan.h>

#include <string>
#include <string_view>

namespace fxlab {

// The name of a VkResult as the Vulkan specification spells it, e.g. "VK_ERROR_DEVICE_LOST", or
// "VkResult N" for a value this build does not name.
std::string vulkanResultName(VkResult result);

// A Vulkan call that returned something other than VK_SUCCESS. The message names the call and the
// result, and for the common failures what the user can do.
class VulkanError : public Error {
public:
    VulkanError(std::string_view call, VkResult result);

    VkResult result() const { return result_; }

private:
    VkResult result_;
};

// Throws VulkanError unless `result` is VK_SUCCESS. `call` is the name of the Vulkan function.
inline void checkVulkan(VkResult result, std::string_view call)
{
    if (result != VK_SUCCESS)
        throw VulkanError(call, result);
}

} // namespace fxlab
