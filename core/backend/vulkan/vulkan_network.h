// A network built on the device for one experiment: the runtime, the layers and the tensors
// between them, and the host-visible buffers that a step exchanges with the host.
//
// Every step is recorded into one command buffer (VulkanStep), with no host round trip between
// layers. The images are copied in and the counters zeroed. Then come input quantization, the
// forward pass, the loss, the backward pass (with the error of saturated activations stopped)
// and the updates. At the end, the event counters, the format table and the parameters are
// copied into the host-visible read-back buffer. After the one wait, the host has a copy of the
// state as of the end of that step, which survives a lost device.
#pragma once

#include "backend/backend.h"
#include "backend/model_state.h"
#include "backend/vulkan/vulkan_layer.h"
#include "backend/vulkan/vulkan_runtime.h"
#include "backend/vulkan/vulkan_softmax_layer.h"
#include "model/experiment.h"

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

namespace fxlab {

class VulkanStep;

class VulkanNetwork {
public:
    // Builds the layers and loads `state`. Throws Error for a network the backend cannot run.
    VulkanNetwork(VulkanKernels& kernels, const Experiment& experiment, const ModelState& state);

    const Experiment& experiment() const { return experiment_; }
    VulkanRuntime& runtime() { return runtime_; }
    size_t layerCount() const { return layers_.size(); }
    const VulkanLayer& layer(size_t index) const { return *layers_[index]; }
    int inputSlot() const { return inputSlot_; }
    uint32_t inputEventSlot() const { return inputEventSlot_; }
    const DeviceTensor& input() const { return input_; }
    // The output of layer i, for i below the loss layer.
    const DeviceTensor& activations(size_t layer) const { return activations_[layer]; }
    // The error layer i sends to its input; empty (no words) for the first layer.
    const DeviceTensor& gradients(size_t layer) const { return gradients_[layer]; }
    int capacity() const { return capacity_; }
    // Incremented whenever buffers are reallocated and the layers bound again.
    int bindingGeneration() const { return bindingGeneration_; }

    // Makes room for batches of `batch` samples, reallocating and binding again when needed.
    void reserve(int batch);

    // Copies a batch into the host-visible upload buffers.
    void upload(const BatchView& batch);
    // Records the passes of a training step and the read-back at its end.
    void recordTrainingStep(VulkanStep& step, const StepControl& control, int batch);
    // Records the forward pass and the loss of an evaluation batch.
    void recordEvaluation(VulkanStep& step, uint32_t stepIndex, int batch, uint32_t sampleOffset);

    // The per-sample losses and predicted classes of the latest submitted pass.
    std::span<const float> losses(int batch) const;
    std::vector<uint8_t> predictions(int batch) const;
    // The read-back copies of the counters and the format table after the latest pass.
    std::span<const uint32_t> counterWords() const;
    std::span<const int32_t> formatWords() const;
    // The parameters as the latest training step left them, from the read-back copy.
    ModelState stateFromReadback() const;
    // Reads the parameters and the format table with separate transfers, for the state before
    // any step.
    void downloadState();

    // The events of one training step, per layer and kind, from counter words.
    std::vector<LayerEvents> layerEvents(std::span<const uint32_t> counters) const;
    QuantEvents inputEvents(std::span<const uint32_t> counters) const;

private:
    struct ReadbackLayout {
        VkDeviceSize counters = 0;
        VkDeviceSize formats = 0;
        std::vector<VkDeviceSize> regions;  // per checkpoint region, all layers in order
        VkDeviceSize total = 0;
    };

    void allocateTensors(int capacity);
    void bindLayers();
    void layoutReadback();
    VulkanPass passFor(uint32_t step, int batch, uint32_t sampleOffset) const;
    void recordInput(VulkanStep& step, const VulkanPass& pass, bool chooseNow, int batch);
    void recordReadback(VulkanStep& step, bool withParameters);

    Experiment experiment_;
    VulkanRuntime runtime_;
    int inputSlot_;
    uint32_t inputEventSlot_;
    std::vector<std::unique_ptr<VulkanLayer>> layers_;
    VulkanSoftmaxLayer* loss_ = nullptr;

    int capacity_ = 0;
    int bindingGeneration_ = 0;
    DeviceTensor input_;
    std::vector<DeviceTensor> activations_;
    std::vector<DeviceTensor> gradients_;
    std::optional<VulkanBuffer> images_;       // host-visible float32 per input element
    std::optional<VulkanBuffer> labels_;       // host-visible uint32 per sample
    std::optional<VulkanBuffer> losses_;       // host-visible float32 per sample
    std::optional<VulkanBuffer> predictions_;  // host-visible uint32 per sample
    std::optional<TensorStore> inputStore_;
    std::vector<std::optional<KernelCall>> masks_;  // per layer below the loss: stops gradients_[i + 1]

    std::vector<CheckpointRegion> regions_;
    std::vector<size_t> regionCounts_;  // regions per layer
    ReadbackLayout readbackLayout_;
    std::optional<VulkanBuffer> readback_;  // host-visible
};

} // namespace fxlab
