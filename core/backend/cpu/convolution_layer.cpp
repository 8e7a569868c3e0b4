// 2-D convolution with a square kernel, stride and zero padding, computed as matrix products over
// the unfolded input (im2col). Per sample: output[co][p] = sum_k weight[co][k] * column[k][p] + bias[co],
// with k running over (input channel, kernel row, kernel column) and p over output positions.
#include "backend/cpu/convolution_layer.h"

#include "backend/accumulator_plan.h"
#include "backend/cpu/matrix_loops.h"

#include <algorithm>

namespace fxlab {

namespace {

// Geometry of one convolution.
struct Geometry {
    int inChannels, inHeight, inWidth;
    int outChannels, outHeight, outWidth;
    int kernel, stride, padding;

    int columnRows() const { return inChannels * kernel * kernel; }
    int positions() const { return outHeight * outWidth; }
    size_t inSize() const { return size_t(inChannels) * inHeight * inWidth; }
    size_t outSize() const { return size_t(outChannels) * positions(); }
};

Geometry geometryOf(const LayerSpec& spec, Shape input, Shape output)
{
    return {input.channels, input.height, input.width, output.channels, output.height, output.width,
            spec.kernel, spec.stride, spec.padding};
}

// Calls visit(k, p, inputIndex) for every column row k and output position p that reads an input
// element; positions that fall on padding are skipped.
template <typename Visit>
void forEachTap(const Geometry& g, const Visit& visit)
{
    for (int channel = 0; channel < g.inChannels; ++channel)
        for (int ky = 0; ky < g.kernel; ++ky)
            for (int kx = 0; kx < g.kernel; ++kx) {
                const int k = (channel * g.kernel + ky) * g.kernel + kx;
                // Output columns whose input column x = ox * stride - padding + kx is inside the map.
                const int offset = g.padding - kx;
                const int firstColumn = offset <= 0 ? 0 : (offset + g.stride - 1) / g.stride;
                const int lastInside = g.inWidth - 1 + offset;  // ox * stride may not exceed it
                const int lastColumn = lastInside < 0 ? 0 : std::min(g.outWidth, lastInside / g.stride + 1);
                for (int oy = 0; oy < g.outHeight; ++oy) {
                    const int y = oy * g.stride - g.padding + ky;
                    if (y < 0 || y >= g.inHeight)
                        continue;
                    const long rowStart = (long(channel) * g.inHeight + y) * g.inWidth - offset;
                    for (int ox = firstColumn; ox < lastColumn; ++ox)
                        visit(k, oy * g.outWidth + ox, rowStart + long(ox) * g.stride);
                }
            }
}

// column[k][p] (transposed: row[p][k]) of one sample; padding reads as zero.
template <typename T>
void unfold(const Geometry& g, const T* sample, T* column, bool transposed)
{
    const int rows = g.columnRows(), positions = g.positions();
    std::fill(column, column + size_t(rows) * positions, T(0));
    if (transposed)
        forEachTap(g, [&](int k, int p, long source) { column[size_t(p) * rows + k] = sample[source]; });
    else
        forEachTap(g, [&](int k, int p, long source) { column[size_t(k) * positions + p] = sample[source]; });
}

// Adds column-shaped gradients back onto the input positions they came from.
template <typename Column, typename Target>
void fold(const Geometry& g, const Column* column, Target* sample)
{
    const int positions = g.positions();
    forEachTap(g, [&](int k, int p, long target) { sample[target] += column[size_t(k) * positions + p]; });
}

} // namespace

ConvolutionLayer::ConvolutionLayer(const LayerSpec& spec, uint32_t index, Shape input, Shape output,
                                   const LayerPrecision& precision, bool fixedPointMasterWeights)
    : WeightedLayer(spec, index, input, output, precision, fixedPointMasterWeights)
{
}

void ConvolutionLayer::forward(const Tensor& input, Tensor& output, LayerContext& context)
{
    prepareParameters(context);
    const Geometry g = geometryOf(spec_, input_, output_);
    const int batch = input.batch;
    const int rows = g.columnRows(), positions = g.positions();

    if (input.isFixed && weightsFixed() && biasesFixed()) {
        const std::optional<FixedFormat> bias = spec_.bias ? std::optional(biasFormat()) : std::nullopt;
        const FixedFormat weights = weightFormat();
        const AccumulatorPlan plan = planAccumulator(input.wordBits, input.fractionalLength, weights.wordBits,
                                                     weights.fractionalLength, rows, bias);
        std::vector<int64_t> sums(size_t(batch) * g.outSize(), 0);
        context.pool.parallelFor(size_t(batch), [&](size_t first, size_t last) {
            std::vector<int32_t> column(size_t(rows) * positions);
            for (size_t n = first; n < last; ++n) {
                unfold(g, input.codes.data() + n * g.inSize(), column.data(), false);
                int64_t* out = sums.data() + n * g.outSize();
                multiplyAdd(weight_.codes.data(), column.data(), out, g.outChannels, rows, positions, plan);
                for (int co = 0; co < g.outChannels; ++co)
                    for (int p = 0; p < positions; ++p)
                        out[size_t(co) * positions + p] =
                            finishSum(out[size_t(co) * positions + p], biasCode(size_t(co)), plan);
            }
        });
        storeExact(TensorKind::Activations, RandomTensor::Activations, sums, plan.resultFractionalLength, batch,
                   output_, output, context);
        return;
    }

    const std::vector<float> values = input.toFloat();
    std::vector<float> sums(size_t(batch) * g.outSize(), 0.0f);
    context.pool.parallelFor(size_t(batch), [&](size_t first, size_t last) {
        std::vector<float> column(size_t(rows) * positions);
        for (size_t n = first; n < last; ++n) {
            unfold(g, values.data() + n * g.inSize(), column.data(), false);
            float* out = sums.data() + n * g.outSize();
            multiplyAdd(weight_.values.data(), column.data(), out, g.outChannels, rows, positions);
            for (int co = 0; co < g.outChannels; ++co)
                for (int p = 0; p < positions; ++p)
                    out[size_t(co) * positions + p] += biasValue(size_t(co));
        }
    });
    storeFloat(TensorKind::Activations, RandomTensor::Activations, sums, batch, output_, output, context);
}

void ConvolutionLayer::backward(const Tensor& input, const Tensor&, const Tensor& gradientOutput,
                                Tensor* gradientInput, LayerContext& context)
{
    backwardWeights(input, gradientOutput, context);
    if (gradientInput)
        backwardInput(gradientOutput, *gradientInput, context);
}

void ConvolutionLayer::backwardWeights(const Tensor& input, const Tensor& gradientOutput, LayerContext& context)
{
    const Geometry g = geometryOf(spec_, input_, output_);
    const int batch = input.batch;
    const int rows = g.columnRows(), positions = g.positions();
    const size_t weightCount = size_t(g.outChannels) * rows;

    // The sum over samples and positions runs in that order for every weight; threads split the
    // output channels, so the order never depends on the thread count.
    if (input.isFixed && gradientOutput.isFixed) {
        const AccumulatorPlan plan =
            planAccumulator(gradientOutput.wordBits, gradientOutput.fractionalLength, input.wordBits,
                            input.fractionalLength, int64_t(batch) * positions);
        std::vector<int32_t> rowsOfSamples(size_t(batch) * positions * rows);
        context.pool.parallelFor(size_t(batch), [&](size_t first, size_t last) {
            for (size_t n = first; n < last; ++n)
                unfold(g, input.codes.data() + n * g.inSize(), rowsOfSamples.data() + n * positions * rows, true);
        });
        std::vector<int64_t> weightSums(weightCount, 0), biasSums(spec_.bias ? size_t(g.outChannels) : 0, 0);
        context.pool.parallelFor(size_t(g.outChannels), [&](size_t first, size_t last) {
            for (int n = 0; n < batch; ++n) {
                const int32_t* gradient = gradientOutput.codes.data() + size_t(n) * g.outSize();
                multiplyAdd(gradient + first * positions, rowsOfSamples.data() + size_t(n) * positions * rows,
                            weightSums.data() + first * rows, int(last - first), positions, rows, plan);
                for (size_t co = first; co < last && spec_.bias; ++co)
                    for (int p = 0; p < positions; ++p)
                        biasSums[co] += gradient[co * positions + p];
            }
        });
        storeGradientsExact(weightSums, plan.resultFractionalLength, biasSums, gradientOutput.fractionalLength,
                            context);
        return;
    }

    const std::vector<float> values = input.toFloat();
    const std::vector<float> gradients = gradientOutput.toFloat();
    std::vector<float> rowsOfSamples(size_t(batch) * positions * rows);
    context.pool.parallelFor(size_t(batch), [&](size_t first, size_t last) {
        for (size_t n = first; n < last; ++n)
            unfold(g, values.data() + n * g.inSize(), rowsOfSamples.data() + n * positions * rows, true);
    });
    std::vector<float> weightSums(weightCount, 0.0f), biasSums(spec_.bias ? size_t(g.outChannels) : 0, 0.0f);
    context.pool.parallelFor(size_t(g.outChannels), [&](size_t first, size_t last) {
        for (int n = 0; n < batch; ++n) {
            const float* gradient = gradients.data() + size_t(n) * g.outSize();
            multiplyAdd(gradient + first * positions, rowsOfSamples.data() + size_t(n) * positions * rows,
                        weightSums.data() + first * rows, int(last - first), positions, rows);
            for (size_t co = first; co < last && spec_.bias; ++co)
                for (int p = 0; p < positions; ++p)
                    biasSums[co] += gradient[co * positions + p];
        }
    });
    storeGradientsFloat(weightSums, biasSums, context);
}

void ConvolutionLayer::backwardInput(const Tensor& gradientOutput, Tensor& gradientInput, LayerContext& context)
{
    const Geometry g = geometryOf(spec_, input_, output_);
    const int batch = gradientOutput.batch;
    const int rows = g.columnRows(), positions = g.positions();

    // input gradient = fold(weight^T * output gradient), per sample.
    if (gradientOutput.isFixed && weightsFixed()) {
        const FixedFormat weights = weightFormat();
        const AccumulatorPlan plan =
            planAccumulator(gradientOutput.wordBits, gradientOutput.fractionalLength, weights.wordBits,
                            weights.fractionalLength, int64_t(g.outChannels) * g.kernel * g.kernel);
        std::vector<int32_t> transposed(weight_.codes.size());
        transpose(weight_.codes.data(), transposed.data(), g.outChannels, rows);
        std::vector<int64_t> sums(size_t(batch) * g.inSize(), 0);
        context.pool.parallelFor(size_t(batch), [&](size_t first, size_t last) {
            std::vector<int64_t> column(size_t(rows) * positions);
            for (size_t n = first; n < last; ++n) {
                std::fill(column.begin(), column.end(), 0);
                multiplyAdd(transposed.data(), gradientOutput.codes.data() + n * g.outSize(), column.data(), rows,
                            g.outChannels, positions, plan);
                fold(g, column.data(), sums.data() + n * g.inSize());
            }
        });
        storeExact(TensorKind::ActivationGradients, RandomTensor::ActivationGradients, sums,
                   plan.resultFractionalLength, batch, input_, gradientInput, context);
        return;
    }

    const std::vector<float> gradients = gradientOutput.toFloat();
    std::vector<float> transposed(weight_.values.size());
    transpose(weight_.values.data(), transposed.data(), g.outChannels, rows);
    std::vector<float> sums(size_t(batch) * g.inSize(), 0.0f);
    context.pool.parallelFor(size_t(batch), [&](size_t first, size_t last) {
        std::vector<float> column(size_t(rows) * positions);
        for (size_t n = first; n < last; ++n) {
            std::fill(column.begin(), column.end(), 0.0f);
            multiplyAdd(transposed.data(), gradients.data() + n * g.outSize(), column.data(), rows, g.outChannels,
                        positions);
            fold(g, column.data(), sums.data() + n * g.inSize());
        }
    });
    storeFloat(TensorKind::ActivationGradients, RandomTensor::ActivationGradients, sums, batch, input_,
               gradientInput, context);
}

} // namespace fxlab
