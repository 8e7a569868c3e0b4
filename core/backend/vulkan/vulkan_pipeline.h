// Compute pipelines built from embedded shaders: the interface a shader declares (storage buffers
// and push constants), the pipeline itself, and the descriptor set that binds buffers to it.
#pragma once

#include "backend/vulkan/vulkan_handles.h"

#include <vulkan/vulkan.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace fxlab {

class VulkanBuffer;
class VulkanContext;

// The interface of a compute shader: `storageBufferCount` storage buffers at bindings 0 to
// count - 1 of set 0, and a push-constant block of `pushConstantBytes` bytes (0 for none).
// Pipelines that share a layout can share descriptor sets.
class ComputeKernelLayout {
public:
    ComputeKernelLayout(const VulkanContext& context, uint32_t storageBufferCount, uint32_t pushConstantBytes);

    VkDescriptorSetLayout descriptorSetLayout() const { return descriptorSetLayout_.get(); }
    VkPipelineLayout pipelineLayout() const { return pipelineLayout_.get(); }
    uint32_t storageBufferCount() const { return storageBufferCount_; }
    uint32_t pushConstantBytes() const { return pushConstantBytes_; }

private:
    uint32_t storageBufferCount_ = 0;
    uint32_t pushConstantBytes_ = 0;
    DescriptorSetLayout descriptorSetLayout_;
    PipelineLayout pipelineLayout_;
};

// A range of a buffer bound to one storage-buffer binding.
struct StorageBufferRange {
    VkBuffer buffer = VK_NULL_HANDLE;
    VkDeviceSize offset = 0;
    VkDeviceSize size = VK_WHOLE_SIZE;

    StorageBufferRange(VkBuffer buffer, VkDeviceSize offset = 0, VkDeviceSize size = VK_WHOLE_SIZE);
    StorageBufferRange(const VulkanBuffer& buffer);  // the whole buffer
};

// One descriptor set, in its own pool, that binds buffers[i] to binding i of a layout.
class StorageBufferSet {
public:
    StorageBufferSet(const VulkanContext& context, const ComputeKernelLayout& layout,
                     std::span<const StorageBufferRange> buffers);

    VkDescriptorSet get() const { return set_; }

private:
    DescriptorPool pool_;
    VkDescriptorSet set_ = VK_NULL_HANDLE;  // freed with the pool
};

// A compute pipeline of the embedded shader `shaderName`. specializationConstants[i] is the value
// of the constant with constant_id i, and all are 32-bit. Throws Error when no shader has that name.
class ComputePipeline {
public:
    ComputePipeline(const VulkanContext& context, const ComputeKernelLayout& layout, std::string_view shaderName,
                    std::span<const uint32_t> specializationConstants = {});

    VkPipeline get() const { return pipeline_.get(); }
    const std::string& shaderName() const { return shaderName_; }

    // Records a dispatch of `groupCount` workgroups along x with `buffers` bound and
    // `pushConstants` (exactly the layout's push-constant size) pushed. Throws Error when
    // `groupCount` exceeds the device's maxComputeWorkGroupCount. Barriers are the caller's.
    void recordDispatch(VkCommandBuffer commands, const StorageBufferSet& buffers,
                        std::span<const std::byte> pushConstants, uint32_t groupCount) const;

private:
    std::string shaderName_;
    VkPipelineLayout layout_ = VK_NULL_HANDLE;  // owned by the ComputeKernelLayout
    uint32_t pushConstantBytes_ = 0;
    uint32_t maxGroupCount_ = 0;
    Pipeline pipeline_;
};

} // namespace fxlab
