#include "backend/vulkan/vulkan_layer.h"

#include "backend/vulkan/vulkan_convolution_layer.h"
#include "backend/vulkan/vulkan_elementwise_layers.h"
#include "backend/vulkan/vulkan_softmax_layer.h"

namespace fxlab {

VulkanLayer::VulkanLayer(VulkanRuntime& runtime, const LayerSpec& spec, uint32_t index, Shape input, Shape output,
                         const LayerPrecision& precision)
    : runtime_(runtime), spec_(spec), index_(index), input_(input), output_(output), precision_(precision)
{
    for (TensorKind kind : kAllTensorKinds)
        kindSlots_[size_t(kind)] = runtime.addFormatSlot(precisionOf(kind).spec.format.fractionalLength);
    for (uint32_t& slot : eventSlots_)
        slot = runtime.addEventSlot();
}

void VulkanLayer::loadState(const LayerState& state)
{
    for (TensorKind kind : kAllTensorKinds)
        runtime_.setFormat(formatSlot(kind), state.fractionalLengths[size_t(kind)]);
}

LayerState VulkanLayer::saveState(std::span<const std::span<const std::byte>>, std::span<const int32_t> formats) const
{
    LayerState state;
    for (TensorKind kind : kAllTensorKinds)
        state.fractionalLengths[size_t(kind)] = formats[size_t(formatSlot(kind))];
    return state;
}

void VulkanLayer::OutputPath::record(VulkanStep& step, const VulkanPass& pass, TensorKind kind, uint32_t elements,
                                     uint32_t firstRandomIndex) const
{
    if (store)
        store->record(step, pass, pass.chooseNow(kind), std::span<const uint32_t>(&elements, 1), firstRandomIndex);
}

VulkanLayer::OutputPath VulkanLayer::storeFrom(TensorKind kind, RandomTensor tensor, const StoreSource& source,
                                               const DeviceTensor& target) const
{
    StorePart part;
    part.source = source;
    part.target = &target.buffer();
    part.flags = target.flags ? &*target.flags : nullptr;
    part.eventSlot = eventSlot(tensor);
    part.randomTensor = tensor;

    OutputPath path;
    path.kernelTarget = source.buffer;
    path.store.emplace(runtime_, precisionOf(kind), target.formatSlot, index_, std::vector<StorePart>{part});
    return path;
}

VulkanLayer::OutputPath VulkanLayer::exactPath(TensorKind kind, RandomTensor tensor, SourceKind sourceKind,
                                               int sourceSlot, int sourceOffset, const DeviceTensor& target) const
{
    return storeFrom(kind, tensor, {&runtime_.exactScratch(0), sourceKind, sourceSlot, sourceOffset}, target);
}

VulkanLayer::OutputPath VulkanLayer::floatPath(TensorKind kind, RandomTensor tensor, const DeviceTensor& target) const
{
    if (precisionOf(kind).isFloat) {
        OutputPath path;
        path.kernelTarget = &target.buffer();
        return path;
    }
    return storeFrom(kind, tensor, {&runtime_.valueScratch(0), SourceKind::Float32, -1, 0}, target);
}

std::unique_ptr<VulkanLayer> makeVulkanLayer(VulkanRuntime& runtime, const LayerSpec& spec, uint32_t index,
                                             Shape input, Shape output, const LayerPrecision& precision,
                                             bool fixedPointMasterWeights)
{
    switch (spec.type) {
    case LayerType::Convolution:
    case LayerType::Dense:
        return std::make_unique<VulkanConvolutionLayer>(runtime, spec, index, input, output, precision,
                                                        fixedPointMasterWeights);
    case LayerType::ReLU:
        return std::make_unique<VulkanReluLayer>(runtime, spec, index, input, output, precision);
    case LayerType::MaxPool:
        return std::make_unique<VulkanMaxPoolLayer>(runtime, spec, index, input, output, precision);
    case LayerType::AveragePool:
        return std::make_unique<VulkanAveragePoolLayer>(runtime, spec, index, input, output, precision);
    case LayerType::Flatten:
        return std::make_unique<VulkanFlattenLayer>(runtime, spec, index, input, output, precision);
    case LayerType::SoftmaxCrossEntropy:
        return std::make_unique<VulkanSoftmaxLayer>(runtime, spec, index, input, output, precision);
    }
    return nullptr;
}

} // namespace fxlab
