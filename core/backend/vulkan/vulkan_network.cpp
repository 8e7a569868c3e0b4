#include "backend/vulkan/vulkan_network.h"

#include "backend/vulkan/vulkan_context.h"
#include "backend/vulkan/vulkan_kernel_parameters.h"
#include "backend/vulkan/vulkan_step.h"
#include "error.h"

#include <algorithm>
#include <cstring>

namespace fxlab {

namespace {

constexpr VkBufferUsageFlags kHostUsage =
    VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;

VulkanBuffer hostBuffer(const VulkanContext& context, size_t bytes)
{
    return VulkanBuffer(context, std::max<VkDeviceSize>(bytes, 4), kHostUsage, MemoryLocation::HostVisible);
}

DeviceTensor tensorOf(Shape shape, const TensorPrecision& precision, int formatSlot)
{
    DeviceTensor tensor;
    tensor.shape = shape;
    tensor.isFixed = !precision.isFloat;
    tensor.wordBits = precision.isFloat ? 32 : precision.spec.format.wordBits;
    tensor.formatSlot = formatSlot;
    return tensor;
}

// Random tensors whose events add up to each tensor kind, as the CPU reference counts them:
// weights count their quantization and a fixed-point master copy's update, and the weight
// gradients count the bias gradients too.
std::vector<RandomTensor> eventSourcesOf(TensorKind kind)
{
    switch (kind) {
    case TensorKind::Weights: return {RandomTensor::Weights, RandomTensor::WeightUpdate};
    case TensorKind::Biases: return {RandomTensor::Biases, RandomTensor::BiasUpdate};
    case TensorKind::Activations: return {RandomTensor::Activations};
    case TensorKind::ActivationGradients: return {RandomTensor::ActivationGradients};
    case TensorKind::WeightGradients: return {RandomTensor::WeightGradients, RandomTensor::BiasGradients};
    }
    return {};
}

} // namespace

VulkanNetwork::VulkanNetwork(VulkanKernels& kernels, const Experiment& experiment, const ModelState& state)
    : experiment_(experiment),
      runtime_(kernels),
      inputSlot_(runtime_.addFormatSlot(experiment.precision.input.spec.format.fractionalLength)),
      inputEventSlot_(runtime_.addEventSlot())
{
    if (auto error = validateExperiment(experiment))
        throw Error("cannot build the network: " + *error);
    const NetworkSpec& network = experiment.network;
    if (state.layers.size() != network.layers.size())
        throw Error("the model state has " + std::to_string(state.layers.size()) + " layers but the network has "
                    + std::to_string(network.layers.size()));

    const ShapeReport shapes = inferShapes(network);
    Shape input = network.input;
    for (size_t i = 0; i < network.layers.size(); ++i) {
        layers_.push_back(makeVulkanLayer(runtime_, network.layers[i], uint32_t(i), input, shapes.outputs[i],
                                          experiment.precision.layers[i], experiment.training.fixedPointMasterWeights));
        input = shapes.outputs[i];
    }
    loss_ = dynamic_cast<VulkanSoftmaxLayer*>(layers_.back().get());
    if (!loss_)
        throw Error("the network must end with softmax cross-entropy");

    runtime_.allocate();
    runtime_.setFormat(inputSlot_, state.inputFractionalLength);
    for (size_t i = 0; i < layers_.size(); ++i)
        layers_[i]->loadState(state.layers[i]);
    layoutReadback();
    downloadState();
}

void VulkanNetwork::layoutReadback()
{
    ReadbackLayout layout;
    layout.counters = 0;
    layout.formats = VkDeviceSize(runtime_.eventSlotCount()) * VulkanRuntime::kEventSlotWords * sizeof(uint32_t);
    VkDeviceSize offset = layout.formats + VkDeviceSize(runtime_.formatSlotCount()) * sizeof(int32_t);
    regions_.clear();
    regionCounts_.clear();
    for (const auto& layer : layers_) {
        const std::vector<CheckpointRegion> regions = layer->checkpointRegions();
        regionCounts_.push_back(regions.size());
        for (const CheckpointRegion& region : regions) {
            // Copy regions start at multiples of 16 bytes, which every element type divides.
            offset = (offset + 15) / 16 * 16;
            layout.regions.push_back(offset);
            regions_.push_back(region);
            offset += region.bytes;
        }
    }
    layout.total = offset;
    readbackLayout_ = layout;
    readback_.emplace(hostBuffer(runtime_.context(), size_t(layout.total)));
}

void VulkanNetwork::reserve(int batch)
{
    if (batch <= capacity_)
        return;
    if (batch <= 0)
        throw Error("a batch needs at least one sample, not " + std::to_string(batch));
    // The errors of the latest training step outlive an evaluation with a larger batch, because
    // statistics report them until the next step, as the CPU backend's do.
    std::vector<DeviceTensor> previousGradients = std::move(gradients_);
    const int previousCapacity = capacity_;
    allocateTensors(batch);
    for (size_t i = 0; i < previousGradients.size(); ++i)
        if (previousGradients[i].words)
            runtime_.transfer().copy(previousGradients[i].buffer(), gradients_[i].buffer(),
                                     VkDeviceSize(previousCapacity) * gradients_[i].sampleSize() * sizeof(uint32_t));
    ScratchSizes scratch;
    for (const auto& layer : layers_)
        scratch.include(layer->scratchSizes(batch));
    runtime_.reserveScratch(scratch);

    const VulkanContext& context = runtime_.context();
    images_.reset();
    images_.emplace(hostBuffer(context, size_t(batch) * experiment_.network.input.size() * sizeof(float)));
    labels_.reset();
    labels_.emplace(hostBuffer(context, size_t(batch) * sizeof(uint32_t)));
    losses_.reset();
    losses_.emplace(hostBuffer(context, size_t(batch) * sizeof(float)));
    predictions_.reset();
    predictions_.emplace(hostBuffer(context, size_t(batch) * sizeof(uint32_t)));
    bindLayers();
}

void VulkanNetwork::allocateTensors(int capacity)
{
    const PrecisionPlan& plan = experiment_.precision;
    const size_t last = layers_.size() - 1;
    input_ = tensorOf(experiment_.network.input, plan.input, inputSlot_);
    allocateTensor(runtime_, input_, capacity, false);

    activations_.clear();
    gradients_.clear();
    activations_.resize(layers_.size());
    gradients_.resize(layers_.size());
    for (size_t i = 0; i < layers_.size(); ++i) {
        const VulkanLayer& layer = *layers_[i];
        if (i < last) {
            const TensorPrecision& precision = plan.at(i, TensorKind::Activations);
            activations_[i] = tensorOf(layer.outputShape(), precision, layer.formatSlot(TensorKind::Activations));
            // Fixed-point activations keep their flags: the backward pass stops the error of saturated ones.
            allocateTensor(runtime_, activations_[i], capacity, !precision.isFloat);
        }
        // The first layer sends no error down, unless it is the loss itself.
        if (i > 0 || i == last) {
            const TensorPrecision& precision = plan.at(i, TensorKind::ActivationGradients);
            gradients_[i] = tensorOf(layer.inputShape(), precision, layer.formatSlot(TensorKind::ActivationGradients));
            allocateTensor(runtime_, gradients_[i], capacity, false);
        }
    }
    capacity_ = capacity;
}

void VulkanNetwork::bindLayers()
{
    const size_t last = layers_.size() - 1;
    loss_->setLossBuffers(*labels_, *losses_, *predictions_);
    masks_.clear();
    masks_.resize(layers_.size());
    for (size_t i = 0; i < layers_.size(); ++i) {
        LayerBinding binding;
        binding.input = i == 0 ? &input_ : &activations_[i - 1];
        binding.output = i < last ? &activations_[i] : nullptr;
        binding.gradientOutput = i < last ? &gradients_[i + 1] : nullptr;
        binding.gradientInput = i > 0 || i == last ? &gradients_[i] : nullptr;
        layers_[i]->bind(binding);
        if (i < last && activations_[i].flags)
            masks_[i].emplace(runtime_.kernels(), Kernel::MaskSaturated, std::vector<uint32_t>{},
                              std::initializer_list<StorageBufferRange>{*activations_[i].flags, gradients_[i + 1].buffer()});
    }

    StorePart part;
    part.source = {&*images_, SourceKind::Float32, -1, 0};
    part.target = &input_.buffer();
    part.eventSlot = inputEventSlot_;
    part.randomTensor = RandomTensor::Input;
    inputStore_.reset();
    inputStore_.emplace(runtime_, experiment_.precision.input, inputSlot_, kNoLayer, std::vector<StorePart>{part});
    ++bindingGeneration_;
}

void VulkanNetwork::upload(const BatchView& batch)
{
    reserve(batch.count);
    const size_t values = size_t(batch.count) * experiment_.network.input.size();
    std::memcpy(images_->hostBytes().data(), batch.images, values * sizeof(float));
    const std::span<uint32_t> labels = labels_->hostSpan<uint32_t>();
    for (int i = 0; i < batch.count; ++i)
        labels[size_t(i)] = batch.labels[i];
}

VulkanPass VulkanNetwork::passFor(uint32_t step, int batch, uint32_t sampleOffset) const
{
    VulkanPass pass;
    pass.seed = experiment_.seed;
    pass.step = step;
    pass.batch = batch;
    pass.sampleOffset = sampleOffset;
    return pass;
}

void VulkanNetwork::recordInput(VulkanStep& step, const VulkanPass& pass, bool chooseNow, int batch)
{
    const uint32_t elements = uint32_t(size_t(batch) * experiment_.network.input.size());
    if (experiment_.precision.input.isFloat) {
        step.copy(*images_, 0, input_.buffer(), 0, VkDeviceSize(elements) * sizeof(float));
        return;
    }
    inputStore_->record(step, pass, chooseNow, std::span<const uint32_t>(&elements, 1),
                        uint32_t(pass.sampleOffset * experiment_.network.input.size()));
}

void VulkanNetwork::recordTrainingStep(VulkanStep& step, const StepControl& control, int batch)
{
    const size_t last = layers_.size() - 1;
    const VulkanPass base = passFor(control.step, batch, 0);
    const auto passOf = [&](size_t layer) {
        VulkanPass pass = base;
        if (layer < control.formatUpdates.layers.size())
            pass.formatUpdates = &control.formatUpdates.layers[layer];
        return pass;
    };

    step.fill(runtime_.counters(), 0);
    recordInput(step, base, control.formatUpdates.input, batch);
    for (size_t i = 0; i < last; ++i)
        layers_[i]->recordForward(step, passOf(i));
    loss_->recordLoss(step, passOf(last), true);

    for (size_t i = last; i-- > 0;) {
        if (masks_[i])
            masks_[i]->recordInvocations(step, ElementwiseParameters{},
                                         uint32_t(size_t(batch) * activations_[i].sampleSize()));
        layers_[i]->recordBackward(step, passOf(i));
    }
    for (size_t i = 0; i < last; ++i)
        layers_[i]->recordUpdate(step, control, passOf(i));
    recordReadback(step, true);
}

void VulkanNetwork::recordEvaluation(VulkanStep& step, uint32_t stepIndex, int batch, uint32_t sampleOffset)
{
    const VulkanPass pass = passFor(stepIndex, batch, sampleOffset);
    step.fill(runtime_.counters(), 0);
    recordInput(step, pass, false, batch);
    for (size_t i = 0; i + 1 < layers_.size(); ++i)
        layers_[i]->recordForward(step, pass);
    loss_->recordLoss(step, pass, false);
    recordReadback(step, false);
}

void VulkanNetwork::recordReadback(VulkanStep& step, bool withParameters)
{
    step.copy(runtime_.counters(), 0, *readback_, readbackLayout_.counters, runtime_.counters().size());
    step.copy(runtime_.formatTable(), 0, *readback_, readbackLayout_.formats,
              VkDeviceSize(runtime_.formatSlotCount()) * sizeof(int32_t));
    if (!withParameters)
        return;
    for (size_t i = 0; i < regions_.size(); ++i)
        step.copy(*regions_[i].buffer, 0, *readback_, readbackLayout_.regions[i], regions_[i].bytes);
}

std::span<const float> VulkanNetwork::losses(int batch) const
{
    return losses_->hostSpan<const float>().first(size_t(batch));
}

std::vector<uint8_t> VulkanNetwork::predictions(int batch) const
{
    const std::span<const uint32_t> classes = predictions_->hostSpan<const uint32_t>().first(size_t(batch));
    return std::vector<uint8_t>(classes.begin(), classes.end());
}

std::span<const uint32_t> VulkanNetwork::counterWords() const
{
    const std::span<const std::byte> bytes = readback_->hostBytes();
    return {reinterpret_cast<const uint32_t*>(bytes.data() + readbackLayout_.counters),
            size_t(runtime_.eventSlotCount()) * VulkanRuntime::kEventSlotWords};
}

std::span<const int32_t> VulkanNetwork::formatWords() const
{
    const std::span<const std::byte> bytes = readback_->hostBytes();
    return {reinterpret_cast<const int32_t*>(bytes.data() + readbackLayout_.formats), size_t(runtime_.formatSlotCount())};
}

ModelState VulkanNetwork::stateFromReadback() const
{
    const std::span<const std::byte> bytes = readback_->hostBytes();
    const std::span<const int32_t> formats = formatWords();
    ModelState state;
    state.inputFractionalLength = formats[size_t(inputSlot_)];
    size_t next = 0;
    for (size_t i = 0; i < layers_.size(); ++i) {
        std::vector<std::span<const std::byte>> regions;
        for (size_t r = 0; r < regionCounts_[i]; ++r, ++next)
            regions.push_back(bytes.subspan(size_t(readbackLayout_.regions[next]), size_t(regions_[next].bytes)));
        state.layers.push_back(layers_[i]->saveState(regions, formats));
    }
    return state;
}

void VulkanNetwork::downloadState()
{
    const std::span<std::byte> bytes = readback_->hostBytes();
    VulkanTransfer& transfer = runtime_.transfer();
    transfer.download(runtime_.formatTable(), 0,
                      bytes.subspan(size_t(readbackLayout_.formats), size_t(runtime_.formatSlotCount()) * sizeof(int32_t)));
    for (size_t i = 0; i < regions_.size(); ++i)
        transfer.download(*regions_[i].buffer, 0,
                          bytes.subspan(size_t(readbackLayout_.regions[i]), size_t(regions_[i].bytes)));
}

std::vector<LayerEvents> VulkanNetwork::layerEvents(std::span<const uint32_t> counters) const
{
    std::vector<LayerEvents> events(layers_.size());
    for (size_t i = 0; i < layers_.size(); ++i)
        for (TensorKind kind : kAllTensorKinds)
            for (RandomTensor tensor : eventSourcesOf(kind))
                events[i][size_t(kind)] += VulkanRuntime::eventsOf(counters, layers_[i]->eventSlot(tensor));
    return events;
}

QuantEvents VulkanNetwork::inputEvents(std::span<const uint32_t> counters) const
{
    return VulkanRuntime::eventsOf(counters, inputEventSlot_);
}

} // namespace fxlab
