#include "backend/vulkan/vulkan_convolution_layer.h"

#include "backend/vulkan/vulkan_step.h"
#include "error.h"

#include <algorithm>
#include <cstring>

namespace fxlab {

namespace {

// Output channels per invocation of the convolution forward kernels.
constexpr int kChannelsPerInvocation = 4;
// Entries of the plan buffer before the backward-to-the-weights entry: the forward table (at
// most one entry per bias-minus-product difference) and the backward-to-the-input entry.
constexpr size_t kBackwardInputEntry = 512;
constexpr size_t kBackwardWeightsEntry = kBackwardInputEntry + 1;
constexpr size_t kPlanEntries = kBackwardWeightsEntry + 1;

uint32_t groupsFor(size_t invocations, uint32_t workgroupSize)
{
    return uint32_t((invocations + workgroupSize - 1) / workgroupSize);
}

template <typename T>
std::vector<T> copyOf(std::span<const std::byte> bytes)
{
    std::vector<T> values(bytes.size() / sizeof(T));
    std::memcpy(values.data(), bytes.data(), values.size() * sizeof(T));
    return values;
}

} // namespace

VulkanConvolutionLayer::VulkanConvolutionLayer(VulkanRuntime& runtime, const LayerSpec& spec, uint32_t index,
                                               Shape input, Shape output, const LayerPrecision& precision,
                                               bool fixedPointMasterWeights)
    : VulkanLayer(runtime, spec, index, input, output, precision),
      fixedPointMasterWeights_(fixedPointMasterWeights),
      weights_(makeParameter(TensorKind::Weights, weightCount(spec, input))),
      forwardSumSlot_(runtime.addFormatSlot()),
      backwardInputSumSlot_(runtime.addFormatSlot()),
      backwardWeightsSumSlot_(runtime.addFormatSlot())
{
    if (spec.type == LayerType::Dense)
        geometry_ = {0, int(input.size()), 1, 1, int(output.size()), 1, 1, 1, 1, 0};
    else
        geometry_ = {0, input.channels, input.height, input.width, output.channels, output.height, output.width,
                     spec.kernel, spec.stride, spec.padding};
    if (spec.bias)
        biases_.emplace(makeParameter(TensorKind::Biases, biasCount(spec, input)));
}

VulkanConvolutionLayer::Parameter VulkanConvolutionLayer::makeParameter(TensorKind kind, size_t count)
{
    const bool weights = kind == TensorKind::Weights;
    return Parameter{kind,
                     weights ? RandomTensor::Weights : RandomTensor::Biases,
                     weights ? RandomTensor::WeightGradients : RandomTensor::BiasGradients,
                     weights ? RandomTensor::WeightUpdate : RandomTensor::BiasUpdate,
                     count,
                     runtime_.makeBuffer(count, sizeof(float)),
                     runtime_.makeBuffer(count, sizeof(float)),
                     runtime_.makeBuffer(count, sizeof(int32_t)),
                     runtime_.makeBuffer(count, sizeof(uint32_t)),
                     runtime_.addFormatSlot(),
                     std::nullopt,
                     std::nullopt,
                     std::nullopt};
}

bool VulkanConvolutionLayer::hasFixedMaster(const Parameter& parameter) const
{
    return fixedPointMasterWeights_ && isFixed(parameter.kind);
}

const VulkanBuffer& VulkanConvolutionLayer::valuesOf(const Parameter& parameter) const
{
    return isFixed(parameter.kind) ? parameter.codes : parameter.master;
}

ConvolutionGeometry VulkanConvolutionLayer::geometryFor(int batch) const
{
    ConvolutionGeometry geometry = geometry_;
    geometry.batch = batch;
    return geometry;
}

ScratchSizes VulkanConvolutionLayer::scratchSizes(int batch) const
{
    const size_t largest = std::max({size_t(batch) * outputSize(), size_t(batch) * inputSize(), weights_.count});
    const size_t biases = biases_ ? biases_->count : 0;
    ScratchSizes sizes;
    sizes.exact = {largest, biases};
    sizes.values = {largest, biases};
    return sizes;
}

void VulkanConvolutionLayer::bind(const LayerBinding& binding)
{
    binding_ = binding;
    const bool biasesFixed = !biases_ || isFixed(TensorKind::Biases);
    forwardFixed_ = binding.input->isFixed && isFixed(TensorKind::Weights) && biasesFixed;
    backwardWeightsFixed_ = binding.gradientOutput && binding.input->isFixed && binding.gradientOutput->isFixed;
    backwardInputFixed_ = binding.gradientOutput && binding.gradientOutput->isFixed && isFixed(TensorKind::Weights);

    uploadPlans();
    bindPrepare(weights_);
    if (biases_)
        bindPrepare(*biases_);
    bindForward();
    if (binding.gradientOutput) {
        bindBackwardWeights();
        if (binding.gradientInput)
            bindBackwardInput();
        bindUpdate(weights_);
        if (biases_)
            bindUpdate(*biases_);
    }
}

void VulkanConvolutionLayer::uploadPlans()
{
    const TensorPrecision& weights = precisionOf(TensorKind::Weights);
    const std::optional<int> biasBits =
        biases_ ? std::optional(precisionOf(TensorKind::Biases).spec.format.wordBits) : std::nullopt;
    forwardTable_ = accumulatorTable(binding_.input->wordBits, weights.spec.format.wordBits, columnRows(), biasBits);
    if (binding_.gradientOutput)
        backwardInputTable_ = accumulatorTable(binding_.gradientOutput->wordBits, weights.spec.format.wordBits,
                                               int64_t(geometry_.outChannels) * geometry_.kernel * geometry_.kernel,
                                               std::nullopt);

    std::vector<int32_t> entries(kPlanEntries * 4, 0);
    std::copy(forwardTable_.entries.begin(), forwardTable_.entries.end(), entries.begin());
    std::copy(backwardInputTable_.entries.begin(), backwardInputTable_.entries.end(),
              entries.begin() + kBackwardInputEntry * 4);
    if (!plans_)
        plans_.emplace(runtime_.makeBuffer(entries.size(), sizeof(int32_t)));
    runtime_.transfer().uploadSpan(std::span<const int32_t>(entries), *plans_);
    plannedBatch_ = 0;
}

void VulkanConvolutionLayer::bindPrepare(Parameter& parameter)
{
    parameter.prepare.reset();
    if (!isFixed(parameter.kind))
        return;

    StorePart part;
    part.target = &parameter.codes;
    part.eventSlot = eventSlot(parameter.tensor);
    part.randomTensor = parameter.tensor;
    if (hasFixedMaster(parameter)) {
        // The codes are the parameter: a new fractional length rounds them again, from the old one.
        part.source = {&parameter.codes, SourceKind::Int32, parameter.previousSlot, 0};
        parameter.prepare.emplace(runtime_, precisionOf(parameter.kind), formatSlot(parameter.kind), index_,
                                  std::vector<StorePart>{part}, parameter.previousSlot);
    } else {
        part.source = {&parameter.master, SourceKind::Float32, -1, 0};
        parameter.prepare.emplace(runtime_, precisionOf(parameter.kind), formatSlot(parameter.kind), index_,
                                  std::vector<StorePart>{part});
    }
}

void VulkanConvolutionLayer::bindForward()
{
    const DeviceTensor& input = *binding_.input;
    const VulkanBuffer& biasBuffer = biases_ ? valuesOf(*biases_) : runtime_.unused();
    if (forwardFixed_) {
        forwardPath_ = exactPath(TensorKind::Activations, RandomTensor::Activations, SourceKind::Int64, forwardSumSlot_,
                                 0, *binding_.output);
        forward_.emplace(runtime_.kernels(), Kernel::ConvolutionForwardFixed,
                         std::vector<uint32_t>{forwardTable_.accumulator},
                         std::initializer_list<StorageBufferRange>{input.buffer(), weights_.codes, biasBuffer,
                                                                   *forwardPath_.kernelTarget, runtime_.formatTable(),
                                                                   *plans_});
        return;
    }
    forwardPath_ = floatPath(TensorKind::Activations, RandomTensor::Activations, *binding_.output);
    const uint32_t biasCodes = biases_ && isFixed(TensorKind::Biases);
    forward_.emplace(runtime_.kernels(), Kernel::ConvolutionForwardFloat,
                     std::vector<uint32_t>{uint32_t(input.isFixed), uint32_t(isFixed(TensorKind::Weights)), biasCodes},
                     std::initializer_list<StorageBufferRange>{input.buffer(), valuesOf(weights_), biasBuffer,
                                                               *forwardPath_.kernelTarget, runtime_.formatTable()});
}

void VulkanConvolutionLayer::bindBackwardWeights()
{
    const DeviceTensor& input = *binding_.input;
    const DeviceTensor& gradient = *binding_.gradientOutput;
    const TensorPrecision& precision = precisionOf(TensorKind::WeightGradients);
    backwardWeights_.clear();
    backwardWeightsFloat_.reset();
    biasGradient_.reset();
    gradientStore_.reset();

    std::vector<StorePart> parts(biases_ ? 2 : 1);
    parts[0].target = &weights_.gradient;
    parts[0].eventSlot = eventSlot(RandomTensor::WeightGradients);
    parts[0].randomTensor = RandomTensor::WeightGradients;
    if (biases_) {
        parts[1].target = &biases_->gradient;
        parts[1].eventSlot = eventSlot(RandomTensor::BiasGradients);
        parts[1].randomTensor = RandomTensor::BiasGradients;
    }

    if (backwardWeightsFixed_) {
        // The integer kernel's variant depends on the batch, so backwardWeightsCall() binds it.
        parts[0].source = {&runtime_.exactScratch(0), SourceKind::Int64, backwardWeightsSumSlot_, 0};
        if (biases_) {
            parts[1].source = {&runtime_.exactScratch(1), SourceKind::Int64, gradient.formatSlot, 0};
            biasGradient_.emplace(runtime_.kernels(), Kernel::BiasGradientFixed, std::vector<uint32_t>{},
                                  std::initializer_list<StorageBufferRange>{gradient.buffer(), runtime_.exactScratch(1)});
        }
        gradientStore_.emplace(runtime_, precision, formatSlot(TensorKind::WeightGradients), index_, parts);
        return;
    }

    // Float sums go straight into float gradients, or through the float scratch into codes.
    const VulkanBuffer& weightTarget = precision.isFloat ? weights_.gradient : runtime_.valueScratch(0);
    parts[0].source = {&runtime_.valueScratch(0), SourceKind::Float32, -1, 0};
    backwardWeightsFloat_.emplace(runtime_.kernels(), Kernel::ConvolutionBackwardWeightsFloat,
                                  std::vector<uint32_t>{uint32_t(gradient.isFixed), uint32_t(input.isFixed)},
                                  std::initializer_list<StorageBufferRange>{gradient.buffer(), input.buffer(), weightTarget,
                                                                            runtime_.formatTable()});
    if (biases_) {
        const VulkanBuffer& biasTarget = precision.isFloat ? biases_->gradient : runtime_.valueScratch(1);
        parts[1].source = {&runtime_.valueScratch(1), SourceKind::Float32, -1, 0};
        biasGradient_.emplace(runtime_.kernels(), Kernel::BiasGradientFloat, std::vector<uint32_t>{uint32_t(gradient.isFixed)},
                              std::initializer_list<StorageBufferRange>{gradient.buffer(), biasTarget, runtime_.formatTable()});
    }
    if (!precision.isFloat)
        gradientStore_.emplace(runtime_, precision, formatSlot(TensorKind::WeightGradients), index_, parts);
}

void VulkanConvolutionLayer::bindBackwardInput()
{
    const DeviceTensor& gradient = *binding_.gradientOutput;
    if (backwardInputFixed_) {
        backwardInputPath_ = exactPath(TensorKind::ActivationGradients, RandomTensor::ActivationGradients,
                                       SourceKind::Int64, backwardInputSumSlot_, 0, *binding_.gradientInput);
        backwardInput_.emplace(runtime_.kernels(), Kernel::ConvolutionBackwardInputFixed,
                               std::vector<uint32_t>{backwardInputTable_.accumulator},
                               std::initializer_list<StorageBufferRange>{gradient.buffer(), weights_.codes,
                                                                         *backwardInputPath_.kernelTarget,
                                                                         runtime_.formatTable(), *plans_});
        return;
    }
    backwardInputPath_ = floatPath(TensorKind::ActivationGradients, RandomTensor::ActivationGradients,
                                   *binding_.gradientInput);
    backwardInput_.emplace(runtime_.kernels(), Kernel::ConvolutionBackwardInputFloat,
                           std::vector<uint32_t>{uint32_t(gradient.isFixed), uint32_t(isFixed(TensorKind::Weights))},
                           std::initializer_list<StorageBufferRange>{gradient.buffer(), valuesOf(weights_),
                                                                     *backwardInputPath_.kernelTarget,
                                                                     runtime_.formatTable()});
}

void VulkanConvolutionLayer::bindUpdate(Parameter& parameter)
{
    const bool fixedMaster = hasFixedMaster(parameter);
    const bool gradientCodes = isFixed(TensorKind::WeightGradients);
    parameter.update.emplace(runtime_.kernels(), Kernel::SgdUpdate,
                             std::vector<uint32_t>{uint32_t(gradientCodes), uint32_t(fixedMaster)},
                             std::initializer_list<StorageBufferRange>{
                                 parameter.master, parameter.velocity, parameter.codes, parameter.gradient,
                                 runtime_.formatTable(), fixedMaster ? runtime_.valueScratch(0) : runtime_.unused()});
    parameter.updateStore.reset();
    if (!fixedMaster)
        return;

    // Fixed-point master codes take the update with stochastic rounding, so that steps smaller
    // than one code still move the weight on average.
    TensorPrecision precision = precisionOf(parameter.kind);
    precision.spec.rounding = RoundingMode::Stochastic;
    precision.policy = FractionalLengthPolicy::Manual;
    StorePart part;
    part.source = {&runtime_.valueScratch(0), SourceKind::Float32, -1, 0};
    part.target = &parameter.codes;
    part.eventSlot = eventSlot(parameter.updateTensor);
    part.randomTensor = parameter.updateTensor;
    parameter.updateStore.emplace(runtime_, precision, formatSlot(parameter.kind), index_, std::vector<StorePart>{part});
}

void VulkanConvolutionLayer::recordPrepare(VulkanStep& step, const VulkanPass& pass, const Parameter& parameter) const
{
    if (!parameter.prepare)
        return;
    const bool chooseNow = pass.chooseNow(parameter.kind);
    // Fixed-point master codes change only when their format does.
    if (hasFixedMaster(parameter) && !chooseNow)
        return;
    const uint32_t count = uint32_t(parameter.count);
    parameter.prepare->record(step, pass, chooseNow, std::span<const uint32_t>(&count, 1), 0);
}

void VulkanConvolutionLayer::recordForward(VulkanStep& step, const VulkanPass& pass)
{
    recordPrepare(step, pass, weights_);
    if (biases_)
        recordPrepare(step, pass, *biases_);
    forwardRecorded_ = true;

    const ConvolutionGeometry geometry = geometryFor(pass.batch);
    const int channelBlocks = (geometry.outChannels + kChannelsPerInvocation - 1) / kChannelsPerInvocation;
    const uint32_t invocations = uint32_t(pass.batch * channelBlocks * geometry.outHeight * geometry.outWidth);
    if (forwardFixed_) {
        ConvolutionForwardFixedParameters parameters;
        parameters.geometry = geometry;
        parameters.inputSlot = binding_.input->formatSlot;
        parameters.weightSlot = formatSlot(TensorKind::Weights);
        parameters.biasSlot = biases_ ? formatSlot(TensorKind::Biases) : -1;
        parameters.planFirst = 0;
        parameters.planLowestDifference = forwardTable_.lowestDifference;
        parameters.planCount = forwardTable_.count;
        parameters.resultSlot = forwardSumSlot_;
        forward_->recordInvocations(step, parameters, invocations);
    } else {
        ConvolutionFloatParameters parameters;
        parameters.geometry = geometry;
        parameters.inputSlot = binding_.input->formatSlot;
        parameters.weightSlot = formatSlot(TensorKind::Weights);
        parameters.biasSlot = biases_ ? formatSlot(TensorKind::Biases) : -1;
        forward_->recordInvocations(step, parameters, invocations);
    }
    forwardPath_.record(step, pass, TensorKind::Activations, uint32_t(size_t(pass.batch) * outputSize()),
                        uint32_t(pass.sampleOffset * outputSize()));
}

void VulkanConvolutionLayer::recordBackward(VulkanStep& step, const VulkanPass& pass)
{
    recordBackwardWeights(step, pass);
    if (binding_.gradientInput)
        recordBackwardInput(step, pass);
    backwardRecorded_ = true;
}

const KernelCall& VulkanConvolutionLayer::backwardWeightsCall(VulkanStep& step, int batch)
{
    // The weight-gradient sum has batch x positions terms, so its plan follows the batch.
    if (plannedBatch_ != batch) {
        const AccumulatorTable table =
            accumulatorTable(binding_.gradientOutput->wordBits, binding_.input->wordBits,
                             int64_t(batch) * geometry_.outHeight * geometry_.outWidth, std::nullopt);
        step.writeBytes(*plans_, kBackwardWeightsEntry * 4 * sizeof(int32_t),
                        std::as_bytes(std::span<const int32_t>(table.entries)));
        backwardWeightsAccumulator_ = table.accumulator;
        plannedBatch_ = batch;
    }
    auto call = backwardWeights_.find(backwardWeightsAccumulator_);
    if (call == backwardWeights_.end())
        call = backwardWeights_
                   .emplace(backwardWeightsAccumulator_,
                            KernelCall(runtime_.kernels(), Kernel::ConvolutionBackwardWeightsFixed,
                                       std::vector<uint32_t>{backwardWeightsAccumulator_},
                                       {binding_.gradientOutput->buffer(), binding_.input->buffer(),
                                        runtime_.exactScratch(0), runtime_.formatTable(), *plans_}))
                   .first;
    return call->second;
}

void VulkanConvolutionLayer::recordBackwardWeights(VulkanStep& step, const VulkanPass& pass)
{
    const ConvolutionGeometry geometry = geometryFor(pass.batch);
    const uint32_t invocations = uint32_t(weights_.count);
    if (backwardWeightsFixed_) {
        ConvolutionBackwardFixedParameters parameters;
        parameters.geometry = geometry;
        parameters.gradientSlot = binding_.gradientOutput->formatSlot;
        parameters.otherSlot = binding_.input->formatSlot;
        parameters.planFirst = int32_t(kBackwardWeightsEntry);
        parameters.resultSlot = backwardWeightsSumSlot_;
        backwardWeightsCall(step, pass.batch).recordInvocations(step, parameters, invocations);
    } else {
        ConvolutionBackwardFloatParameters parameters;
        parameters.geometry = geometry;
        parameters.gradientSlot = binding_.gradientOutput->formatSlot;
        parameters.otherSlot = binding_.input->formatSlot;
        backwardWeightsFloat_->recordInvocations(step, parameters, invocations);
    }

    std::vector<uint32_t> counts{invocations};
    if (biases_) {
        BiasGradientParameters parameters;
        parameters.batch = pass.batch;
        parameters.channels = geometry.outChannels;
        parameters.positions = geometry.outHeight * geometry.outWidth;
        parameters.gradientSlot = binding_.gradientOutput->formatSlot;
        biasGradient_->recordGroups(step, parameters, groupsFor(size_t(geometry.outChannels), biasGradient_->workgroupSize()));
        counts.push_back(uint32_t(biases_->count));
    }
    if (gradientStore_)
        gradientStore_->record(step, pass, pass.chooseNow(TensorKind::WeightGradients), counts, 0);
}

void VulkanConvolutionLayer::recordBackwardInput(VulkanStep& step, const VulkanPass& pass) const
{
    const ConvolutionGeometry geometry = geometryFor(pass.batch);
    const uint32_t invocations = uint32_t(size_t(pass.batch) * inputSize());
    if (backwardInputFixed_) {
        ConvolutionBackwardFixedParameters parameters;
        parameters.geometry = geometry;
        parameters.gradientSlot = binding_.gradientOutput->formatSlot;
        parameters.otherSlot = formatSlot(TensorKind::Weights);
        parameters.planFirst = int32_t(kBackwardInputEntry);
        parameters.resultSlot = backwardInputSumSlot_;
        backwardInput_->recordInvocations(step, parameters, invocations);
    } else {
        ConvolutionBackwardFloatParameters parameters;
        parameters.geometry = geometry;
        parameters.gradientSlot = binding_.gradientOutput->formatSlot;
        parameters.otherSlot = formatSlot(TensorKind::Weights);
        backwardInput_->recordInvocations(step, parameters, invocations);
    }
    backwardInputPath_.record(step, pass, TensorKind::ActivationGradients, invocations,
                              uint32_t(pass.sampleOffset * inputSize()));
}

void VulkanConvolutionLayer::recordUpdate(VulkanStep& step, const StepControl& control, const VulkanPass& pass)
{
    recordUpdate(step, control, pass, weights_);
    if (biases_)
        recordUpdate(step, control, pass, *biases_);
}

void VulkanConvolutionLayer::recordUpdate(VulkanStep& step, const StepControl& control, const VulkanPass& pass,
                                          const Parameter& parameter) const
{
    SgdParameters parameters;
    parameters.weightSlot = formatSlot(parameter.kind);
    parameters.gradientSlot = formatSlot(TensorKind::WeightGradients);
    parameters.learningRate = control.learningRate;
    parameters.momentum = control.momentum;
    parameters.weightDecay = control.weightDecay;
    parameter.update->recordInvocations(step, parameters, uint32_t(parameter.count));
    if (parameter.updateStore) {
        const uint32_t count = uint32_t(parameter.count);
        parameter.updateStore->record(step, pass, false, std::span<const uint32_t>(&count, 1), 0);
    }
}

void VulkanConvolutionLayer::loadState(const LayerState& state)
{
    VulkanLayer::loadState(state);
    const auto load = [&](Parameter& parameter, const std::vector<float>& master, const std::vector<float>& velocity,
                          const std::vector<int32_t>& codes) {
        if (master.size() != parameter.count)
            throw Error("the model state of layer " + spec_.name + " has " + std::to_string(master.size()) + " "
                        + std::string(toString(parameter.kind)) + " but the layer has " + std::to_string(parameter.count));
        std::vector<float> momentum = velocity;
        momentum.resize(parameter.count, 0.0f);
        runtime_.transfer().uploadSpan(std::span<const float>(master), parameter.master);
        runtime_.transfer().uploadSpan(std::span<const float>(momentum), parameter.velocity);
        if (!hasFixedMaster(parameter))
            return;
        // Master codes come from the state when it has them, otherwise from the float weights,
        // as the CPU reference loads them.
        std::vector<int32_t> masterCodes = codes;
        if (masterCodes.size() != parameter.count) {
            FixedPointSpec spec = precisionOf(parameter.kind).spec;
            spec.format.fractionalLength = state.fractionalLengths[size_t(parameter.kind)];
            masterCodes.resize(parameter.count);
            for (size_t i = 0; i < parameter.count; ++i)
                masterCodes[i] = quantize(master[i], spec).code;
        }
        runtime_.transfer().uploadSpan(std::span<const int32_t>(masterCodes), parameter.codes);
    };
    load(weights_, state.weights, state.weightVelocity, state.weightCodes);
    if (biases_)
        load(*biases_, state.biases, state.biasVelocity, state.biasCodes);
}

std::vector<CheckpointRegion> VulkanConvolutionLayer::checkpointRegions() const
{
    std::vector<CheckpointRegion> regions;
    for (const Parameter* parameter : {&weights_, biases_ ? &*biases_ : nullptr}) {
        if (!parameter)
            continue;
        const VkDeviceSize bytes = parameter->count * sizeof(float);
        regions.push_back({&parameter->master, bytes});
        regions.push_back({&parameter->velocity, bytes});
        if (hasFixedMaster(*parameter))
            regions.push_back({&parameter->codes, bytes});
    }
    return regions;
}

LayerState VulkanConvolutionLayer::saveState(std::span<const std::span<const std::byte>> regions,
                                             std::span<const int32_t> formats) const
{
    LayerState state = VulkanLayer::saveState(regions, formats);
    size_t next = 0;
    const auto save = [&](const Parameter& parameter, std::vector<float>& values, std::vector<float>& velocity,
                          std::vector<int32_t>& codes) {
        values = copyOf<float>(regions[next++]);
        velocity = copyOf<float>(regions[next++]);
        if (!hasFixedMaster(parameter))
            return;
        // The float copies carry the codes' values so that a float run can continue from them.
        codes = copyOf<int32_t>(regions[next++]);
        const int fractionalLength = state.fractionalLengths[size_t(parameter.kind)];
        for (size_t i = 0; i < codes.size(); ++i)
            values[i] = dequantize(codes[i], fractionalLength);
    };
    save(weights_, state.weights, state.weightVelocity, state.weightCodes);
    if (biases_)
        save(*biases_, state.biases, state.biasVelocity, state.biasCodes);
    return state;
}

std::array<std::optional<StatisticsSource>, kTensorKindCount> VulkanConvolutionLayer::parameterStatistics() const
{
    std::array<std::optional<StatisticsSource>, kTensorKindCount> sources;
    const auto ofParameter = [&](const Parameter& parameter) {
        // Before the first pass the codes do not exist yet, so the master values stand in, as on the CPU.
        if (isFixed(parameter.kind) && (forwardRecorded_ || hasFixedMaster(parameter)))
            return StatisticsSource{&parameter.codes, parameter.count, true,
                                    precisionOf(parameter.kind).spec.format.wordBits, formatSlot(parameter.kind),
                                    eventSlot(parameter.tensor)};
        return StatisticsSource{&parameter.master, parameter.count, false, 32, -1, std::nullopt};
    };
    sources[size_t(TensorKind::Weights)] = ofParameter(weights_);
    if (biases_)
        sources[size_t(TensorKind::Biases)] = ofParameter(*biases_);
    if (backwardRecorded_) {
        const TensorPrecision& precision = precisionOf(TensorKind::WeightGradients);
        if (precision.isFloat)
            sources[size_t(TensorKind::WeightGradients)] =
                StatisticsSource{&weights_.gradient, weights_.count, false, 32, -1, std::nullopt};
        else
            sources[size_t(TensorKind::WeightGradients)] =
                StatisticsSource{&weights_.gradient, weights_.count, true, precision.spec.format.wordBits,
                                 formatSlot(TensorKind::WeightGradients), eventSlot(RandomTensor::WeightGradients)};
    }
    return sources;
}

std::vector<uint32_t> VulkanConvolutionLayer::parameterEventSlots() const
{
    return {eventSlot(RandomTensor::Weights), eventSlot(RandomTensor::Biases)};
}

} // namespace fxlab
