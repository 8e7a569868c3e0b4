// Fixed-point layers: the integer path against naive integer loops bit for bit, and wide formats
// against their float twins within the error that their steps allow.
#include "layer_test_support.h"

#include "backend/accumulator_plan.h"
#include "backend/cpu/dense_layer.h"

#include <QTest>

using namespace fxlab;
using namespace fxlab::testing;

Q_DECLARE_METATYPE(fxlab::RoundingMode)

namespace {

constexpr uint64_t kSeed = 5;
constexpr uint32_t kStep = 3;

LayerPrecision fixedPrecision(int weightBits, int weightFl, int biasBits, int biasFl, int activationBits,
                              int activationFl, int gradientBits, int gradientFl, int weightGradientBits,
                              int weightGradientFl, RoundingMode rounding)
{
    LayerPrecision precision;
    precision[size_t(TensorKind::Weights)] = TensorPrecision::fixed(weightBits, weightFl);
    precision[size_t(TensorKind::Biases)] = TensorPrecision::fixed(biasBits, biasFl);
    precision[size_t(TensorKind::Activations)] = TensorPrecision::fixed(activationBits, activationFl, rounding);
    precision[size_t(TensorKind::ActivationGradients)] = TensorPrecision::fixed(gradientBits, gradientFl, rounding);
    precision[size_t(TensorKind::WeightGradients)] =
        TensorPrecision::fixed(weightGradientBits, weightGradientFl, rounding);
    return precision;
}

std::vector<int32_t> codesOf(const std::vector<float>& values, FixedFormat format)
{
    std::vector<int32_t> codes(values.size());
    for (size_t i = 0; i < values.size(); ++i)
        codes[i] = quantize(values[i], {format, RoundingMode::NearestEven, OverflowMode::Saturate}).code;
    return codes;
}

// Random codes spread over the whole range of `wordBits`, both ends included.
std::vector<int32_t> randomCodes(size_t count, int wordBits, uint64_t seed)
{
    const RandomStream stream{seed, 0, 3, RandomTensor::Initialization};
    std::vector<int32_t> codes(count);
    const int64_t span = int64_t{1} << wordBits;
    for (size_t i = 0; i < count; ++i)
        codes[i] = int32_t(int64_t((uint64_t(stream.bits(uint32_t(i))) * uint64_t(span)) >> 32) - span / 2);
    return codes;
}

Tensor codeTensor(int batch, Shape shape, std::vector<int32_t> codes, FixedFormat format)
{
    Tensor tensor;
    tensor.resizeFixed(batch, shape, format);
    tensor.codes = std::move(codes);
    return tensor;
}

// Rounds exact sums the way a layer's output stage must: element i draws random bits i.
std::vector<int32_t> requantizeAll(const std::vector<int64_t>& sums, int fractionalLength, const TensorPrecision& precision,
                                   RandomTensor tensor)
{
    const RandomStream stream{kSeed, kStep, 0, tensor};
    std::vector<int32_t> codes(sums.size());
    for (size_t i = 0; i < sums.size(); ++i)
        codes[i] = requantize(sums[i], fractionalLength, precision.spec, stream.bits(uint32_t(i))).code;
    return codes;
}

LayerContext contextWith(ThreadPool& pool)
{
    LayerContext context{pool};
    context.seed = kSeed;
    context.step = kStep;
    return context;
}

} // namespace

class FixedLayerTest : public QObject {
    Q_OBJECT

private slots:
    void plansAccumulators();
    void convolutionIsExact_data();
    void convolutionIsExact();
    void denseIsExact_data();
    void denseIsExact();
    void wideConvolutionFollowsFloat();
    void widestFormatsStayBounded();
};

void FixedLayerTest::plansAccumulators()
{
    // 8-bit by 8-bit over 200 terms: at most 200 * 2^14, which int32 holds.
    const AccumulatorPlan narrow = planAccumulator(8, 7, 8, 6, 200);
    QVERIFY(!narrow.wide);
    QCOMPARE(narrow.resultFractionalLength, 13);
    QCOMPARE(narrow.productShift, 0);

    // 16-bit gradients by 8-bit inputs over 36864 terms: int64, in int32 blocks of 511 terms.
    const AccumulatorPlan wide = planAccumulator(16, 20, 8, 7, 36864);
    QVERIFY(wide.wide);
    QCOMPARE(wide.blockTerms, int64_t(511));
    QCOMPARE(wide.productShift, 0);

    // A bias with a finer step shifts the sum up instead of losing its own bits.
    const AccumulatorPlan withBias = planAccumulator(8, 4, 8, 6, 25, FixedFormat{16, 14});
    QCOMPARE(withBias.resultFractionalLength, 14);
    QCOMPARE(withBias.sumShift, 4);
    QCOMPARE(withBias.biasShift, 0);
    const AccumulatorPlan coarseBias = planAccumulator(8, 4, 8, 6, 25, FixedFormat{16, 3});
    QCOMPARE(coarseBias.resultFractionalLength, 10);
    QCOMPARE(coarseBias.biasShift, 7);

    // 32-bit by 32-bit over 63 terms exceeds int64: six low bits of each product are dropped.
    const AccumulatorPlan widest = planAccumulator(32, 20, 32, 20, 63);
    QVERIFY(widest.wide);
    QCOMPARE(widest.productShift, 6);
    QCOMPARE(widest.resultFractionalLength, 34);
    QCOMPARE(widest.blockTerms, int64_t(0));
}

