#include "backend/cpu/elementwise_layers.h"

#include <algorithm>
#include <cmath>

namespace fxlab {

namespace {

std::vector<int64_t> widen(const std::vector<int32_t>& codes)
{
    return std::vector<int64_t>(codes.begin(), codes.end());
}

// The input index of each output element's 2x2 window corner (top left), in output order.
struct PoolWindow {
    Shape input, output;

    std::vector<size_t> corners(int batch) const
    {
        std::vector<size_t> result;
        result.reserve(size_t(batch) * output.size());
        for (int n = 0; n < batch; ++n)
            for (int c = 0; c < output.channels; ++c)
                for (int y = 0; y < output.height; ++y)
                    for (int x = 0; x < output.width; ++x)
                        result.push_back(((size_t(n) * input.channels + c) * input.height + 2 * y) * input.width + 2 * x);
        return result;
    }
    // Offset of window element d (0 top left, 1 top right, 2 bottom left, 3 bottom right).
    size_t offset(int d) const { return size_t(d / 2) * input.width + size_t(d % 2); }
};

} // namespace

void ReluLayer::forward(const Tensor& input, Tensor& output, LayerContext& context)
{
    if (input.isFixed) {
        std::vector<int64_t> sums(input.size());
        for (size_t i = 0; i < sums.size(); ++i)
            sums[i] = std::max(input.codes[i], 0);
        storeExact(TensorKind::Activations, RandomTensor::Activations, sums, input.fractionalLength, input.batch,
                   output_, output, context);
        return;
    }
    // NaN passes through so that the trainer sees it.
    std::vector<float> values(input.size());
    for (size_t i = 0; i < values.size(); ++i)
        values[i] = input.values[i] > 0.0f || std::isnan(input.values[i]) ? input.values[i] : 0.0f;
    storeFloat(TensorKind::Activations, RandomTensor::Activations, values, input.batch, output_, output, context);
}

void ReluLayer::backward(const Tensor& input, const Tensor&, const Tensor& gradientOutput, Tensor* gradientInput,
                         LayerContext& context)
{
    if (!gradientInput)
        return;
    const auto active = [&](size_t i) { return input.isFixed ? input.codes[i] > 0 : input.values[i] > 0.0f; };
    if (gradientOutput.isFixed) {
        std::vector<int64_t> sums(gradientOutput.size());
        for (size_t i = 0; i < sums.size(); ++i)
            sums[i] = active(i) ? gradientOutput.codes[i] : 0;
        storeExact(TensorKind::ActivationGradients, RandomTensor::ActivationGradients, sums,
                   gradientOutput.fractionalLength, gradientOutput.batch, input_, *gradientInput, context);
        return;
    }
    std::vector<float> values(gradientOutput.size());
    for (size_t i = 0; i < values.size(); ++i)
        values[i] = active(i) ? gradientOutput.values[i] : 0.0f;
    storeFloat(TensorKind::ActivationGradients, RandomTensor::ActivationGradients, values, gradientOutput.batch,
               input_, *gradientInput, context);
}

void MaxPoolLayer::forward(const Tensor& input, Tensor& output, LayerContext& context)
{
    const PoolWindow window{input_, output_};
    const std::vector<size_t> corners = window.corners(input.batch);
    const size_t count = corners.size();
    argmax_.resize(count);

    // The first maximum in window order (top left, top right, bottom left, bottom right) wins.
    for (size_t i = 0; i < count; ++i) {
        size_t best = corners[i];
        for (int d = 1; d < 4; ++d) {
            const size_t candidate = corners[i] + window.offset(d);
            const bool larger = input.isFixed ? input.codes[candidate] > input.codes[best]
                                              : input.values[candidate] > input.values[best];
            if (larger)
                best = candidate;
        }
        argmax_[i] = uint32_t(best);
    }

    if (input.isFixed) {
        std::vector<int64_t> sums(count);
        for (size_t i = 0; i < count; ++i)
            sums[i] = input.codes[argmax_[i]];
        storeExact(TensorKind::Activations, RandomTensor::Activations, sums, input.fractionalLength, input.batch,
                   output_, output, context);
        return;
    }
    std::vector<float> values(count);
    for (size_t i = 0; i < count; ++i)
        values[i] = input.values[argmax_[i]];
    storeFloat(TensorKind::Activations, RandomTensor::Activations, values, input.batch, output_, output, context);
}

void MaxPoolLayer::backward(const Tensor& input, const Tensor&, const Tensor& gradientOutput, Tensor* gradientInput,
                            LayerContext& context)
{
    if (!gradientInput)
        return;
    if (gradientOutput.isFixed) {
        std::vector<int64_t> sums(input.size(), 0);
        for (size_t i = 0; i < gradientOutput.size(); ++i)
            sums[argmax_[i]] = gradientOutput.codes[i];
        storeExact(TensorKind::ActivationGradients, RandomTensor::ActivationGradients, sums,
                   gradientOutput.fractionalLength, input.batch, input_, *gradientInput, context);
        return;
    }
    std::vector<float> values(input.size(), 0.0f);
    for (size_t i = 0; i < gradientOutput.size(); ++i)
        values[argmax_[i]] = gradientOutput.values[i];
    storeFloat(TensorKind::ActivationGradients, RandomTensor::ActivationGradients, values, input.batch, input_,
               *gradientInput, context);
}

void AveragePoolLayer::forward(const Tensor& input, Tensor& output, LayerContext& context)
{
    const PoolWindow window{input_, output_};
    const std::vector<size_t> corners = window.corners(input.batch);
    const size_t count = corners.size();

    // In fixed point the sum of four codes with two more fractional bits is the exact mean.
    if (input.isFixed) {
        std::vector<int64_t> sums(count, 0);
        for (size_t i = 0; i < count; ++i)
            for (int d = 0; d < 4; ++d)
                sums[i] += input.codes[corners[i] + window.offset(d)];
        storeExact(TensorKind::Activations, RandomTensor::Activations, sums, input.fractionalLength + 2, input.batch,
                   output_, output, context);
        return;
    }
    std::vector<float> values(count, 0.0f);
    for (size_t i = 0; i < count; ++i) {
        for (int d = 0; d < 4; ++d)
            values[i] += input.values[corners[i] + window.offset(d)];
        values[i] *= 0.25f;
    }
    storeFloat(TensorKind::Activations, RandomTensor::Activations, values, input.batch, output_, output, context);
}

void AveragePoolLayer::backward(const Tensor& input, const Tensor&, const Tensor& gradientOutput,
                                Tensor* gradientInput, LayerContext& context)
{
    if (!gradientInput)
        return;
    const PoolWindow window{input_, output_};
    const std::vector<size_t> corners = window.corners(input.batch);
    // Odd trailing rows and columns take no part in pooling, so their gradient stays zero.
    if (gradientOutput.isFixed) {
        std::vector<int64_t> sums(input.size(), 0);
        for (size_t i = 0; i < gradientOutput.size(); ++i)
            for (int d = 0; d < 4; ++d)
                sums[corners[i] + window.offset(d)] = gradientOutput.codes[i];
        storeExact(TensorKind::ActivationGradients, RandomTensor::ActivationGradients, sums,
                   gradientOutput.fractionalLength + 2, input.batch, input_, *gradientInput, context);
        return;
    }
    std::vector<float> values(input.size(), 0.0f);
    for (size_t i = 0; i < gradientOutput.size(); ++i)
        for (int d = 0; d < 4; ++d)
            values[corners[i] + window.offset(d)] = gradientOutput.values[i] * 0.25f;
    storeFloat(TensorKind::ActivationGradients, RandomTensor::ActivationGradients, values, input.batch, input_,
               *gradientInput, context);
}

void FlattenLayer::forward(const Tensor& input, Tensor& output, LayerContext& context)
{
    if (input.isFixed) {
        storeExact(TensorKind::Activations, RandomTensor::Activations, widen(input.codes), input.fractionalLength,
                   input.batch, output_, output, context);
        return;
    }
    std::vector<float> values = input.values;
    storeFloat(TensorKind::Activations, RandomTensor::Activations, values, input.batch, output_, output, context);
}

void FlattenLayer::backward(const Tensor& input, const Tensor&, const Tensor& gradientOutput, Tensor* gradientInput,
                            LayerContext& context)
{
    if (!gradientInput)
        return;
    if (gradientOutput.isFixed) {
        storeExact(TensorKind::ActivationGradients, RandomTensor::ActivationGradients, widen(gradientOutput.codes),
                   gradientOutput.fractionalLength, input.batch, input_, *gradientInput, context);
        return;
    }
    std::vector<float> values = gradientOutput.values;
    storeFloat(TensorKind::ActivationGradients, RandomTensor::ActivationGradients, values, input.batch, input_,
               *gradientInput, context);
}

} // namespace fxlab
