#pragma once

#include "backend/cpu/weighted_layer.h"

namespace fxlab {

// A fully connected layer: output[n][j] = sum_i weight[j][i] * input[n][i] + bias[j].
class DenseLayer : public WeightedLayer {
public:
    DenseLayer(const LayerSpec& spec, uint32_t index, Shape input, Shape output, const LayerPrecision& precision,
               bool fixedPointMasterWeights);

    void forward(const Tensor& input, Tensor& output, LayerContext& context) override;
    void backward(const Tensor& input, const Tensor& output, const Tensor& gradientOutput, Tensor* gradientInput,
                  LayerContext& context) override;

private:
    void backwardWeights(const Tensor& input, const Tensor& gradientOutput, LayerContext& context);
    void backwardInput(const Tensor& gradientOutput, Tensor& gradientInput, LayerContext& context);
};

} // namespace fxlab
