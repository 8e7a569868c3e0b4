// Statistics of the tensors of a VulkanNetwork, computed when asked for, not at every step.
// Histograms of fixed-point tensors and their smallest and largest codes are computed on the
// device (code_histogram.comp) in one submission; only the bins come back.
// NOTE: float tensors are read back whole and binned on the host by histogramOfValues(), as
// the CPU reference bins them, because its bin boundaries use double arithmetic that not every
// device has. That costs a read of every float tensor per call.
#pragma once

#include "backend/backend.h"
#include "backend/vulkan/vulkan_buffer.h"
#include "backend/vulkan/vulkan_kernels.h"

#include <cstdint>
#include <map>
#include <optional>
#include <span>

namespace fxlab {

class VulkanNetwork;
class VulkanStep;

struct StatisticsRequest {
    uint32_t step = 0;          // Statistics::step
    int passBatch = 0;          // samples of the latest pass: input and activations
    int trainingBatch = 0;      // samples of the latest training step: errors; 0 before any
    std::span<const uint32_t> counters;  // the event counters to report
};

class VulkanStatistics {
public:
    explicit VulkanStatistics(VulkanKernels& kernels);

    Statistics compute(VulkanNetwork& network, VulkanStep& step, const StatisticsRequest& request);

private:
    struct CodeSource;
    const KernelCall& histogramCall(const VulkanBuffer& codes);

    VulkanKernels& kernels_;
    std::optional<VulkanBuffer> bins_;      // device-local, one record per fixed-point tensor
    std::optional<VulkanBuffer> readback_;  // host-visible copy of bins_
    std::map<const VulkanBuffer*, KernelCall> calls_;
    const VulkanNetwork* boundNetwork_ = nullptr;
    int boundGeneration_ = -1;
};

} // namespace fxlab
