#include "backend/vulkan/vulkan_commands.h"

#include "backend/vulkan/vulkan_context.h"
#include "backend/vulkan/vulkan_error.h"

#include <cstdint>

namespace fxlab {

ReusableCommandBuffer::ReusableCommandBuffer(const VulkanContext& context) : context_(context)
{
    const VkDevice device = context.device();

    VkCommandPoolCreateInfo poolInfo{};
    poolInfo.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO;
    // The one command buffer is reset and recorded again for every submission.
    poolInfo.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT | VK_COMMAND_POOL_CREATE_TRANSIENT_BIT;
    poolInfo.queueFamilyIndex = context.computeQueueFamily();
    VkCommandPool pool = VK_NULL_HANDLE;
    checkVulkan(vkCreateCommandPool(device, &poolInfo, nullptr, &pool), "vkCreateCommandPool");
    pool_ = CommandPool(device, pool);

    VkCommandBufferAllocateInfo allocateInfo{};
    allocateInfo.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO;
    allocateInfo.commandPool = pool;
    allocateInfo.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    allocateInfo.commandBufferCount = 1;
    checkVulkan(vkAllocateCommandBuffers(device, &allocateInfo, &commands_), "vkAllocateCommandBuffers");

    VkFenceCreateInfo fenceInfo{};
    fenceInfo.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO;
    VkFence fence = VK_NULL_HANDLE;
    checkVulkan(vkCreateFence(device, &fenceInfo, nullptr, &fence), "vkCreateFence");
    fence_ = Fence(device, fence);
}

void ReusableCommandBuffer::begin()
{
    VkCommandBufferBeginInfo beginInfo{};
    beginInfo.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO;
    beginInfo.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    checkVulkan(vkBeginCommandBuffer(commands_, &beginInfo), "vkBeginCommandBuffer");
}

void ReusableCommandBuffer::endSubmitAndWait()
{
    checkVulkan(vkEndCommandBuffer(commands_), "vkEndCommandBuffer");

    VkSubmitInfo submitInfo{};
    submitInfo.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO;
    submitInfo.commandBufferCount = 1;
    submitInfo.pCommandBuffers = &commands_;
    const VkDevice device = context_.device();
    const VkFence fence = fence_.get();
    checkVulkan(vkQueueSubmit(context_.computeQueue(), 1, &submitInfo, fence), "vkQueueSubmit");
    // No timeout: a long submission on a slow device is legitimate, and drivers that detect a hung
    // device report it as VK_ERROR_DEVICE_LOST.
    checkVulkan(vkWaitForFences(device, 1, &fence, VK_TRUE, UINT64_MAX), "vkWaitForFences");
    checkVulkan(vkResetFences(device, 1, &fence), "vkResetFences");
}

void ReusableCommandBuffer::reset()
{
    vkResetCommandBuffer(commands_, 0);
}

void CommandSubmitter::submitAndWait(const std::function<void(VkCommandBuffer)>& record)
{
    commands_.begin();
    try {
        record(commands_.get());
    } catch (...) {
        // A buffer left in the recording state could not be begun again.
        commands_.reset();
        throw;
    }
    commands_.endSubmitAndWait();
}

void recordMemoryBarrier(VkCommandBuffer commands, VkPipelineStageFlags sourceStages, VkAccessFlags sourceAccess,
                         VkPipelineStageFlags destinationStages, VkAccessFlags destinationAccess)
{
    VkMemoryBarrier barrier{};
    barrier.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER;
    barrier.srcAccessMask = sourceAccess;
    barrier.dstAccessMask = destinationAccess;
    vkCmdPipelineBarrier(commands, sourceStages, destinationStages, 0, 1, &barrier, 0, nullptr, 0, nullptr);
}

} // namespace fxlab
