// One-shot command submission and the memory barriers between the steps of a submission.
#pragma once

#include "backend/vulkan/vulkan_handles.h"

#include <vulkan/vulkan.h>

#include <functional>

namespace fxlab {

class VulkanContext;

// A primary command buffer with its pool and fence, begun, submitted to the compute queue and
// waited for again and again. Not thread-safe: one thread records and submits at a time.
class ReusableCommandBuffer {
public:
    explicit ReusableCommandBuffer(const VulkanContext& context);

    VkCommandBuffer get() const { return commands_; }
    // Begins recording for one submission.
    void begin();
    // Ends recording, submits the commands and returns when the device has finished them.
    void endSubmitAndWait();
    // Drops what was recorded since begin(), after an error while recording. The reset's own
    // result is not checked, because the error that led here is the one to report.
    void reset();

private:
    const VulkanContext& context_;
    CommandPool pool_;
    VkCommandBuffer commands_ = VK_NULL_HANDLE;  // freed with the pool
    Fence fence_;
};

// One-shot submissions through a ReusableCommandBuffer.
class CommandSubmitter {
public:
    explicit CommandSubmitter(const VulkanContext& context) : commands_(context) {}

    // Records commands with `record`, submits them and returns when the device has finished them.
    // Exceptions from `record` propagate, and the command buffer stays reusable.
    void submitAndWait(const std::function<void(VkCommandBuffer)>& record);

private:
    ReusableCommandBuffer commands_;
};

// A global memory barrier: accesses `sourceAccess` of stages `sourceStages` recorded before it
// happen before, and are visible to, accesses `destinationAccess` of `destinationStages` after it.
void recordMemoryBarrier(VkCommandBuffer commands, VkPipelineStageFlags sourceStages, VkAccessFlags sourceAccess,
                         VkPipelineStageFlags destinationStages, VkAccessFlags destinationAccess);

} // namespace fxlab