void FixedLayerTest::convolutionIsExact_data()
{
    QTest::addColumn<RoundingMode>("rounding");
    QTest::newRow("nearest-even") << RoundingMode::NearestEven;
    QTest::newRow("nearest-away") << RoundingMode::NearestAway;
    QTest::newRow("floor") << RoundingMode::Floor;
    QTest::newRow("toward-zero") << RoundingMode::TowardZero;
    QTest::newRow("stochastic") << RoundingMode::Stochastic;
}

void FixedLayerTest::convolutionIsExact()
{
    QFETCH(RoundingMode, rounding);
    // Awkward sizes: batch 3, 7 channels, 13x13 maps, stride 2 and padding 2.
    const LayerSpec spec = convolution("conv", 5, 5, 2, 2);
    const Shape inputShape{7, 13, 13};
    constexpr int kBatch = 3;
    const LayerPrecision precision = fixedPrecision(8, 7, 16, 12, 8, 3, 8, 9, 16, 8, rounding);
    LayerUnderTest subject = makeLayer(spec, inputShape, precision);
    ThreadPool pool(3);
    LayerContext context = contextWith(pool);

    const FixedFormat inputFormat{8, 6};
    const Tensor input = codeTensor(kBatch, inputShape, randomCodes(kBatch * inputShape.size(), 8, 1), inputFormat);
    Tensor output;
    subject.layer->forward(input, output, context);

    const std::vector<int32_t> weights = codesOf(subject.state.weights, {8, 7});
    const std::vector<int32_t> biases = codesOf(subject.state.biases, {16, 12});
    // Products have fl 13, the bias fl 12: the bias moves up one bit.
    const std::vector<int64_t> sums = naiveConvolution<int64_t>(
        spec, inputShape, subject.output, kBatch, [&](size_t i) { return input.codes[i]; },
        [&](size_t i) { return weights[i]; }, [&](int co) { return int64_t(biases[size_t(co)]) * 2; });
    QCOMPARE(output.fractionalLength, 3);
    QCOMPARE(output.codes, requantizeAll(sums, 13, precision[size_t(TensorKind::Activations)], RandomTensor::Activations));

    // Backward: the error sent down and the weight gradients, from random 8-bit output gradients.
    const FixedFormat gradientFormat{8, 7};
    const Tensor gradient =
        codeTensor(kBatch, subject.output, randomCodes(kBatch * subject.output.size(), 8, 2), gradientFormat);
    Tensor inputGradient;
    subject.layer->backward(input, output, gradient, &inputGradient, context);

    std::vector<int64_t> inputSums(input.codes.size(), 0);
    std::vector<int64_t> weightSums(weights.size(), 0);
    const Shape out = subject.output;
    for (int n = 0; n < kBatch; ++n)
        for (int co = 0; co < out.channels; ++co)
            for (int y = 0; y < out.height; ++y)
                for (int x = 0; x < out.width; ++x)
                    for (int ci = 0; ci < inputShape.channels; ++ci)
                        for (int ky = 0; ky < spec.kernel; ++ky)
                            for (int kx = 0; kx < spec.kernel; ++kx) {
                                const int iy = y * spec.stride - spec.padding + ky, ix = x * spec.stride - spec.padding + kx;
                                if (iy < 0 || iy >= inputShape.height || ix < 0 || ix >= inputShape.width)
                                    continue;
                                const size_t inputIndex = ((size_t(n) * inputShape.channels + ci) * inputShape.height + iy) * inputShape.width + ix;
                                const size_t weightIndex = ((size_t(co) * inputShape.channels + ci) * spec.kernel + ky) * spec.kernel + kx;
                                const int64_t g = gradient.codes[((size_t(n) * out.channels + co) * out.height + y) * out.width + x];
                                inputSums[inputIndex] += g * weights[weightIndex];
                                weightSums[weightIndex] += g * input.codes[inputIndex];
                            }
    QCOMPARE(inputGradient.codes, requantizeAll(inputSums, 14, precision[size_t(TensorKind::ActivationGradients)],
                                                RandomTensor::ActivationGradients));

    auto* weighted = dynamic_cast<WeightedLayer*>(subject.layer.get());
    const std::vector<int32_t> expectedWeightGradients =
        requantizeAll(weightSums, 13, precision[size_t(TensorKind::WeightGradients)], RandomTensor::WeightGradients);
    for (size_t i = 0; i < expectedWeightGradients.size(); ++i)
        QCOMPARE(weighted->weightGradients()[i], dequantize(expectedWeightGradients[i], 8));
}

