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

// A fixed-point tensor whose histogram the device computes, and where its statistics go.
struct VulkanStatistics::CodeSource {
    StatisticsSource source;
    TensorStatistics* target;
};

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

Statistics VulkanStatistics::compute(VulkanNetwork& network, VulkanStep& step, const StatisticsRequest& request)
{
    if (boundNetwork_ != &network || boundGeneration_ != network.bindingGeneration()) {
        calls_.clear();
        boundNetwork_ = &network;
        boundGeneration_ = network.bindingGeneration();
    }

    Statistics statistics;
    statistics.step = request.step;
    statistics.layers.resize(network.layerCount());
    std::vector<CodeSource> codeSources;
    std::vector<std::pair<StatisticsSource, TensorStatistics*>> valueSources;
    const auto add = [&](const StatisticsSource& source, TensorStatistics* target) {
        if (source.elements == 0)
            return;
        if (source.isFixed)
            codeSources.push_back({source, target});
        else
            valueSources.emplace_back(source, target);
    };
    const auto ofTensor = [](const DeviceTensor& tensor, int batch, uint32_t eventSlot) {
        const size_t elements = tensor.words ? size_t(batch) * tensor.sampleSize() : 0;
        return StatisticsSource{tensor.words ? &tensor.buffer() : nullptr, elements, tensor.isFixed, tensor.wordBits,
                                tensor.formatSlot, eventSlot};
    };

    add(ofTensor(network.input(), request.passBatch, network.inputEventSlot()), &statistics.input);
    const size_t last = network.layerCount() - 1;
    for (size_t i = 0; i < network.layerCount(); ++i) {
        const VulkanLayer& layer = network.layer(i);
        auto& kinds = statistics.layers[i];
        const auto parameters = layer.parameterStatistics();
        for (TensorKind kind : {TensorKind::Weights, TensorKind::Biases, TensorKind::WeightGradients})
            if (parameters[size_t(kind)])
                add(*parameters[size_t(kind)], &kinds[size_t(kind)]);
        if (i < last)
            add(ofTensor(network.activations(i), request.passBatch, layer.eventSlot(RandomTensor::Activations)),
                &kinds[size_t(TensorKind::Activations)]);
        add(ofTensor(network.gradients(i), request.trainingBatch, layer.eventSlot(RandomTensor::ActivationGradients)),
            &kinds[size_t(TensorKind::ActivationGradients)]);
    }

    const std::span<const int32_t> formats = network.formatWords();
    const auto eventsOf = [&](const StatisticsSource& source) {
        return source.eventSlot ? VulkanRuntime::eventsOf(request.counters, *source.eventSlot) : QuantEvents{};
    };

    if (!codeSources.empty()) {
        const VkDeviceSize bytes = VkDeviceSize(codeSources.size()) * kRecordWords * sizeof(uint32_t);
        if (!bins_ || bins_->size() < bytes) {
            calls_.clear();
            bins_.reset();
            readback_.reset();
            bins_.emplace(network.runtime().makeBuffer(codeSources.size() * kRecordWords, sizeof(uint32_t)));
            readback_.emplace(kernels_.context(), bins_->size(), VulkanRuntime::kUsage, MemoryLocation::HostVisible);
        }
        step.fill(*bins_, 0);
        for (size_t j = 0; j < codeSources.size(); ++j) {
            const StatisticsSource& source = codeSources[j].source;
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
        step.submitAndWait();

        const std::span<const uint32_t> words = readback_->hostSpan<const uint32_t>();
        for (size_t j = 0; j < codeSources.size(); ++j) {
            const StatisticsSource& source = codeSources[j].source;
            const std::span<const uint32_t> record = words.subspan(j * kRecordWords, kRecordWords);
            const FixedFormat format{source.wordBits, formats[size_t(source.formatSlot)]};
            TensorStatistics& target = *codeSources[j].target;
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

    for (const auto& [source, target] : valueSources) {
        const std::vector<float> values =
            network.runtime().transfer().downloadVector<float>(*source.buffer, source.elements);
        *target = statisticsOfValues(values, eventsOf(source));
    }
    return statistics;
}

} // namespace fxlab
