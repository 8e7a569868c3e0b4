// What the layers of the Vulkan backend need to know about the pass they record: the Vulkan
// twin of LayerContext.
#pragma once

#include "model/precision.h"

#include <array>
#include <cstdint>

namespace fxlab {

struct VulkanPass {
    uint64_t seed = 0;
    uint32_t step = 0;
    int batch = 0;
    uint32_t sampleOffset = 0;  // evaluation: index of the batch's first sample
    // Which tensor kinds choose their fractional length in this pass; null chooses nothing.
    const std::array<bool, kTensorKindCount>* formatUpdates = nullptr;

    bool chooseNow(TensorKind kind) const { return formatUpdates && (*formatUpdates)[size_t(kind)]; }
};

} // namespace fxlab