void FixedLayerTest::denseIsExact_data()
{
    convolutionIsExact_data();
}

void FixedLayerTest::denseIsExact()
{
    QFETCH(RoundingMode, rounding);
    const LayerSpec spec = dense("dense", 11);
    const Shape inputShape{37, 1, 1};
    constexpr int kBatch = 5;
    const LayerPrecision precision = fixedPrecision(6, 5, 12, 3, 10, 6, 7, 10, 12, 9, rounding);
    LayerUnderTest subject = makeLayer(spec, inputShape, precision);
    ThreadPool pool(2);
    LayerContext context = contextWith(pool);

    const Tensor input = codeTensor(kBatch, inputShape, randomCodes(kBatch * 37, 9, 4), {9, 4});
    Tensor output;
    subject.layer->forward(input, output, context);
    const std::vector<int32_t> weights = codesOf(subject.state.weights, {6, 5});
    const std::vector<int32_t> biases = codesOf(subject.state.biases, {12, 3});

    // Products have fl 9 and the bias fl 3, so the bias moves up six bits.
    std::vector<int64_t> sums(kBatch * 11, 0);
    for (int n = 0; n < kBatch; ++n)
        for (int j = 0; j < 11; ++j) {
            for (int i = 0; i < 37; ++i)
                sums[size_t(n * 11 + j)] += int64_t(input.codes[size_t(n * 37 + i)]) * weights[size_t(j * 37 + i)];
            sums[size_t(n * 11 + j)] += int64_t(biases[size_t(j)]) << 6;
        }
    QCOMPARE(output.codes, requantizeAll(sums, 9, precision[size_t(TensorKind::Activations)], RandomTensor::Activations));

    const Tensor gradient = codeTensor(kBatch, subject.output, randomCodes(kBatch * 11, 7, 5), {7, 8});
    Tensor inputGradient;
    subject.layer->backward(input, output, gradient, &inputGradient, context);
    std::vector<int64_t> inputSums(kBatch * 37, 0), weightSums(11 * 37, 0), biasSums(11, 0);
    for (int n = 0; n < kBatch; ++n)
        for (int j = 0; j < 11; ++j) {
            const int64_t g = gradient.codes[size_t(n * 11 + j)];
            biasSums[size_t(j)] += g;
            for (int i = 0; i < 37; ++i) {
                inputSums[size_t(n * 37 + i)] += g * weights[size_t(j * 37 + i)];
                weightSums[size_t(j * 37 + i)] += g * input.codes[size_t(n * 37 + i)];
            }
        }
    QCOMPARE(inputGradient.codes, requantizeAll(inputSums, 13, precision[size_t(TensorKind::ActivationGradients)],
                                                RandomTensor::ActivationGradients));
    auto* weighted = dynamic_cast<WeightedLayer*>(subject.layer.get());
    const auto expectedWeights =
        requantizeAll(weightSums, 12, precision[size_t(TensorKind::WeightGradients)], RandomTensor::WeightGradients);
    const auto expectedBiases =
        requantizeAll(biasSums, 8, precision[size_t(TensorKind::WeightGradients)], RandomTensor::BiasGradients);
    for (size_t i = 0; i < expectedWeights.size(); ++i)
        QCOMPARE(weighted->weightGradients()[i], dequantize(expectedWeights[i], 9));
    for (size_t i = 0; i < expectedBiases.size(); ++i)
        QCOMPARE(weighted->biasGradients()[i], dequantize(expectedBiases[i], 9));
}

