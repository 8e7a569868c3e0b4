// The command buffer of a training step: dispatches, fills and copies recorded one after another,
// each followed by the barrier that orders it before everything recorded later, then one
// submission and one wait. A step may be submitted in parts when the host must look at an
// intermediate result (the SQNR policies).
#pragma once

#include "backend/vulkan/vulkan_commands.h"
#include "backend/vulkan/vulkan_handles.h"

#include <vulkan/vulkan.h>

#include <cstddef>
#include <cstdint>
#include <span>

namespace fxlab {

class ComputePipeline;
class StorageBufferSet;
class VulkanBuffer;
class VulkanContext;

class VulkanStep {
public:
    explicit VulkanStep(const VulkanContext& context);
    ~VulkanStep();
    VulkanStep(const VulkanStep&) = delete;
    VulkanStep& operator=(const VulkanStep&) = delete;

    // Records a dispatch of `groups` workgroups and the barrier after it.
    void dispatch(const ComputePipeline& pipeline, const StorageBufferSet& buffers,
                  std::span<const std::byte> pushConstants, uint32_t groups);
    // Fills a whole buffer with a 32-bit pattern.
    void fill(const VulkanBuffer& buffer, uint32_t pattern);
    void copy(const VulkanBuffer& source, VkDeviceSize sourceOffset, const VulkanBuffer& target,
              VkDeviceSize targetOffset, VkDeviceSize bytes);
    // Writes one 32-bit word of a buffer from the command buffer itself.
    void writeWord(const VulkanBuffer& buffer, VkDeviceSize offset, int32_t value);
    // Writes up to 65536 bytes (a multiple of 4) at `offset`, from the command buffer itself.
    void writeBytes(const VulkanBuffer& buffer, VkDeviceSize offset, std::span<const std::byte> bytes);

    // Submits everything recorded since the last submission and waits for it. Host-visible
    // buffers written by the step are then up to date. Throws VulkanError naming the call that
    // failed, VK_ERROR_DEVICE_LOST included.
    void submitAndWait();
    // Drops everything recorded since the last submission, after an error while recording.
    void discard();

private:
    VkCommandBuffer commands();
    void barrierAfter(VkPipelineStageFlags stages, VkAccessFlags writes);

    ReusableCommandBuffer commands_;
    bool recording_ = false;
};

} // namespace fxlab
