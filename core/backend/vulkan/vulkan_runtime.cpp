#include "backend/vulkan/vulkan_runtime.h"

#include "backend/vulkan/vulkan_context.h"
#include "error.h"

#include <algorithm>
#include <string>

namespace fxlab {

void ScratchSizes::include(const ScratchSizes& other)
{
    for (size_t i = 0; i < 2; ++i) {
        exact[i] = std::max(exact[i], other.exact[i]);
        values[i] = std::max(values[i], other.values[i]);
    }
}

VulkanRuntime::VulkanRuntime(VulkanKernels& kernels) : kernels_(kernels), transfer_(kernels.context()) {}

int VulkanRuntime::addFormatSlot(int initialValue)
{
    if (allocated())
        throw Error("a format slot was added after the Vulkan format table was allocated");
    formats_.push_back(initialValue);
    return int(formats_.size()) - 1;
}

uint32_t VulkanRuntime::addEventSlot()
{
    if (allocated())
        throw Error("an event slot was added after the Vulkan event counters were allocated");
    return eventSlots_++;
}

void VulkanRuntime::setFormat(int slot, int value)
{
    formats_.at(size_t(slot)) = value;
    if (allocated())
        transfer_.uploadSpan(std::span<const int32_t>(&formats_[size_t(slot)], 1), *formatTable_,
                             VkDeviceSize(slot) * sizeof(int32_t));
}

VulkanBuffer VulkanRuntime::makeBuffer(size_t count, size_t bytesPerElement) const
{
    const VkDeviceSize bytes = VkDeviceSize(std::max<size_t>(count, 1)) * bytesPerElement;
    const uint32_t limit = context().limits().maxStorageBufferRange;
    if (bytes > limit)
        throw Error("a Vulkan buffer of " + std::to_string(bytes) + " bytes exceeds this device's storage-buffer limit of "
                    + std::to_string(limit) + " bytes: use a smaller batch or the CPU backend");
    return VulkanBuffer(context(), bytes, kUsage, MemoryLocation::DeviceLocal);
}

void VulkanRuntime::allocate()
{
    formatTable_.emplace(makeBuffer(formats_.size(), sizeof(int32_t)));
    counters_.emplace(makeBuffer(size_t(eventSlots_) * kEventSlotWords, sizeof(uint32_t)));
    partials_.emplace(makeBuffer(2 * kMaxPartials, sizeof(uint64_t)));
    unused_.emplace(makeBuffer(1, sizeof(uint64_t)));
    transfer_.uploadSpan(std::span<const int32_t>(formats_), *formatTable_);
}

bool VulkanRuntime::reserveScratch(const ScratchSizes& sizes)
{
    bool replaced = false;
    for (size_t i = 0; i < 2; ++i) {
        if (!exactScratch_[i] || sizes.exact[i] > scratchSizes_.exact[i]) {
            scratchSizes_.exact[i] = std::max(sizes.exact[i], scratchSizes_.exact[i]);
            exactScratch_[i].reset();
            exactScratch_[i].emplace(makeBuffer(scratchSizes_.exact[i], sizeof(int64_t)));
            replaced = true;
        }
        if (!valueScratch_[i] || sizes.values[i] > scratchSizes_.values[i]) {
            scratchSizes_.values[i] = std::max(sizes.values[i], scratchSizes_.values[i]);
            valueScratch_[i].reset();
            valueScratch_[i].emplace(makeBuffer(scratchSizes_.values[i], sizeof(float)));
            replaced = true;
        }
    }
    return replaced;
}

std::vector<int32_t> VulkanRuntime::downloadFormats()
{
    formats_ = transfer_.downloadVector<int32_t>(*formatTable_, formats_.size());
    return formats_;
}

QuantEvents VulkanRuntime::eventsOf(std::span<const uint32_t> counterWords, uint32_t slot)
{
    const uint32_t first = firstEventWord(slot);
    const auto counter = [&](uint32_t index) {
        return uint64_t(counterWords[first + 2 * index]) | (uint64_t(counterWords[first + 2 * index + 1]) << 32);
    };
    QuantEvents events;
    events.elements = counter(0);
    events.saturated = counter(1);
    events.underflowed = counter(2);
    events.notANumber = counter(3);
    return events;
}

void allocateTensor(const VulkanRuntime& runtime, DeviceTensor& tensor, int capacity, bool withFlags)
{
    const size_t elements = size_t(capacity) * tensor.sampleSize();
    tensor.capacity = capacity;
    tensor.words.reset();
    tensor.words.emplace(runtime.makeBuffer(elements, sizeof(uint32_t)));
    tensor.flags.reset();
    if (withFlags)
        tensor.flags.emplace(runtime.makeBuffer(elements, sizeof(uint32_t)));
}

} // namespace fxlab
