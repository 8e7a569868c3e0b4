#pragma once

#include "backend/cpu/cpu_layer.h"

namespace fxlab {

// Softmax followed by the cross-entropy with the labels, averaged over the batch. Its activation
// gradient, (softmax - one-hot) / batch, is the error that starts backpropagation. The float math
// uses fxlab::deterministic so that the Vulkan backend can produce the same bits.
class SoftmaxCrossEntropyLayer : public CpuLayer {
public:
    using CpuLayer::CpuLayer;

    struct Result {
        double lossSum = 0;
        int correct = 0;
        std::vector<uint8_t> predictions;
    };

    // Computes the loss of `logits` against `labels`; with `gradientInput`, also the error sent down.
    Result evaluate(const Tensor& logits, const uint8_t* labels, Tensor* gradientInput, LayerContext& context);

    void forward(const Tensor&, Tensor&, LayerContext&) override {}
    void backward(const Tensor&, const Tensor&, const Tensor&, Tensor*, LayerContext&) override {}
};

} // namespace fxlab
