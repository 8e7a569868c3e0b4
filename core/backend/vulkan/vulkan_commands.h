// One-shot command submission and the memory barriers between the steps of a submission.
#pragma once

#include "backend/vulkan/vulkan_handles.h"

#include <vulkan/vulkan.h>

#include <functional>

namespace fxlab {

class VulkanContext;

// A command buffer that is recorded, submitted to the compute queue and waited for, again and
// again. Not thread-safe: one thread records and submits at a time.
class CommandSubmitter {
public:
    explicit CommandSubmitter(const VulkanContext& context);

    // Records commands with `record`, submits them and returns when the device has finished them.
    // Exceptions from `record` propagate, and the command buffer stays reusable.
    void submitAndWait(const std::function<void(VkCommandBuffer)>& record);

private:
    const VulkanContext& context_;
    CommandPool pool_;
    VkCommandBuffer commands_ = VK_NULL_HANDLE;  // freed with the pool
    Fence fence_;
};

// A global memory barrier: accesses `sourceAccess` of stages `sourceStages` recorded before it
// happen before, and are visible to, accesses `destinationAccess` of `destinationStages` after it.
void recordMemoryBarrier(VkCommandBuffer commands, VkPipelineStageFlags sourceStages, VkAccessFlags sourceAccess,
                         VkPipelineStageFlags destinationStages, VkAccessFlags destinationAccess);

} // namespace fxlab
