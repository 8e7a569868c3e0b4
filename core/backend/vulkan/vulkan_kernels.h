// The training kernels of shaders/: their interfaces, a cache of their pipelines, and the
// dispatch sites that bind a pipeline to its buffers.
#pragma once

#include "backend/vulkan/vulkan_pipeline.h"

#include <vulkan/vulkan.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace fxlab {

class VulkanContext;
class VulkanStep;

enum class Kernel {
    StoreFixed,
    StoreFloat,
    MaxAbs,
    ChooseFractionalLength,
    ConvolutionForwardFixed,
    ConvolutionForwardFloat,
    ConvolutionBackwardInputFixed,
    ConvolutionBackwardInputFloat,
    ConvolutionBackwardWeightsFixed,
    ConvolutionBackwardWeightsFloat,
    BiasGradientFixed,
    BiasGradientFloat,
    ReluForward,
    ReluBackward,
    MaxPoolForward,
    MaxPoolBackward,
    AveragePoolForward,
    AveragePoolBackward,
    SoftmaxCrossEntropy,
    MaskSaturated,
    SgdUpdate,
    CodeHistogram,
};

// The source element types of store_fixed.comp, store_float.comp and max_abs.comp: their
// specialization constant kSourceKind.
enum class SourceKind : uint32_t { Int32 = 0, Int64 = 1, Float32 = 2 };

// Pipelines of the training kernels, created when first used. Specialization constant 0 of every
// kernel is its workgroup size; the others select a variant.
class VulkanKernels {
public:
    // `workgroupSize` (1 to the device's limit) changes no result; tests vary it to prove that.
    VulkanKernels(const VulkanContext& context, uint32_t workgroupSize);

    const VulkanContext& context() const { return context_; }
    uint32_t workgroupSize() const { return workgroupSize_; }
    uint32_t maxGroupCount() const { return maxGroupCount_; }

    const ComputeKernelLayout& layout(Kernel kernel);
    // `variant` holds specialization constants 1, 2, ...
    const ComputePipeline& pipeline(Kernel kernel, std::span<const uint32_t> variant);

private:
    const VulkanContext& context_;
    uint32_t workgroupSize_;
    uint32_t maxGroupCount_;
    std::map<Kernel, std::unique_ptr<ComputeKernelLayout>> layouts_;
    std::map<std::pair<Kernel, std::vector<uint32_t>>, std::unique_ptr<ComputePipeline>> pipelines_;
};

// One dispatch site: a kernel variant with its buffers bound. Sites are made when buffers are
// allocated and recorded at every step.
class KernelCall {
public:
    KernelCall(VulkanKernels& kernels, Kernel kernel, std::vector<uint32_t> variant,
               std::initializer_list<StorageBufferRange> buffers);

    // Records the kernel over `invocations` invocations (at least 1), one per workgroup lane.
    // `parameters` starts with an InvocationRange; a kernel that needs more workgroups than the
    // device allows in one dispatch is split into several, each with its own range.first.
    template <typename Parameters>
    void recordInvocations(VulkanStep& step, Parameters parameters, uint32_t invocations) const;

    // Records one dispatch of `groups` workgroups with `parameters` as they are.
    template <typename Parameters>
    void recordGroups(VulkanStep& step, const Parameters& parameters, uint32_t groups) const
    {
        recordBytes(step, {reinterpret_cast<const std::byte*>(&parameters), sizeof parameters}, groups);
    }

    uint32_t workgroupSize() const { return workgroupSize_; }

private:
    void recordBytes(VulkanStep& step, std::span<const std::byte> parameters, uint32_t groups) const;

    const ComputePipeline* pipeline_;
    uint32_t workgroupSize_;
    uint32_t maxGroupCount_;
    std::unique_ptr<StorageBufferSet> buffers_;
};

template <typename Parameters>
void KernelCall::recordInvocations(VulkanStep& step, Parameters parameters, uint32_t invocations) const
{
    const uint64_t perDispatch = uint64_t(maxGroupCount_) * workgroupSize_;
    parameters.range.count = invocations;
    for (uint64_t first = 0; first < invocations; first += perDispatch) {
        parameters.range.first = uint32_t(first);
        const uint64_t part = std::min<uint64_t>(perDispatch, invocations - first);
        recordGroups(step, parameters, uint32_t((part + workgroupSize_ - 1) / workgroupSize_));
    }
}

} // namespace fxlab
