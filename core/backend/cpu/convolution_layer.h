#pragma once

#include "backend/cpu/weighted_layer.h"

namespace fxlab {

class ConvolutionLayer : public WeightedLayer {
public:
    ConvolutionLayer(const LayerSpec& spec, uint32_t index, Shape input, Shape output, const LayerPrecision& precision,
                     bool fixedPointMasterWeights);

    void forward(const Tensor& input, Tensor& output, LayerContext& context) override;
    void backward(const Tensor& input, const Tensor& output, const Tensor& gradientOutput, Tensor* gradientInput,
                  LayerContext& context) override;

private:
    void backwardWeights(const Tensor& input, const Tensor& gradientOutput, LayerContext& context);
    void backwardInput(const Tensor& gradientOutput, Tensor& gradientInput, LayerContext& context);
};

} // namespace fxlab
