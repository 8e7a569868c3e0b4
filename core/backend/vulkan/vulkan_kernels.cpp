#include "backend/vulkan/vulkan_kernels.h"

#include "backend/vulkan/vulkan_context.h"
#include "backend/vulkan/vulkan_kernel_parameters.h"
#include "backend/vulkan/vulkan_step.h"
#include "error.h"

#include <algorithm>
#include <string>

namespace fxlab {

namespace {

struct KernelInterface {
    const char* shader;
    uint32_t storageBuffers;
    uint32_t pushConstantBytes;
};

KernelInterface interfaceOf(Kernel kernel)
{
    switch (kernel) {
    case Kernel::StoreFixed: return {"store_fixed", 5, sizeof(StoreFixedParameters)};
    case Kernel::StoreFloat: return {"store_float", 3, sizeof(StoreFloatParameters)};
    case Kernel::MaxAbs: return {"max_abs", 2, sizeof(MaxAbsParameters)};
    case Kernel::ChooseFractionalLength: return {"choose_fractional_length", 2, sizeof(ChooseParameters)};
    case Kernel::ConvolutionForwardFixed:
        return {"conv_forward_fixed", 6, sizeof(ConvolutionForwardFixedParameters)};
    case Kernel::ConvolutionForwardFloat: return {"conv_forward_float", 5, sizeof(ConvolutionFloatParameters)};
    case Kernel::ConvolutionBackwardInputFixed:
        return {"conv_backward_input_fixed", 5, sizeof(ConvolutionBackwardFixedParameters)};
    case Kernel::ConvolutionBackwardInputFloat:
        return {"conv_backward_input_float", 4, sizeof(ConvolutionBackwardFloatParameters)};
    case Kernel::ConvolutionBackwardWeightsFixed:
        return {"conv_backward_weights_fixed", 5, sizeof(ConvolutionBackwardFixedParameters)};
    case Kernel::ConvolutionBackwardWeightsFloat:
        return {"conv_backward_weights_float", 4, sizeof(ConvolutionBackwardFloatParameters)};
    case Kernel::BiasGradientFixed: return {"bias_gradient_fixed", 2, sizeof(BiasGradientParameters)};
    case Kernel::BiasGradientFloat: return {"bias_gradient_float", 3, sizeof(BiasGradientParameters)};
    case Kernel::ReluForward: return {"relu_forward", 2, sizeof(ElementwiseParameters)};
    case Kernel::ReluBackward: return {"relu_backward", 3, sizeof(ElementwiseParameters)};
    case Kernel::MaxPoolForward: return {"max_pool_forward", 3, sizeof(PoolParameters)};
    case Kernel::MaxPoolBackward: return {"max_pool_backward", 3, sizeof(PoolParameters)};
    case Kernel::AveragePoolForward: return {"average_pool_forward", 2, sizeof(PoolParameters)};
    case Kernel::AveragePoolBackward: return {"average_pool_backward", 2, sizeof(PoolParameters)};
    case Kernel::SoftmaxCrossEntropy: return {"softmax_cross_entropy", 6, sizeof(SoftmaxParameters)};
    case Kernel::MaskSaturated: return {"mask_saturated", 2, sizeof(ElementwiseParameters)};
    case Kernel::SgdUpdate: return {"sgd_update", 6, sizeof(SgdParameters)};
    case Kernel::CodeHistogram: return {"code_histogram", 2, sizeof(HistogramParameters)};
    }
    throw Error("unknown Vulkan kernel " + std::to_string(int(kernel)));
}

} // namespace

VulkanKernels::VulkanKernels(const VulkanContext& context, uint32_t workgroupSize)
    : context_(context),
      workgroupSize_(workgroupSize),
      maxGroupCount_(context.limits().maxComputeWorkGroupCount[0])
{
    const VkPhysicalDeviceLimits& limits = context.limits();
    const uint32_t largest = std::min(limits.maxComputeWorkGroupSize[0], limits.maxComputeWorkGroupInvocations);
    if (workgroupSize == 0 || workgroupSize > largest)
        throw Error("Vulkan workgroup size " + std::to_string(workgroupSize) + " is out of range: this device allows 1 to "
                    + std::to_string(largest));
}

const ComputeKernelLayout& VulkanKernels::layout(Kernel kernel)
{
    std::unique_ptr<ComputeKernelLayout>& layout = layouts_[kernel];
    if (!layout) {
        const KernelInterface interface = interfaceOf(kernel);
        layout = std::make_unique<ComputeKernelLayout>(context_, interface.storageBuffers, interface.pushConstantBytes);
    }
    return *layout;
}

const ComputePipeline& VulkanKernels::pipeline(Kernel kernel, std::span<const uint32_t> variant)
{
    std::vector<uint32_t> constants{workgroupSize_};
    constants.insert(constants.end(), variant.begin(), variant.end());
    std::unique_ptr<ComputePipeline>& pipeline = pipelines_[{kernel, constants}];
    if (!pipeline)
        pipeline = std::make_unique<ComputePipeline>(context_, layout(kernel), interfaceOf(kernel).shader, constants);
    return *pipeline;
}

KernelCall::KernelCall(VulkanKernels& kernels, Kernel kernel, std::vector<uint32_t> variant,
                       std::initializer_list<StorageBufferRange> buffers)
    : pipeline_(&kernels.pipeline(kernel, variant)),
      workgroupSize_(kernels.workgroupSize()),
      maxGroupCount_(kernels.maxGroupCount()),
      buffers_(std::make_unique<StorageBufferSet>(kernels.context(), kernels.layout(kernel),
                                                  std::span<const StorageBufferRange>(buffers.begin(), buffers.size())))
{
}

void KernelCall::recordBytes(VulkanStep& step, std::span<const std::byte> parameters, uint32_t groups) const
{
    step.dispatch(*pipeline_, *buffers_, parameters, groups);
}

} // namespace fxlab