void FixedLayerTest::wideConvolutionFollowsFloat()
{
    // 24-bit formats: the only differences from float are the steps of the inputs, weights, bias
    // and output. Each input and weight is off by at most half its step, so the output can be off by
    // sum(|w| dx + |x| dw + dx dw) + db + half an output step.
    const LayerSpec spec = convolution("conv", 5, 3, 2, 1);
    const Shape inputShape{7, 13, 13};
    constexpr int kBatch = 3;
    const int inputFl = 20, weightFl = 22, biasFl = 22, outputFl = 18;
    const LayerPrecision precision =
        fixedPrecision(24, weightFl, 24, biasFl, 24, outputFl, 24, 20, 24, 16, RoundingMode::NearestEven);
    LayerUnderTest fixedSubject = makeLayer(spec, inputShape, precision);
    LayerUnderTest floatSubject = makeLayer(spec, inputShape, floatLayerPrecision());
    ThreadPool pool(2);
    LayerContext context = contextWith(pool);

    const std::vector<float> values = randomValues(kBatch * inputShape.size(), 8);
    Tensor fixedOutput, floatOutput;
    fixedSubject.layer->forward(fixedTensor(kBatch, inputShape, values, {24, inputFl}), fixedOutput, context);
    floatSubject.layer->forward(floatTensor(kBatch, inputShape, values), floatOutput, context);

    const double dx = std::ldexp(0.5, -inputFl), dw = std::ldexp(0.5, -weightFl), db = std::ldexp(0.5, -biasFl);
    const std::vector<double> bound = naiveConvolution<double>(
        spec, inputShape, fixedSubject.output, kBatch, [&](size_t) { return 1.0; },
        [&](size_t i) { return std::abs(fixedSubject.state.weights[i]) * dx + dw + dx * dw; },
        [&](int) { return db + std::ldexp(0.5, -outputFl); });
    const std::vector<double> magnitude = naiveConvolution<double>(
        spec, inputShape, fixedSubject.output, kBatch, [&](size_t i) { return std::abs(values[i]); },
        [&](size_t i) { return std::abs(fixedSubject.state.weights[i]); }, [&](int) { return 1.0; });

    double largestRatio = 0;
    for (size_t i = 0; i < floatOutput.values.size(); ++i) {
        const double difference = std::abs(double(fixedOutput.valueAt(i)) - double(floatOutput.values[i]));
        // The float twin has rounding errors of its own, a few units in the last place per term.
        const double allowed = bound[i] + 1e-6 * magnitude[i];
        largestRatio = std::max(largestRatio, difference / allowed);
        QVERIFY2(difference <= allowed,
                 qPrintable(QString("output %1: fixed %2, float %3, allowed %4").arg(i).arg(fixedOutput.valueAt(i), 0, 'g', 10)
                                .arg(floatOutput.values[i], 0, 'g', 10).arg(allowed)));
    }
    // The bound is not so loose that anything passes: the worst case uses a good part of it.
    QVERIFY2(largestRatio > 0.05, qPrintable(QString("largest error is %1 of the bound").arg(largestRatio)));
}

void FixedLayerTest::widestFormatsStayBounded()
{
    // 32-bit inputs and weights over 63 terms would overflow int64; the plan drops six low bits of
    // each product (floor), so each output can be at most 63 * 2^-34 below the exact sum.
    const LayerSpec spec = convolution("conv", 2, 3, 1, 1);
    const Shape inputShape{7, 5, 5};
    constexpr int kBatch = 2;
    const LayerPrecision precision =
        fixedPrecision(32, 20, 32, 20, 32, 20, 32, 20, 32, 20, RoundingMode::NearestEven);
    LayerUnderTest subject = makeLayer(spec, inputShape, precision);
    ThreadPool pool(1);
    LayerContext context = contextWith(pool);

    // Codes of up to 24 bits keep the sums inside the range; the plan still assumes 32-bit codes.
    const std::vector<int32_t> inputCodes = randomCodes(kBatch * inputShape.size(), 24, 9);
    const Tensor input = codeTensor(kBatch, inputShape, inputCodes, {32, 20});
    Tensor output;
    subject.layer->forward(input, output, context);

    const std::vector<int32_t> weights = codesOf(subject.state.weights, {32, 20});
    const std::vector<int32_t> biases = codesOf(subject.state.biases, {32, 20});
    const std::vector<long double> exact = naiveConvolution<long double>(
        spec, inputShape, subject.output, kBatch, [&](size_t i) { return std::ldexp((long double)inputCodes[i], -20); },
        [&](size_t i) { return std::ldexp((long double)weights[i], -20); },
        [&](int co) { return std::ldexp((long double)biases[size_t(co)], -20); });
    const long double step = std::ldexp(1.0L, -20);
    for (size_t i = 0; i < exact.size(); ++i) {
        QVERIFY2(std::abs(exact[i]) < std::ldexp(1.0L, 11) - step, "the test data must not saturate");
        const long double difference = std::abs((long double)output.codes[i] * step - exact[i]);
        QVERIFY2(difference <= step / 2 + 63 * std::ldexp(1.0L, -34),
                 qPrintable(QString("output %1 off by %2").arg(i).arg(double(difference))));
    }
}

QTEST_APPLESS_MAIN(FixedLayerTest)
#include "test_fixed_layers.moc"
