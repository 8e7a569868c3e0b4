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

VulkanStep::VulkanStep(const VulkanContext& context) : commands_(context) {}

VulkanStep::~VulkanStep()
{
    discard();
}

void VulkanStep::discard()
{
    // Nothing recorded was submitted, so resetting the command buffer is enough.
    if (recording_)
        commands_.reset();
    recording_ = false;
}

VkCommandBuffer VulkanStep::commands()
{
    if (recording_)
        return commands_.get();

    commands_.begin();
    recording_ = true;
    // Orders every access of earlier submissions before the work of this one. Host writes before
    // vkQueueSubmit need no barrier, because the submission makes them visible.
    recordMemoryBarrier(commands_.get(), kWorkStages, kWorkAccesses, kWorkStages, kWorkAccesses);
    return commands_.get();
}

void VulkanStep::barrierAfter(VkPipelineStageFlags stages, VkAccessFlags writes)
{
    // Every command of a step may read what the one before it wrote, and may overwrite what it
    // read, so one global barrier after each command orders all of them.
    recordMemoryBarrier(commands_.get(), stages, writes, kWorkStages, kWorkAccesses);
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
    recordMemoryBarrier(commands_.get(), kWorkStages, VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT,
                        VK_PIPELINE_STAGE_HOST_BIT, VK_ACCESS_HOST_READ_BIT);
    recording_ = false;
    commands_.endSubmitAndWait();
}

} // namespace fxlab
