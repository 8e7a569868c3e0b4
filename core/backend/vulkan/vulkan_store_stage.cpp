#include "backend/vulkan/vulkan_store_stage.h"

#include "backend/cpu/quantize_stage.h"
#include "backend/cpu/thread_pool.h"
#include "backend/vulkan/vulkan_kernel_parameters.h"
#include "backend/vulkan/vulkan_runtime.h"
#include "backend/vulkan/vulkan_step.h"
#include "error.h"

#include <algorithm>

namespace fxlab {

namespace {

// Kinds of partial results in choose_fractional_length.comp.
constexpr uint32_t kPartialsOfExactValues = 0;
constexpr uint32_t kPartialsOfFloatBits = 1;

uint32_t partialCountFor(uint32_t elements)
{
    return std::clamp<uint32_t>(elements, 1, VulkanRuntime::kMaxPartials);
}

} // namespace

TensorStore::TensorStore(VulkanRuntime& runtime, const TensorPrecision& precision, int formatSlot, uint32_t layer,
                         std::vector<StorePart> parts, int previousSlot)
    : runtime_(&runtime),
      precision_(precision),
      formatSlot_(formatSlot),
      layer_(layer),
      parts_(std::move(parts)),
      previousSlot_(previousSlot)
{
    if (parts_.empty() || parts_.size() > 2)
        throw Error("a tensor store takes one or two tensors, not " + std::to_string(parts_.size()));
    VulkanKernels& kernels = runtime.kernels();

    if (precision_.isFloat) {
        for (const StorePart& part : parts_)
            if (part.source.kind != SourceKind::Float32)
                stores_.emplace_back(kernels, Kernel::StoreFloat, std::vector<uint32_t>{uint32_t(part.source.kind)},
                                     std::initializer_list<StorageBufferRange>{*part.source.buffer, *part.target,
                                                                               runtime.formatTable()});
        return;
    }

    for (const StorePart& part : parts_) {
        const bool writeFlags = part.flags != nullptr;
        const FixedPointSpec& spec = precision_.spec;
        stores_.emplace_back(kernels, Kernel::StoreFixed,
                             std::vector<uint32_t>{uint32_t(part.source.kind), uint32_t(writeFlags),
                                                   uint32_t(spec.rounding), uint32_t(spec.overflow)},
                             std::initializer_list<StorageBufferRange>{
                                 *part.source.buffer, *part.target, writeFlags ? *part.flags : runtime.unused(),
                                 runtime.formatTable(), runtime.counters()});
        if (precision_.policy == FractionalLengthPolicy::MaxAbs)
            maxAbs_.emplace_back(kernels, Kernel::MaxAbs, std::vector<uint32_t>{uint32_t(part.source.kind)},
                                 std::initializer_list<StorageBufferRange>{*part.source.buffer, runtime.partials()});
    }
    if (precision_.policy == FractionalLengthPolicy::MaxAbs)
        choose_.emplace(kernels, Kernel::ChooseFractionalLength, std::vector<uint32_t>{},
                        std::initializer_list<StorageBufferRange>{runtime.partials(), runtime.formatTable()});
}

void TensorStore::record(VulkanStep& step, const VulkanPass& pass, bool chooseNow, std::span<const uint32_t> counts,
                         uint32_t firstRandomIndex) const
{
    if (counts.size() != parts_.size())
        throw Error("a tensor store of " + std::to_string(parts_.size()) + " tensors got " + std::to_string(counts.size())
                    + " element counts");

    if (precision_.isFloat) {
        size_t call = 0;
        for (size_t i = 0; i < parts_.size(); ++i) {
            if (parts_[i].source.kind == SourceKind::Float32 || counts[i] == 0)
                continue;
            StoreFloatParameters parameters;
            parameters.sourceSlot = parts_[i].source.formatSlot;
            parameters.sourceOffset = parts_[i].source.formatOffset;
            stores_[call++].recordInvocations(step, parameters, counts[i]);
        }
        return;
    }

    if (chooseNow && precision_.policy == FractionalLengthPolicy::MaxAbs)
        recordMaxAbsChoice(step, counts);
    else if (chooseNow && precision_.policy != FractionalLengthPolicy::Manual)
        chooseOnHost(step, counts);

    const FixedPointSpec& spec = precision_.spec;
    const uint32_t workgroupSize = runtime_->kernels().workgroupSize();
    const uint64_t perDispatch = uint64_t(runtime_->kernels().maxGroupCount()) * workgroupSize;
    for (size_t i = 0; i < parts_.size(); ++i) {
        const StorePart& part = parts_[i];
        StoreFixedParameters parameters;
        parameters.elementCount = counts[i];
        parameters.firstRandomIndex = firstRandomIndex;
        parameters.sourceSlot = part.source.formatSlot;
        parameters.sourceOffset = part.source.formatOffset;
        parameters.targetSlot = formatSlot_;
        parameters.wordBits = spec.format.wordBits;
        parameters.seedLow = uint32_t(pass.seed);
        parameters.seedHigh = uint32_t(pass.seed >> 32);
        parameters.step = pass.step;
        parameters.layer = layer_;
        parameters.tensor = uint32_t(part.randomTensor);
        parameters.counterWord = VulkanRuntime::firstEventWord(part.eventSlot);
        if (previousSlot_ >= 0) {
            parameters.skipSlotA = previousSlot_;
            parameters.skipSlotB = formatSlot_;
        }
        for (uint64_t first = 0; first < counts[i]; first += perDispatch) {
            parameters.firstElement = uint32_t(first);
            const uint64_t chunk = std::min<uint64_t>(perDispatch, counts[i] - first);
            stores_[i].recordGroups(step, parameters, uint32_t((chunk + workgroupSize - 1) / workgroupSize));
        }
    }
}

void TensorStore::recordMaxAbsChoice(VulkanStep& step, std::span<const uint32_t> counts) const
{
    ChooseParameters choice;
    const uint32_t workgroupSize = runtime_->kernels().workgroupSize();
    for (size_t i = 0; i < parts_.size(); ++i) {
        const StorePart& part = parts_[i];
        MaxAbsParameters parameters;
        parameters.elementCount = counts[i];
        parameters.partialCount = partialCountFor(counts[i]);
        parameters.firstPartial = uint32_t(i) * VulkanRuntime::kMaxPartials;
        maxAbs_[i].recordGroups(step, parameters, (parameters.partialCount + workgroupSize - 1) / workgroupSize);

        PartialRange& range = choice.ranges[i];
        range.first = parameters.firstPartial;
        range.count = parameters.partialCount;
        range.kind = part.source.kind == SourceKind::Float32 ? kPartialsOfFloatBits : kPartialsOfExactValues;
        // Codes that are their own source (fixed-point master weights) are at the current format
        // until the choice saves it in the previous slot.
        range.sourceSlot = previousSlot_ >= 0 ? formatSlot_ : part.source.formatSlot;
        range.sourceOffset = part.source.formatOffset;
    }
    choice.wordBits = precision_.spec.format.wordBits;
    choice.targetSlot = formatSlot_;
    choice.previousSlot = previousSlot_;
    choose_->recordGroups(step, choice, 1);
}

void TensorStore::chooseOnHost(VulkanStep& step, std::span<const uint32_t> counts) const
{
    step.submitAndWait();
    const std::vector<int32_t> formats = runtime_->downloadFormats();
    const int current = formats[size_t(formatSlot_)];
    const int wordBits = precision_.spec.format.wordBits;
    ThreadPool pool(1);

    ValueSummary summary;
    for (size_t i = 0; i < parts_.size(); ++i) {
        const StorePart& part = parts_[i];
        const int sourceSlot = previousSlot_ >= 0 ? formatSlot_ : part.source.formatSlot;
        const int fractionalLength = part.source.kind == SourceKind::Float32
            ? 0 : formats[size_t(sourceSlot)] + part.source.formatOffset;
        ValueSummary partSummary;
        if (part.source.kind == SourceKind::Float32) {
            const std::vector<float> values = runtime_->transfer().downloadVector<float>(*part.source.buffer, counts[i]);
            partSummary = summarizeFloat(values.data(), values.size(), wordBits, pool);
        } else {
            std::vector<int64_t> sums;
            if (part.source.kind == SourceKind::Int64) {
                sums = runtime_->transfer().downloadVector<int64_t>(*part.source.buffer, counts[i]);
            } else {
                const std::vector<int32_t> codes = runtime_->transfer().downloadVector<int32_t>(*part.source.buffer, counts[i]);
                sums.assign(codes.begin(), codes.end());
            }
            partSummary = summarizeExact(sums.data(), sums.size(), fractionalLength, wordBits, pool);
        }
        if (i == 0)
            summary = partSummary;
        else
            summary.merge(partSummary);
    }

    const int chosen = chooseFractionalLength(precision_, summary, current);
    if (previousSlot_ >= 0)
        step.writeWord(runtime_->formatTable(), VkDeviceSize(previousSlot_) * sizeof(int32_t), current);
    step.writeWord(runtime_->formatTable(), VkDeviceSize(formatSlot_) * sizeof(int32_t), chosen);
}

} // namespace fxlab
