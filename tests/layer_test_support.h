// Helpers shared by the layer tests: building one CPU layer, filling tensors with seeded values and
// naive reference convolutions written as plain nested loops.
#pragma once

#include "backend/cpu/cpu_layer.h"
#include "backend/cpu/weighted_layer.h"
#include "numeric/philox.h"

#include <cmath>
#include <memory>

namespace fxlab::testing {

struct LayerUnderTest {
    std::unique_ptr<CpuLayer> layer;
    Shape input;
    Shape output;
    LayerState state;
};

inline LayerUnderTest makeLayer(const LayerSpec& spec, Shape input, const LayerPrecision& precision,
                                uint64_t seed = 7)
{
    NetworkSpec network;
    network.input = input;
    network.layers = {spec};
    const ShapeReport shapes = inferShapes(network);
    const Shape output = shapes.outputs.at(0);

    LayerUnderTest result{makeCpuLayer(spec, 0, input, output, precision, false), input, output, {}};
    const RandomStream stream{seed, 0, 0, RandomTensor::Initialization};
    result.state.weights.resize(weightCount(spec, input));
    for (size_t i = 0; i < result.state.weights.size(); ++i)
        result.state.weights[i] = 2.0f * stream.uniform(uint32_t(i)) - 1.0f;
    result.state.biases.resize(biasCount(spec, input));
    for (size_t i = 0; i < result.state.biases.size(); ++i)
        result.state.biases[i] = stream.uniform(uint32_t(100000 + i)) - 0.5f;
    for (TensorKind kind : kAllTensorKinds)
        result.state.fractionalLengths[size_t(kind)] = precision[size_t(kind)].spec.format.fractionalLength;
    result.layer->loadState(result.state);
    return result;
}

// Uniform values in [-1, 1) from the counter-based generator.
inline std::vector<float> randomValues(size_t count, uint64_t seed)
{
    const RandomStream stream{seed, 0, 1, RandomTensor::Initialization};
    std::vector<float> values(count);
    for (size_t i = 0; i < count; ++i)
        values[i] = 2.0f * stream.uniform(uint32_t(i)) - 1.0f;
    return values;
}

inline Tensor floatTensor(int batch, Shape shape, std::vector<float> values)
{
    Tensor tensor;
    tensor.resizeFloat(batch, shape);
    tensor.values = std::move(values);
    return tensor;
}

inline Tensor fixedTensor(int batch, Shape shape, const std::vector<float>& values, FixedFormat format)
{
    Tensor tensor;
    tensor.resizeFixed(batch, shape, format);
    const FixedPointSpec spec{format, RoundingMode::NearestEven, OverflowMode::Saturate};
    for (size_t i = 0; i < values.size(); ++i)
        tensor.codes[i] = quantize(values[i], spec).code;
    return tensor;
}

// The whole layer precision: every kind float, or every kind the given fixed formats.
inline LayerPrecision floatLayerPrecision()
{
    return {};
}

// Direct convolution over exact numbers: output[n][co][y][x] = sum input * weight + bias.
template <typename Number, typename In, typename Weight, typename Bias>
std::vector<Number> naiveConvolution(const LayerSpec& spec, Shape in, Shape out, int batch, const In& input,
                                     const Weight& weight, const Bias& bias)
{
    std::vector<Number> result(size_t(batch) * out.size(), Number(0));
    for (int n = 0; n < batch; ++n)
        for (int co = 0; co < out.channels; ++co)
            for (int y = 0; y < out.height; ++y)
                for (int x = 0; x < out.width; ++x) {
                    Number sum = 0;
                    for (int ci = 0; ci < in.channels; ++ci)
                        for (int ky = 0; ky < spec.kernel; ++ky)
                            for (int kx = 0; kx < spec.kernel; ++kx) {
                                const int iy = y * spec.stride - spec.padding + ky;
                                const int ix = x * spec.stride - spec.padding + kx;
                                if (iy < 0 || iy >= in.height || ix < 0 || ix >= in.width)
                                    continue;
                                sum += Number(input(((size_t(n) * in.channels + ci) * in.height + iy) * in.width + ix))
                                    * Number(weight(((size_t(co) * in.channels + ci) * spec.kernel + ky) * spec.kernel + kx));
                            }
                    result[((size_t(n) * out.channels + co) * out.height + y) * out.width + x] = sum + Number(bias(co));
                }
    return result;
}

} // namespace fxlab::testing
