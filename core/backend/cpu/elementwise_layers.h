// Layers without parameters: ReLU, 2x2 max and average pooling, flatten. In fixed point each
// computes an exact result on codes (a maximum, a sum with two more fractional bits, a copy) and
// rounds it once into its own activation format.
#pragma once

#include "backend/cpu/cpu_layer.h"

namespace fxlab {

class ReluLayer : public CpuLayer {
public:
    using CpuLayer::CpuLayer;
    void forward(const Tensor& input, Tensor& output, LayerContext& context) override;
    void backward(const Tensor& input, const Tensor& output, const Tensor& gradientOutput, Tensor* gradientInput,
                  LayerContext& context) override;
};

class MaxPoolLayer : public CpuLayer {
public:
    using CpuLayer::CpuLayer;
    void forward(const Tensor& input, Tensor& output, LayerContext& context) override;
    void backward(const Tensor& input, const Tensor& output, const Tensor& gradientOutput, Tensor* gradientInput,
                  LayerContext& context) override;

private:
    std::vector<uint32_t> argmax_;  // for each output, the input index of its maximum
};

class AveragePoolLayer : public CpuLayer {
public:
    using CpuLayer::CpuLayer;
    void forward(const Tensor& input, Tensor& output, LayerContext& context) override;
    void backward(const Tensor& input, const Tensor& output, const Tensor& gradientOutput, Tensor* gradientInput,
                  LayerContext& context) override;
};

class FlattenLayer : public CpuLayer {
public:
    using CpuLayer::CpuLayer;
    void forward(const Tensor& input, Tensor& output, LayerContext& context) override;
    void backward(const Tensor& input, const Tensor& output, const Tensor& gradientOutput, Tensor* gradientInput,
                  LayerContext& context) override;
};

} // namespace fxlab
