#include "backend/vulkan/vulkan_elementwise_layers.h"

#include "backend/vulkan/vulkan_step.h"

namespace fxlab {

namespace {

PoolGeometry poolGeometry(Shape input, Shape output)
{
    return {uint32_t(input.channels), uint32_t(input.height), uint32_t(input.width), uint32_t(output.height),
            uint32_t(output.width)};
}

ScratchSizes elementScratch(size_t elements)
{
    ScratchSizes sizes;
    sizes.exact = {elements, 0};
    sizes.values = {elements, 0};
    return sizes;
}

} // namespace

// ReLU

ScratchSizes VulkanReluLayer::scratchSizes(int batch) const
{
    return elementScratch(size_t(batch) * input_.size());
}

void VulkanReluLayer::bind(const LayerBinding& binding)
{
    binding_ = binding;
    const DeviceTensor& input = *binding.input;
    // Codes stay exact int32 values at the input's fractional length; floats go out as floats.
    forwardPath_ = input.isFixed ? exactPath(TensorKind::Activations, RandomTensor::Activations, SourceKind::Int32,
                                             input.formatSlot, 0, *binding.output)
                                 : floatPath(TensorKind::Activations, RandomTensor::Activations, *binding.output);
    forward_.emplace(runtime_.kernels(), Kernel::ReluForward, std::vector<uint32_t>{uint32_t(input.isFixed)},
                     std::initializer_list<StorageBufferRange>{input.buffer(), *forwardPath_.kernelTarget});

    backward_.reset();
    if (!binding.gradientInput)
        return;
    const DeviceTensor& gradient = *binding.gradientOutput;
    backwardPath_ = gradient.isFixed ? exactPath(TensorKind::ActivationGradients, RandomTensor::ActivationGradients,
                                                 SourceKind::Int32, gradient.formatSlot, 0, *binding.gradientInput)
                                     : floatPath(TensorKind::ActivationGradients, RandomTensor::ActivationGradients,
                                                 *binding.gradientInput);
    backward_.emplace(runtime_.kernels(), Kernel::ReluBackward, std::vector<uint32_t>{uint32_t(input.isFixed)},
                      std::initializer_list<StorageBufferRange>{input.buffer(), gradient.buffer(),
                                                                *backwardPath_.kernelTarget});
}

void VulkanReluLayer::recordForward(VulkanStep& step, const VulkanPass& pass)
{
    const uint32_t elements = uint32_t(size_t(pass.batch) * output_.size());
    forward_->recordInvocations(step, ElementwiseParameters{}, elements);
    forwardPath_.record(step, pass, TensorKind::Activations, elements, uint32_t(pass.sampleOffset * output_.size()));
}

void VulkanReluLayer::recordBackward(VulkanStep& step, const VulkanPass& pass)
{
    if (!backward_)
        return;
    const uint32_t elements = uint32_t(size_t(pass.batch) * input_.size());
    backward_->recordInvocations(step, ElementwiseParameters{}, elements);
    backwardPath_.record(step, pass, TensorKind::ActivationGradients, elements,
                         uint32_t(pass.sampleOffset * input_.size()));
}

// Max pooling

ScratchSizes VulkanMaxPoolLayer::scratchSizes(int batch) const
{
    return elementScratch(size_t(batch) * input_.size());
}

void VulkanMaxPoolLayer::bind(const LayerBinding& binding)
{
    binding_ = binding;
    const DeviceTensor& input = *binding.input;
    argmax_.reset();
    argmax_.emplace(runtime_.makeBuffer(size_t(input.capacity) * output_.size(), sizeof(uint32_t)));
    forwardPath_ = input.isFixed ? exactPath(TensorKind::Activations, RandomTensor::Activations, SourceKind::Int32,
                                             input.formatSlot, 0, *binding.output)
                                 : floatPath(TensorKind::Activations, RandomTensor::Activations, *binding.output);
    forward_.emplace(runtime_.kernels(), Kernel::MaxPoolForward, std::vector<uint32_t>{uint32_t(input.isFixed)},
                     std::initializer_list<StorageBufferRange>{input.buffer(), *forwardPath_.kernelTarget, *argmax_});

    backward_.reset();
    if (!binding.gradientInput)
        return;
    const DeviceTensor& gradient = *binding.gradientOutput;
    backwardPath_ = gradient.isFixed ? exactPath(TensorKind::ActivationGradients, RandomTensor::ActivationGradients,
                                                 SourceKind::Int32, gradient.formatSlot, 0, *binding.gradientInput)
                                     : floatPath(TensorKind::ActivationGradients, RandomTensor::ActivationGradients,
                                                 *binding.gradientInput);
    backward_.emplace(runtime_.kernels(), Kernel::MaxPoolBackward, std::vector<uint32_t>{},
                      std::initializer_list<StorageBufferRange>{gradient.buffer(), *argmax_,
                                                                *backwardPath_.kernelTarget});
}

void VulkanMaxPoolLayer::recordForward(VulkanStep& step, const VulkanPass& pass)
{
    const uint32_t elements = uint32_t(size_t(pass.batch) * output_.size());
    forward_->recordInvocations(step, PoolParameters{{}, poolGeometry(input_, output_)}, elements);
    forwardPath_.record(step, pass, TensorKind::Activations, elements, uint32_t(pass.sampleOffset * output_.size()));
}

void VulkanMaxPoolLayer::recordBackward(VulkanStep& step, const VulkanPass& pass)
{
    if (!backward_)
        return;
    const uint32_t elements = uint32_t(size_t(pass.batch) * input_.size());
    backward_->recordInvocations(step, PoolParameters{{}, poolGeometry(input_, output_)}, elements);
    backwardPath_.record(step, pass, TensorKind::ActivationGradients, elements,
                         uint32_t(pass.sampleOffset * input_.size()));
}

// Average pooling

ScratchSizes VulkanAveragePoolLayer::scratchSizes(int batch) const
{
    return elementScratch(size_t(batch) * input_.size());
}

void VulkanAveragePoolLayer::bind(const LayerBinding& binding)
{
    binding_ = binding;
    const DeviceTensor& input = *binding.input;
    // The sum of four codes with two more fractional bits is the exact mean.
    forwardPath_ = input.isFixed ? exactPath(TensorKind::Activations, RandomTensor::Activations, SourceKind::Int64,
                                             input.formatSlot, 2, *binding.output)
                                 : floatPath(TensorKind::Activations, RandomTensor::Activations, *binding.output);
    forward_.emplace(runtime_.kernels(), Kernel::AveragePoolForward, std::vector<uint32_t>{uint32_t(input.isFixed)},
                     std::initializer_list<StorageBufferRange>{input.buffer(), *forwardPath_.kernelTarget});

    backward_.reset();
    if (!binding.gradientInput)
        return;
    const DeviceTensor& gradient = *binding.gradientOutput;
    backwardPath_ = gradient.isFixed ? exactPath(TensorKind::ActivationGradients, RandomTensor::ActivationGradients,
                                                 SourceKind::Int32, gradient.formatSlot, 2, *binding.gradientInput)
                                     : floatPath(TensorKind::ActivationGradients, RandomTensor::ActivationGradients,
                                                 *binding.gradientInput);
    backward_.emplace(runtime_.kernels(), Kernel::AveragePoolBackward, std::vector<uint32_t>{uint32_t(gradient.isFixed)},
                      std::initializer_list<StorageBufferRange>{gradient.buffer(), *backwardPath_.kernelTarget});
}

void VulkanAveragePoolLayer::recordForward(VulkanStep& step, const VulkanPass& pass)
{
    const uint32_t elements = uint32_t(size_t(pass.batch) * output_.size());
    forward_->recordInvocations(step, PoolParameters{{}, poolGeometry(input_, output_)}, elements);
    forwardPath_.record(step, pass, TensorKind::Activations, elements, uint32_t(pass.sampleOffset * output_.size()));
}

void VulkanAveragePoolLayer::recordBackward(VulkanStep& step, const VulkanPass& pass)
{
    if (!backward_)
        return;
    const uint32_t elements = uint32_t(size_t(pass.batch) * input_.size());
    backward_->recordInvocations(step, PoolParameters{{}, poolGeometry(input_, output_)}, elements);
    backwardPath_.record(step, pass, TensorKind::ActivationGradients, elements,
                         uint32_t(pass.sampleOffset * input_.size()));
}

// Flatten

VulkanFlattenLayer::Transfer VulkanFlattenLayer::transferOf(TensorKind kind, RandomTensor tensor,
                                                            const DeviceTensor& source, const DeviceTensor& target) const
{
    Transfer transfer{&source, &target, std::nullopt};
    if (source.isFixed)
        transfer.path = storeFrom(kind, tensor, {&source.buffer(), SourceKind::Int32, source.formatSlot, 0}, target);
    else if (!precisionOf(kind).isFloat)
        transfer.path = storeFrom(kind, tensor, {&source.buffer(), SourceKind::Float32, -1, 0}, target);
    return transfer;
}

void VulkanFlattenLayer::bind(const LayerBinding& binding)
{
    binding_ = binding;
    forward_ = transferOf(TensorKind::Activations, RandomTensor::Activations, *binding.input, *binding.output);
    backward_.reset();
    if (binding.gradientInput)
        backward_ = transferOf(TensorKind::ActivationGradients, RandomTensor::ActivationGradients,
                               *binding.gradientOutput, *binding.gradientInput);
}

void VulkanFlattenLayer::recordTransfer(VulkanStep& step, const VulkanPass& pass, TensorKind kind,
                                        const Transfer& transfer) const
{
    const size_t sampleSize = input_.size();
    const uint32_t elements = uint32_t(size_t(pass.batch) * sampleSize);
    if (transfer.path)
        transfer.path->record(step, pass, kind, elements, uint32_t(pass.sampleOffset * sampleSize));
    else
        step.copy(transfer.source->buffer(), 0, transfer.target->buffer(), 0, VkDeviceSize(elements) * sizeof(float));
}

void VulkanFlattenLayer::recordForward(VulkanStep& step, const VulkanPass& pass)
{
    recordTransfer(step, pass, TensorKind::Activations, forward_);
}

void VulkanFlattenLayer::recordBackward(VulkanStep& step, const VulkanPass& pass)
{
    if (backward_)
        recordTransfer(step, pass, TensorKind::ActivationGradients, *backward_);
}

} // namespace fxlab
