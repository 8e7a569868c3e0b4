#include "backend/vulkan/vulkan_statistics.h"

#include "backend/cpu/cpu_layer.h"
#include "backend/vulkan/vulkan_context.h"
#include "backend/vulkan/vulkan_kernel_parameters.h"
#include "backend/vulkan/vulkan_network.h"
#include "backend/vulkan/vulkan_step.h"

#include <algorithm>

namespace fxlab {

namespace {

// Words per tensor record of code_histogram.comp: 256 bins of two words, then two order keys.
constexpr uint32_t kMaxBins = 256;
constexpr uint32_t kRecordWords = 2 * kMaxBins + 2;
// Workgroups per histogram: each adds its shared-memory counts once, so a few suffice.
constexpr uint32_t kHistogramGroups = 16;

} // namespace

VulkanStatistics::VulkanStatistics(VulkanKernels& kernels) : kernels_(kernels) {}

const KernelCall& VulkanStatistics::histogramCall(const VulkanBuffer& codes)
{
    auto call = calls_.find(&codes);
    if (call == calls_.end())
        call = calls_
                   .emplace(&codes, KernelCall(kernels_, Kernel::CodeHistogram, std::vector<uint32_t>{}, {codes, *bins_}))
                   .first;
    return call->second;
}

std::vector<VulkanStatistics::TrackedTensor> VulkanStatistics::sourcesOf(VulkanNetwork& network, int passBatch,
                                                                   int trainingBatch) const
{
    std::vector<TrackedTensor> sources;
    const auto add = [&](const StatisticsSource& source, int layer, TensorKind kind) {
        if (source.elements > 0)
            sources.push_back({source, layer, kind, 0});
    };
    const auto ofTensor = [](const DeviceTensor& tensor, int batch, uint32_t eventSlot) {
        const size_t elements = tensor.words ? size_t(batch) * tensor.sampleSize() : 0;
        return StatisticsSource{tensor.words ? &tensor.buffer() : nullptr, elements, tensor.isFixed, tensor.wordBits,
                                tensor.formatSlot, eventSlot};
    };

    add(ofTensor(network.input(), passBatch, network.inputEventSlot()), -1, TensorKind::Activations);
    const size_t last = network.layerCount() - 1;
    for (size_t i = 0; i < network.layerCount(); ++i) {
        const VulkanLayer& layer = network.layer(i);
        const auto parameters = layer.parameterStatistics();
        for (TensorKind kind : {TensorKind::Weights, TensorKind::Biases, TensorKind::WeightGradients})
            if (parameters[size_t(kind)])
                add(*parameters[size_t(kind)], int(i), kind);
        if (i < last)
            add(ofTensor(network.activations(i), passBatch, layer.eventSlot(RandomTensor::Activations)), int(i),
                TensorKind::Activations);
        add(ofTensor(network.gradients(i), trainingBatch, layer.eventSlot(RandomTensor::ActivationGradients)), int(i),
            TensorKind::ActivationGradients);
    }
    return sources;
}

void VulkanStatistics::record(VulkanNetwork& network, VulkanStep& step, int passBatch, int trainingBatch)
{
    if (boundNetwork_ != &network || boundGeneration_ != network.bindingGeneration()) {
        calls_.clear();
        boundNetwork_ = &network;
        boundGeneration_ = network.bindingGeneration();
    }
    codeSources_.clear();
    valueSources_.clear();
    size_t values = 0;
    for (TrackedTensor& source : sourcesOf(network, passBatch, trainingBatch)) {
        if (source.source.isFixed) {
            codeSources_.push_back(source);
        } else {
            source.readbackOffset = values;
            values += source.source.elements;
            valueSources_.push_back(source);
        }
    }

    if (!codeSources_.empty()) {
        const VkDeviceSize bytes = VkDeviceSize(codeSources_.size()) * kRecordWords * sizeof(uint32_t);
        if (!bins_ || bins_->size() < bytes) {
            calls_.clear();
            bins_.reset();
            readback_.reset();
            bins_.emplace(network.runtime().makeBuffer(codeSources_.size() * kRecordWords, sizeof(uint32_t)));
            readback_.emplace(kernels_.context(), bins_->size(), VulkanRuntime::kUsage, MemoryLocation::HostVisible);
        }
        step.fill(*bins_, 0);
        for (size_t j = 0; j < codeSources_.size(); ++j) {
            const StatisticsSource& source = codeSources_[j].source;
            HistogramParameters parameters;
            parameters.elementCount = uint32_t(source.elements);
            parameters.wordBits = source.wordBits;
            parameters.binShift = CodeHistogram::binShiftFor(source.wordBits);
            parameters.firstWord = uint32_t(j) * kRecordWords;
            const uint32_t groups = std::clamp<uint32_t>(
                uint32_t((source.elements + kernels_.workgroupSize() - 1) / kernels_.workgroupSize()), 1, kHistogramGroups);
            histogramCall(*source.buffer).recordGroups(step, parameters, groups);
        }
        step.copy(*bins_, 0, *readback_, 0, bytes);
    }

    if (values > 0) {
        const VkDeviceSize bytes = VkDeviceSize(values) * sizeof(float);
        if (!valuesReadback_ || valuesReadback_->size() < bytes)
            valuesReadback_.emplace(kernels_.context(), bytes, VulkanRuntime::kUsage, MemoryLocation::HostVisible);
        for (const TrackedTensor& source : valueSources_)
            step.copy(*source.source.buffer, 0, *valuesReadback_, VkDeviceSize(source.readbackOffset) * sizeof(float),
                      VkDeviceSize(source.source.elements) * sizeof(float));
    }
}

Statistics VulkanStatistics::collect(const VulkanNetwork& network, const StatisticsRequest& request) const
{
    Statistics statistics;
    statistics.step = request.step;
    statistics.layers.resize(network.layerCount());
    const auto targetOf = [&](const TrackedTensor& source) -> TensorStatistics& {
        return source.layer < 0 ? statistics.input : statistics.layers[size_t(source.layer)][size_t(source.kind)];
    };
    const auto eventsOf = [&](const StatisticsSource& source) {
        return source.eventSlot ? VulkanRuntime::eventsOf(request.counters, *source.eventSlot) : QuantEvents{};
    };

    const std::span<const int32_t> formats = network.formatWords();
    if (!codeSources_.empty()) {
        const std::span<const uint32_t> words = readback_->hostSpan<const uint32_t>();
        for (size_t j = 0; j < codeSources_.size(); ++j) {
            const StatisticsSource& source = codeSources_[j].source;
            const std::span<const uint32_t> record = words.subspan(j * kRecordWords, kRecordWords);
            const FixedFormat format{source.wordBits, formats[size_t(source.formatSlot)]};
            TensorStatistics& target = targetOf(codeSources_[j]);
            target.present = true;
            target.isFixed = true;
            target.format = format;
            target.codes = CodeHistogram::empty(format);
            for (size_t bin = 0; bin < target.codes.counts.size(); ++bin)
                target.codes.counts[bin] = uint64_t(record[2 * bin]) | (uint64_t(record[2 * bin + 1]) << 32);
            target.events = eventsOf(source);
            // The keys are codes with the sign bit flipped; the second one is inverted as well.
            const int32_t largest = int32_t(record[2 * kMaxBins] ^ 0x80000000u);
            const int32_t smallest = int32_t(~record[2 * kMaxBins + 1] ^ 0x80000000u);
            target.minimum = dequantize(smallest, format.fractionalLength);
            target.maximum = dequantize(largest, format.fractionalLength);
        }
    }

    if (!valueSources_.empty()) {
        const std::span<const float> values = valuesReadback_->hostSpan<const float>();
        for (const TrackedTensor& source : valueSources_)
            targetOf(source) = statisticsOfValues(values.subspan(source.readbackOffset, source.source.elements),
                                                  eventsOf(source.source));
    }
    return statistics;
}

Statistics VulkanStatistics::compute(VulkanNetwork& network, VulkanStep& step, const StatisticsRequest& request)
{
    record(network, step, request.passBatch, request.trainingBatch);
    step.submitAndWait();
    return collect(network, request);
}

} // namespace fxlab
