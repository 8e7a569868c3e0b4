#include "backend/vulkan/vulkan_step.h"

#include "backend/vulkan/vulkan_buffer.h"
#include "backend/vulkan/vulkan_commands.h"
#include "backend/vulkan/vulkan_context.h"
#include "backend/vulkan/vulkan_error.h"
#include "backend/vulkan/vulkan_pipeline.h"

namespace fxlab {

namespace {

constexpr VkPipelineStageFlags kWorkStages = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
constexpr VkAccessFlags kWorkAccesses = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT
    | VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;

} // namespace

VulkanStep::VulkanStep(const VulkanContext& context) : context_(context)
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

VulkanStep::~VulkanStep()
{
    discard();
}

void VulkanStep::discard()
{
    // Nothing recorded was submitted, so resetting the command buffer is enough. The reset's own
    // result is not checked: the caller is already handling the error that led here.
    if (recording_)
        vkResetCommandBuffer(commands_, 0);
    recording_ = false;
}

VkCommandBuffer VulkanStep::commands()
{
    if (recording_)
        return commands_;

    VkCommandBufferBeginInfo beginInfo{};
    beginInfo.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO;
    beginInfo.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    checkVulkan(vkBeginCommandBuffer(commands_, &beginInfo), "vkBeginCommandBuffer");
    recording_ = true;
    // Orders every access of earlier submissions before the work of this one. Host writes before
    // vkQueueSubmit need no barrier: the submission makes them visible.
    recordMemoryBarrier(commands_, kWorkStages, kWorkAccesses, kWorkStages, kWorkAccesses);
    return commands_;
}

void VulkanStep::barrierAfter(VkPipelineStageFlags stages, VkAccessFlags writes)
{
    // Every command of a step may read what the one before it wrote, and may overwrite what it
    // read, so one global barrier after each command orders all of them.
    recordMemoryBarrier(commands_, stages, writes, kWorkStages, kWorkAccesses);
}

void VulkanStep::dispatch(const ComputePipeline& pipeline, const StorageBufferSet& buffers,
                          std::span<const std::byte> pushConstants, uint32_t groups)
{
    pipeline.recordDispatch(commands(), buffers, pushConstants, groups);
    // Orders this dispatch's reads and writes before every later command.
    barrierAfter(VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_WRITE_BIT);
}

void VulkanStep::fill(const VulkanBuffer& buffer, uint32_t pattern)
{
    vkCmdFillBuffer(commands(), buffer.get(), 0, VK_WHOLE_SIZE, pattern);
    // Orders the fill before every later command.
    barrierAfter(VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT);
}

void VulkanStep::copy(const VulkanBuffer& source, VkDeviceSize sourceOffset, const VulkanBuffer& target,
                      VkDeviceSize targetOffset, VkDeviceSize bytes)
{
    const VkBufferCopy region{sourceOffset, targetOffset, bytes};
    vkCmdCopyBuffer(commands(), source.get(), target.get(), 1, &region);
    // Orders the copy before every later command.
    barrierAfter(VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT);
}

void VulkanStep::writeWord(const VulkanBuffer& buffer, VkDeviceSize offset, int32_t value)
{
    writeBytes(buffer, offset, std::as_bytes(std::span<const int32_t>(&value, 1)));
}

void VulkanStep::writeBytes(const VulkanBuffer& buffer, VkDeviceSize offset, std::span<const std::byte> bytes)
{
    vkCmdUpdateBuffer(commands(), buffer.get(), offset, bytes.size(), bytes.data());
    // Orders the write before every later command.
    barrierAfter(VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT);
}

void VulkanStep::submitAndWait()
{
    if (!recording_)
        return;
    // Makes the step's writes available to the host reads after the fence.
    recordMemoryBarrier(commands_, kWorkStages, VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT,
                        VK_PIPELINE_STAGE_HOST_BIT, VK_ACCESS_HOST_READ_BIT);
    recording_ = false;
    checkVulkan(vkEndCommandBuffer(commands_), "vkEndCommandBuffer");

    VkSubmitInfo submitInfo{};
    submitInfo.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO;
    submitInfo.commandBufferCount = 1;
    submitInfo.pCommandBuffers = &commands_;
    const VkDevice device = context_.device();
    const VkFence fence = fence_.get();
    checkVulkan(vkQueueSubmit(context_.computeQueue(), 1, &submitInfo, fence), "vkQueueSubmit");
    // No timeout: a long step on a slow device is legitimate, and drivers that detect a hung
    // device report it as VK_ERROR_DEVICE_LOST.
    checkVulkan(vkWaitForFences(device, 1, &fence, VK_TRUE, UINT64_MAX), "vkWaitForFences");
    checkVulkan(vkResetFences(device, 1, &fence), "vkResetFences");
}

} // namespace fxlab
