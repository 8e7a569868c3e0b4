// Softmax cross-entropy on the device: per-sample losses and predictions for the host, and in
// training the error (softmax - one-hot) / batch that starts the backward pass.
#pragma once

#include "backend/vulkan/vulkan_layer.h"

namespace fxlab {

class VulkanSoftmaxLayer : public VulkanLayer {
public:
    using VulkanLayer::VulkanLayer;

    // The labels the kernel reads (uint32 per sample) and the losses (float32 per sample) and
    // predictions (uint32 per sample) it writes. Call before bind().
    void setLossBuffers(const VulkanBuffer& labels, const VulkanBuffer& losses, const VulkanBuffer& predictions);

    ScratchSizes scratchSizes(int batch) const override;
    void bind(const LayerBinding& binding) override;
    // The loss without the error, as in evaluation.
    void recordForward(VulkanStep& step, const VulkanPass& pass) override;
    // Nothing: the error is computed with the loss, by recordLoss().
    void recordBackward(VulkanStep&, const VulkanPass&) override {}
    // The loss and, with `withError`, the error sent to the layer's input.
    void recordLoss(VulkanStep& step, const VulkanPass& pass, bool withError);

private:
    const VulkanBuffer* labels_ = nullptr;
    const VulkanBuffer* losses_ = nullptr;
    const VulkanBuffer* predictions_ = nullptr;
    LayerBinding binding_;
    std::optional<KernelCall> kernel_;
    OutputPath errorPath_;
};

} // namespace fxlab
