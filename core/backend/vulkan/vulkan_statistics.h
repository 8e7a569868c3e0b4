// Statistics of the tensors of a VulkanNetwork, computed when asked for, not at every step.
// Histograms of fixed-point tensors and their smallest and largest codes are computed on the
// device (code_histogram.comp); only the bins come back. The work is recorded either at the end
// of a training step's command buffer, so it comes back with the step's one wait, or into a
// submission of its own when statistics are asked for after the step.
// NOTE: float tensors are copied back whole and binned on the host by histogramOfValues(), as
// the CPU reference bins them, because its bin boundaries use double arithmetic that not every
// device has. That costs a copy of every float tensor per call.
#pragma once

#include "backend/backend.h"
#include "backend/vulkan/vulkan_buffer.h"
#include "backend/vulkan/vulkan_kernels.h"
#include "backend/vulkan/vulkan_layer.h"

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

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

    // Records the statistics work into `step` and submits it on its own.
    Statistics compute(VulkanNetwork& network, VulkanStep& step, const StatisticsRequest& request);
    // Records the statistics work into `step` after whatever it holds, for a later collect().
    // The batch sizes are those of the pass that the recorded commands end with.
    void record(VulkanNetwork& network, VulkanStep& step, int passBatch, int trainingBatch);
    // Reads what the latest record() brought back, once its submission has completed.
    Statistics collect(const VulkanNetwork& network, const StatisticsRequest& request) const;

private:
    // A tensor whose statistics are recorded, and where they go: layer -1 is the input.
    struct TrackedTensor {
        StatisticsSource source;
        int layer = -1;
        TensorKind kind = TensorKind::Activations;
        size_t readbackOffset = 0;  // float tensors: the first value in valuesReadback_
    };
    const KernelCall& histogramCall(const VulkanBuffer& codes);
    std::vector<TrackedTensor> sourcesOf(VulkanNetwork& network, int passBatch, int trainingBatch) const;

    VulkanKernels& kernels_;
    std::vector<TrackedTensor> codeSources_;   // fixed-point tensors of the latest record()
    std::vector<TrackedTensor> valueSources_;  // float tensors of the latest record()
    std::optional<VulkanBuffer> bins_;      // device-local, one record per fixed-point tensor
    std::optional<VulkanBuffer> readback_;  // host-visible copy of bins_
    std::optional<VulkanBuffer> valuesReadback_;  // host-visible copies of the float tensors
    std::map<const VulkanBuffer*, KernelCall> calls_;
    const VulkanNetwork* boundNetwork_ = nullptr;
    int boundGeneration_ = -1;
};

} // namespace fxlab
