// What the layers of the Vulkan backend share: the kernels, the transfer helper, and the small
// buffers every step uses.
//
// The format table is an int32 buffer with one slot per fractional length: the fractional length
// of every tensor kind of every layer, of the input, and of every intermediate sum. Data-driven
// policies choose fractional lengths from exact results in the middle of a step, so they live on
// the device: a kernel writes a slot and later kernels read it, without a host round trip. The
// host reads the table back after each step.
//
// The event counters are slots of kEventSlotWords uint32 words (elements, saturated,
// underflowed, NaN, each a uint64 as low and high word); every quantization adds to one slot.
#pragma once

#include "backend/vulkan/vulkan_buffer.h"
#include "backend/vulkan/vulkan_kernels.h"
#include "backend/vulkan/vulkan_transfer.h"
#include "model/shape.h"
#include "numeric/quantizer.h"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace fxlab {

// A batch of activations or errors on the device: one 32-bit word per element, an int32 code
// when fixed-point, else a float32.
struct DeviceTensor {
    Shape shape;                          // of one sample
    bool isFixed = false;
    int wordBits = 32;                    // when fixed
    int formatSlot = -1;                  // the slot of its fractional length, when fixed
    int capacity = 0;                     // samples the buffers hold
    std::optional<VulkanBuffer> words;
    // Activations only: the QuantFlag bits of each element, for stopping the error of saturated
    // elements in the backward pass.
    std::optional<VulkanBuffer> flags;

    size_t sampleSize() const { return shape.size(); }
    const VulkanBuffer& buffer() const { return *words; }
};

// Scratch buffers that the layers share, in elements: two of int64 exact sums and two of floats.
// Two of each because weight and bias gradients exist at the same time.
struct ScratchSizes {
    std::array<size_t, 2> exact{};
    std::array<size_t, 2> values{};

    void include(const ScratchSizes& other);
};

class VulkanRuntime {
public:
    // Words per event-counter slot, as kEventSlotWords in shaders/event_counters.glsl.
    static constexpr uint32_t kEventSlotWords = 8;
    // max_abs.comp writes at most this many partial results per tensor.
    static constexpr uint32_t kMaxPartials = 4096;
    static constexpr VkBufferUsageFlags kUsage =
        VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;

    explicit VulkanRuntime(VulkanKernels& kernels);

    VulkanKernels& kernels() { return kernels_; }
    VulkanTransfer& transfer() { return transfer_; }
    const VulkanContext& context() const { return kernels_.context(); }

    // Slots are added while the layers are built, before allocate().
    int addFormatSlot(int initialValue = 0);
    uint32_t addEventSlot();
    int formatSlotCount() const { return int(formats_.size()); }
    uint32_t eventSlotCount() const { return eventSlots_; }
    static uint32_t firstEventWord(uint32_t slot) { return slot * kEventSlotWords; }

    // Sets a slot's value; after allocate() this uploads it.
    void setFormat(int slot, int value);

    // Creates the format table, the counters and the partials. Called once, after every slot exists.
    void allocate();
    bool allocated() const { return formatTable_.has_value(); }
    // Grows the scratch buffers to at least `sizes`. Returns true when a buffer was replaced, so
    // that whoever bound it binds again.
    bool reserveScratch(const ScratchSizes& sizes);

    const VulkanBuffer& formatTable() const { return *formatTable_; }
    const VulkanBuffer& counters() const { return *counters_; }
    const VulkanBuffer& partials() const { return *partials_; }
    // Bound to bindings that a kernel variant declares but does not use.
    const VulkanBuffer& unused() const { return *unused_; }
    const VulkanBuffer& exactScratch(int index) const { return *exactScratch_[size_t(index)]; }
    const VulkanBuffer& valueScratch(int index) const { return *valueScratch_[size_t(index)]; }

    std::vector<int32_t> downloadFormats();
    // The events of each slot, read from `counterWords` (a copy of the counters buffer).
    static QuantEvents eventsOf(std::span<const uint32_t> counterWords, uint32_t slot);

    // A device-local buffer of `count` elements of `bytesPerElement` (at least one element).
    VulkanBuffer makeBuffer(size_t count, size_t bytesPerElement) const;

private:
    VulkanKernels& kernels_;
    VulkanTransfer transfer_;
    std::vector<int32_t> formats_;
    uint32_t eventSlots_ = 0;
    ScratchSizes scratchSizes_;
    std::optional<VulkanBuffer> formatTable_;
    std::optional<VulkanBuffer> counters_;
    std::optional<VulkanBuffer> partials_;
    std::optional<VulkanBuffer> unused_;
    std::array<std::optional<VulkanBuffer>, 2> exactScratch_;
    std::array<std::optional<VulkanBuffer>, 2> valueScratch_;
};

// Allocates a tensor's buffers for `capacity` samples; `withFlags` adds the flags buffer.
void allocateTensor(const VulkanRuntime& runtime, DeviceTensor& tensor, int capacity, bool withFlags);

} // namespace fxlab
