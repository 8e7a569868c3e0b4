#include "backend/vulkan/vulkan_transfer.h"

#include "backend/vulkan/vulkan_context.h"

#include <algorithm>
#include <cstring>

namespace fxlab {

namespace {

constexpr VkBufferUsageFlags kStagingUsage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;

} // namespace

VulkanTransfer::VulkanTransfer(const VulkanContext& context) : context_(context), submitter_(context) {}

const VulkanBuffer& VulkanTransfer::staging(VkDeviceSize bytes)
{
    if (!staging_ || staging_->size() < bytes) {
        // Grown to the largest request so far, at least 64 KiB, so small transfers share it.
        const VkDeviceSize size = std::max<VkDeviceSize>({bytes, VkDeviceSize{1} << 16, staging_ ? staging_->size() * 2 : 0});
        staging_.reset();
        staging_.emplace(context_, size, kStagingUsage, MemoryLocation::HostVisible);
    }
    return *staging_;
}

void VulkanTransfer::upload(std::span<const std::byte> bytes, const VulkanBuffer& target, VkDeviceSize offset)
{
    if (bytes.empty())
        return;
    const VulkanBuffer& buffer = staging(bytes.size());
    // vkQueueSubmit makes host writes to coherent memory before it visible to the device.
    std::memcpy(buffer.hostBytes().data(), bytes.data(), bytes.size());
    submitter_.submitAndWait([&](VkCommandBuffer commands) {
        // Orders earlier submissions' accesses to the target before the copy.
        recordMemoryBarrier(commands, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                            VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT,
                            VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT);
        const VkBufferCopy region{0, offset, bytes.size()};
        vkCmdCopyBuffer(commands, buffer.get(), target.get(), 1, &region);
        // Orders the copy before the shader and transfer accesses of later submissions.
        recordMemoryBarrier(commands, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT,
                            VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                            VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT
                                | VK_ACCESS_TRANSFER_WRITE_BIT);
    });
}

void VulkanTransfer::copy(const VulkanBuffer& source, const VulkanBuffer& target, VkDeviceSize bytes)
{
    if (bytes == 0)
        return;
    submitter_.submitAndWait([&](VkCommandBuffer commands) {
        // Orders earlier submissions' accesses to both buffers before the copy.
        recordMemoryBarrier(commands, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                            VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT,
                            VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT);
        const VkBufferCopy region{0, 0, bytes};
        vkCmdCopyBuffer(commands, source.get(), target.get(), 1, &region);
        // Orders the copy before the shader and transfer accesses of later submissions.
        recordMemoryBarrier(commands, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT,
                            VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                            VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT
                                | VK_ACCESS_TRANSFER_WRITE_BIT);
    });
}

void VulkanTransfer::download(const VulkanBuffer& source, VkDeviceSize offset, std::span<std::byte> bytes)
{
    if (bytes.empty())
        return;
    const VulkanBuffer& buffer = staging(bytes.size());
    submitter_.submitAndWait([&](VkCommandBuffer commands) {
        // Orders earlier submissions' writes to the source before the copy.
        recordMemoryBarrier(commands, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                            VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT,
                            VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT);
        const VkBufferCopy region{offset, 0, bytes.size()};
        vkCmdCopyBuffer(commands, source.get(), buffer.get(), 1, &region);
        // Makes the copy available to the host read after the fence.
        recordMemoryBarrier(commands, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT,
                            VK_PIPELINE_STAGE_HOST_BIT, VK_ACCESS_HOST_READ_BIT);
    });
    std::memcpy(bytes.data(), buffer.hostBytes().data(), bytes.size());
}

} // namespace fxlab
