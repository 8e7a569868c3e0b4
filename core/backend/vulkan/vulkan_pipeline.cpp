#include "backend/vulkan/vulkan_pipeline.h"

#include "backend/vulkan/vulkan_buffer.h"
#include "backend/vulkan/vulkan_context.h"
#include "backend/vulkan/vulkan_error.h"

#include "shader_registry.h"

#include <algorithm>
#include <string>
#include <vector>

namespace fxlab {

ComputeKernelLayout::ComputeKernelLayout(const VulkanContext& context, uint32_t storageBufferCount,
                                         uint32_t pushConstantBytes)
    : storageBufferCount_(storageBufferCount), pushConstantBytes_(pushConstantBytes)
{
    const VkDevice device = context.device();

    std::vector<VkDescriptorSetLayoutBinding> bindings(storageBufferCount);
    for (uint32_t binding = 0; binding < storageBufferCount; ++binding) {
        bindings[binding].binding = binding;
        bindings[binding].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
        bindings[binding].descriptorCount = 1;
        bindings[binding].stageFlags = VK_SHADER_STAGE_COMPUTE_BIT;
    }
    VkDescriptorSetLayoutCreateInfo setLayoutInfo{};
    setLayoutInfo.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO;
    setLayoutInfo.bindingCount = storageBufferCount;
    setLayoutInfo.pBindings = bindings.data();
    VkDescriptorSetLayout setLayout = VK_NULL_HANDLE;
    checkVulkan(vkCreateDescriptorSetLayout(device, &setLayoutInfo, nullptr, &setLayout), "vkCreateDescriptorSetLayout");
    descriptorSetLayout_ = DescriptorSetLayout(device, setLayout);

    const uint32_t maxPushConstantBytes = context.limits().maxPushConstantsSize;
    if (pushConstantBytes > maxPushConstantBytes)
        throw Error("a compute kernel needs " + std::to_string(pushConstantBytes)
                    + " bytes of push constants, but the Vulkan device allows only "
                    + std::to_string(maxPushConstantBytes));
    VkPushConstantRange pushConstantRange{};
    pushConstantRange.stageFlags = VK_SHADER_STAGE_COMPUTE_BIT;
    pushConstantRange.offset = 0;
    pushConstantRange.size = pushConstantBytes;

    VkPipelineLayoutCreateInfo pipelineLayoutInfo{};
    pipelineLayoutInfo.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO;
    pipelineLayoutInfo.setLayoutCount = 1;
    pipelineLayoutInfo.pSetLayouts = &setLayout;
    pipelineLayoutInfo.pushConstantRangeCount = pushConstantBytes > 0 ? 1 : 0;
    pipelineLayoutInfo.pPushConstantRanges = &pushConstantRange;
    VkPipelineLayout pipelineLayout = VK_NULL_HANDLE;
    checkVulkan(vkCreatePipelineLayout(device, &pipelineLayoutInfo, nullptr, &pipelineLayout), "vkCreatePipelineLayout");
    pipelineLayout_ = PipelineLayout(device, pipelineLayout);
}

StorageBufferRange::StorageBufferRange(VkBuffer buffer, VkDeviceSize offset, VkDeviceSize size)
    : buffer(buffer), offset(offset), size(size)
{
}

StorageBufferRange::StorageBufferRange(const VulkanBuffer& buffer) : buffer(buffer.get()) {}

StorageBufferSet::StorageBufferSet(const VulkanContext& context, const ComputeKernelLayout& layout,
                                   std::span<const StorageBufferRange> buffers)
{
    if (buffers.size() != layout.storageBufferCount())
        throw Error("a descriptor set got " + std::to_string(buffers.size()) + " storage buffers for a layout with "
                    + std::to_string(layout.storageBufferCount()) + " bindings");
    const VkDevice device = context.device();

    // A zero descriptorCount is invalid, so a kernel without buffers still reserves one.
    VkDescriptorPoolSize poolSize{};
    poolSize.type = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
    poolSize.descriptorCount = std::max<uint32_t>(1, layout.storageBufferCount());
    VkDescriptorPoolCreateInfo poolInfo{};
    poolInfo.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO;
    poolInfo.maxSets = 1;
    poolInfo.poolSizeCount = 1;
    poolInfo.pPoolSizes = &poolSize;
    VkDescriptorPool pool = VK_NULL_HANDLE;
    checkVulkan(vkCreateDescriptorPool(device, &poolInfo, nullptr, &pool), "vkCreateDescriptorPool");
    pool_ = DescriptorPool(device, pool);

    const VkDescriptorSetLayout setLayout = layout.descriptorSetLayout();
    VkDescriptorSetAllocateInfo allocateInfo{};
    allocateInfo.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO;
    allocateInfo.descriptorPool = pool;
    allocateInfo.descriptorSetCount = 1;
    allocateInfo.pSetLayouts = &setLayout;
    checkVulkan(vkAllocateDescriptorSets(device, &allocateInfo, &set_), "vkAllocateDescriptorSets");

    std::vector<VkDescriptorBufferInfo> bufferInfos(buffers.size());
    std::vector<VkWriteDescriptorSet> writes(buffers.size());
    for (uint32_t binding = 0; binding < buffers.size(); ++binding) {
        bufferInfos[binding] = {buffers[binding].buffer, buffers[binding].offset, buffers[binding].size};
        writes[binding].sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET;
        writes[binding].dstSet = set_;
        writes[binding].dstBinding = binding;
        writes[binding].descriptorCount = 1;
        writes[binding].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
        writes[binding].pBufferInfo = &bufferInfos[binding];
    }
    vkUpdateDescriptorSets(device, uint32_t(writes.size()), writes.data(), 0, nullptr);
}

ComputePipeline::ComputePipeline(const VulkanContext& context, const ComputeKernelLayout& layout,
                                 std::string_view shaderName, std::span<const uint32_t> specializationConstants)
    : shaderName_(shaderName),
      layout_(layout.pipelineLayout()),
      pushConstantBytes_(layout.pushConstantBytes()),
      maxGroupCount_(context.limits().maxComputeWorkGroupCount[0])
{
    const VkDevice device = context.device();
    const std::span<const uint32_t> code = shaderCode(shaderName);

    VkShaderModuleCreateInfo moduleInfo{};
    moduleInfo.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO;
    moduleInfo.codeSize = code.size_bytes();
    moduleInfo.pCode = code.data();
    VkShaderModule module = VK_NULL_HANDLE;
    checkVulkan(vkCreateShaderModule(device, &moduleInfo, nullptr, &module), "vkCreateShaderModule");
    // The pipeline keeps what it needs, so the module is destroyed when this constructor returns.
    const ShaderModule shaderModule(device, module);

    std::vector<VkSpecializationMapEntry> entries(specializationConstants.size());
    for (uint32_t id = 0; id < entries.size(); ++id)
        entries[id] = {id, id * uint32_t(sizeof(uint32_t)), sizeof(uint32_t)};
    VkSpecializationInfo specialization{};
    specialization.mapEntryCount = uint32_t(entries.size());
    specialization.pMapEntries = entries.data();
    specialization.dataSize = specializationConstants.size_bytes();
    specialization.pData = specializationConstants.data();

    VkComputePipelineCreateInfo pipelineInfo{};
    pipelineInfo.sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO;
    pipelineInfo.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
    pipelineInfo.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    pipelineInfo.stage.module = module;
    pipelineInfo.stage.pName = "main";
    pipelineInfo.stage.pSpecializationInfo = entries.empty() ? nullptr : &specialization;
    pipelineInfo.layout = layout_;
    VkPipeline pipeline = VK_NULL_HANDLE;
    checkVulkan(vkCreateComputePipelines(device, VK_NULL_HANDLE, 1, &pipelineInfo, nullptr, &pipeline),
                "vkCreateComputePipelines");
    pipeline_ = Pipeline(device, pipeline);
}

void ComputePipeline::recordDispatch(VkCommandBuffer commands, const StorageBufferSet& buffers,
                                     std::span<const std::byte> pushConstants, uint32_t groupCount) const
{
    if (pushConstants.size() != pushConstantBytes_)
        throw Error("shader " + shaderName_ + " takes " + std::to_string(pushConstantBytes_)
                    + " bytes of push constants, not " + std::to_string(pushConstants.size()));
    if (groupCount > maxGroupCount_)
        throw Error("a dispatch of shader " + shaderName_ + " needs " + std::to_string(groupCount)
                    + " workgroups, but the Vulkan device allows at most " + std::to_string(maxGroupCount_)
                    + ": split the work into several dispatches");

    vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline_.get());
    const VkDescriptorSet set = buffers.get();
    vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_COMPUTE, layout_, 0, 1, &set, 0, nullptr);
    if (!pushConstants.empty())
        vkCmdPushConstants(commands, layout_, VK_SHADER_STAGE_COMPUTE_BIT, 0, uint32_t(pushConstants.size()),
                           pushConstants.data());
    vkCmdDispatch(commands, groupCount, 1, 1);
}

} // namespace fxlab
