// Layers without parameters on the device: ReLU, 2x2 max and average pooling, flatten. In fixed
// point each computes an exact result on codes and rounds it once into its own format, as the
// CPU reference does.
#pragma once

#include "backend/vulkan/vulkan_kernel_parameters.h"
#include "backend/vulkan/vulkan_layer.h"

namespace fxlab {

class VulkanReluLayer : public VulkanLayer {
public:
    using VulkanLayer::VulkanLayer;
    ScratchSizes scratchSizes(int batch) const override;
    void bind(const LayerBinding& binding) override;
    void recordForward(VulkanStep& step, const VulkanPass& pass) override;
    void recordBackward(VulkanStep& step, const VulkanPass& pass) override;

private:
    LayerBinding binding_;
    std::optional<KernelCall> forward_;
    OutputPath forwardPath_;
    std::optional<KernelCall> backward_;
    OutputPath backwardPath_;
};

// Max pooling keeps, for each output, the input index of its maximum for the backward pass.
class VulkanMaxPoolLayer : public VulkanLayer {
public:
    using VulkanLayer::VulkanLayer;
    ScratchSizes scratchSizes(int batch) const override;
    void bind(const LayerBinding& binding) override;
    void recordForward(VulkanStep& step, const VulkanPass& pass) override;
    void recordBackward(VulkanStep& step, const VulkanPass& pass) override;

private:
    LayerBinding binding_;
    std::optional<VulkanBuffer> argmax_;
    std::optional<KernelCall> forward_;
    OutputPath forwardPath_;
    std::optional<KernelCall> backward_;
    OutputPath backwardPath_;
};

class VulkanAveragePoolLayer : public VulkanLayer {
public:
    using VulkanLayer::VulkanLayer;
    ScratchSizes scratchSizes(int batch) const override;
    void bind(const LayerBinding& binding) override;
    void recordForward(VulkanStep& step, const VulkanPass& pass) override;
    void recordBackward(VulkanStep& step, const VulkanPass& pass) override;

private:
    LayerBinding binding_;
    std::optional<KernelCall> forward_;
    OutputPath forwardPath_;
    std::optional<KernelCall> backward_;
    OutputPath backwardPath_;
};

// Flatten only changes the shape, so its kernels are the store stage itself, or a copy.
class VulkanFlattenLayer : public VulkanLayer {
public:
    using VulkanLayer::VulkanLayer;
    void bind(const LayerBinding& binding) override;
    void recordForward(VulkanStep& step, const VulkanPass& pass) override;
    void recordBackward(VulkanStep& step, const VulkanPass& pass) override;

private:
    // Stores `source` into `target` with the precision of `kind`, or copies a float tensor.
    struct Transfer {
        const DeviceTensor* source = nullptr;
        const DeviceTensor* target = nullptr;
        std::optional<OutputPath> path;  // absent when a float tensor is copied
    };
    Transfer transferOf(TensorKind kind, RandomTensor tensor, const DeviceTensor& source, const DeviceTensor& target) const;
    void recordTransfer(VulkanStep& step, const VulkanPass& pass, TensorKind kind, const Transfer& transfer) const;

    LayerBinding binding_;
    Transfer forward_;
    std::optional<Transfer> backward_;
};

} // namespace fxlab
