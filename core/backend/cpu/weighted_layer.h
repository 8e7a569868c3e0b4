// The shared part of convolution and dense layers: weights and biases with their float master copies (or
// fixed-point master codes), their quantization for each pass, the weight gradients and the SGD
// update with momentum and weight decay.
#pragma once

#include "backend/cpu/cpu_layer.h"

namespace fxlab {

// One parameter tensor (the weights or the biases) of a layer.
struct Parameter {
    std::vector<float> master;      // float master copy, unused with fixed-point master weights
    std::vector<int32_t> codes;     // this pass's codes, or the master codes themselves
    FixedFormat codeFormat;         // the format `codes` are in
    std::vector<float> values;      // this pass's values as floats, for float arithmetic
    std::vector<float> velocity;
    std::vector<int32_t> gradientCodes;   // the latest weight gradient when fixed
    FixedFormat gradientFormat;           // the format `gradientCodes` are in
    std::vector<float> gradientValues;    // the latest weight gradient as floats
    QuantEvents lastEvents;
    QuantEvents lastGradientEvents;
};

class WeightedLayer : public CpuLayer {
public:
    WeightedLayer(const LayerSpec& spec, uint32_t index, Shape input, Shape output, const LayerPrecision& precision,
                  bool fixedPointMasterWeights);

    void update(const StepControl& control, LayerContext& context) override;
    void loadState(const LayerState& state) override;
    LayerState saveState() const override;
    TensorStatistics parameterStatistics(TensorKind kind) const override;

    // The gradients of the latest backward pass, as floats (the values of their codes when fixed).
    const std::vector<float>& weightGradients() const { return weight_.gradientValues; }
    const std::vector<float>& biasGradients() const { return bias_.gradientValues; }
    // The weights and biases as this pass used them.
    const std::vector<float>& weightValues() const { return weight_.values; }
    const std::vector<float>& biasValues() const { return bias_.values; }

protected:
    // Quantizes the master weights and biases for this pass (choosing formats when due) and
    // fills `codes` and `values`.
    void prepareParameters(LayerContext& context);
    bool weightsFixed() const { return !precisionOf(TensorKind::Weights).isFloat; }
    bool biasesFixed() const { return !spec_.bias || !precisionOf(TensorKind::Biases).isFloat; }
    FixedFormat weightFormat() const;
    FixedFormat biasFormat() const;
    int32_t biasCode(size_t index) const { return spec_.bias ? bias_.codes[index] : 0; }
    float biasValue(size_t index) const { return spec_.bias ? bias_.values[index] : 0.0f; }

    // Stores the gradients of weights and biases, which share one precision and one fractional length.
    void storeGradientsExact(const std::vector<int64_t>& weightSums, int weightFractionalLength,
                             const std::vector<int64_t>& biasSums, int biasFractionalLength, LayerContext& context);
    void storeGradientsFloat(std::vector<float>& weightGradients, std::vector<float>& biasGradients,
                             LayerContext& context);

    Parameter weight_;
    Parameter bias_;
    bool fixedPointMasterWeights_;

private:
    void prepareParameter(Parameter& parameter, TensorKind kind, RandomTensor tensor, LayerContext& context);
    void updateParameter(Parameter& parameter, TensorKind kind, RandomTensor tensor, const StepControl& control,
                         LayerContext& context);
};

} // namespace fxlab
