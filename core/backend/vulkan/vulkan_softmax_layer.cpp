#include "backend/vulkan/vulkan_softmax_layer.h"

#include "backend/vulkan/vulkan_kernel_parameters.h"
#include "backend/vulkan/vulkan_step.h"
#include "error.h"

namespace fxlab {

void VulkanSoftmaxLayer::setLossBuffers(const VulkanBuffer& labels, const VulkanBuffer& losses,
                                        const VulkanBuffer& predictions)
{
    labels_ = &labels;
    losses_ = &losses;
    predictions_ = &predictions;
}

ScratchSizes VulkanSoftmaxLayer::scratchSizes(int batch) const
{
    ScratchSizes sizes;
    sizes.values = {size_t(batch) * input_.size(), 0};
    return sizes;
}

void VulkanSoftmaxLayer::bind(const LayerBinding& binding)
{
    if (!labels_)
        throw Error("the Vulkan loss layer was bound before its loss buffers were set");
    binding_ = binding;
    errorPath_ = {};
    if (binding.gradientInput)
        errorPath_ = floatPath(TensorKind::ActivationGradients, RandomTensor::ActivationGradients, *binding.gradientInput);
    const VulkanBuffer& errors = errorPath_.kernelTarget ? *errorPath_.kernelTarget : runtime_.unused();
    kernel_.emplace(runtime_.kernels(), Kernel::SoftmaxCrossEntropy, std::vector<uint32_t>{uint32_t(binding.input->isFixed)},
                    std::initializer_list<StorageBufferRange>{binding.input->buffer(), *labels_, *losses_, *predictions_,
                                                              errors, runtime_.formatTable()});
}

void VulkanSoftmaxLayer::recordForward(VulkanStep& step, const VulkanPass& pass)
{
    recordLoss(step, pass, false);
}

void VulkanSoftmaxLayer::recordLoss(VulkanStep& step, const VulkanPass& pass, bool withError)
{
    if (withError && !binding_.gradientInput)
        throw Error("the Vulkan loss layer was bound without a tensor for its error");
    SoftmaxParameters parameters;
    parameters.batch = uint32_t(pass.batch);
    parameters.classes = uint32_t(input_.size());
    parameters.logitSlot = binding_.input->formatSlot;
    // The host divides, because a shader's division need not be correctly rounded.
    parameters.inverseBatch = 1.0f / float(pass.batch);
    parameters.writeGradients = withError ? 1 : 0;
    kernel_->recordGroups(step, parameters, (uint32_t(pass.batch) + kernel_->workgroupSize() - 1) / kernel_->workgroupSize());
    if (withError)
        errorPath_.record(step, pass, TensorKind::ActivationGradients, uint32_t(size_t(pass.batch) * input_.size()),
                          uint32_t(pass.sampleOffset * input_.size()));
}

} // namespace fxlab
