// Every layer's float backward pass against central finite differences of its forward pass.
#include "layer_test_support.h"

#include "backend/cpu/softmax_cross_entropy_layer.h"

#include <QTest>

using namespace fxlab;
using namespace fxlab::testing;

Q_DECLARE_METATYPE(fxlab::LayerSpec)
Q_DECLARE_METATYPE(fxlab::Shape)

namespace {

// Input values with gaps of at least 2 / count between any two, so that a finite-difference step
// of 1e-3 never changes which pooling input is the largest or which ReLU input is positive.
std::vector<float> separatedValues(size_t count, uint64_t seed)
{
    std::vector<uint32_t> order(count);
    for (size_t i = 0; i < count; ++i)
        order[i] = uint32_t(i);
    const RandomStream stream{seed, 0, 2, RandomTensor::Shuffle};
    for (size_t i = count; i-- > 1;)
        std::swap(order[i], order[size_t((uint64_t(stream.bits(uint32_t(i))) * (i + 1)) >> 32)]);
    std::vector<float> values(count);
    for (size_t i = 0; i < count; ++i)
        values[i] = (float(order[i]) + 0.5f) / float(count) * 2.0f - 1.0f;
    return values;
}

class GradientProbe {
public:
    GradientProbe(LayerUnderTest& subject, int batch, std::vector<float> input, std::vector<float> upstream)
        : subject_(subject), batch_(batch), input_(std::move(input)), upstream_(std::move(upstream))
    {
    }

    // The objective sum(upstream * output) for the current input and parameters.
    double objective()
    {
        Tensor output;
        LayerContext context{pool_};
        subject_.layer->forward(floatTensor(batch_, subject_.input, input_), output, context);
        double sum = 0;
        for (size_t i = 0; i < output.values.size(); ++i)
            sum += double(upstream_[i]) * double(output.values[i]);
        return sum;
    }

    std::vector<float> inputGradient()
    {
        Tensor output, gradient;
        LayerContext context{pool_};
        const Tensor input = floatTensor(batch_, subject_.input, input_);
        subject_.layer->forward(input, output, context);
        subject_.layer->backward(input, output, floatTensor(batch_, subject_.output, upstream_), &gradient, context);
        return gradient.values;
    }

    double numericInputGradient(size_t index, float step)
    {
        const float original = input_[index];
        input_[index] = original + step;
        const double above = objective();
        input_[index] = original - step;
        const double below = objective();
        input_[index] = original;
        return (above - below) / (2.0 * double(step));
    }

    // Perturbs weight (or bias) `index` through the layer's state.
    double numericParameterGradient(bool bias, size_t index, float step)
    {
        std::vector<float>& parameters = bias ? subject_.state.biases : subject_.state.weights;
        const float original = parameters[index];
        parameters[index] = original + step;
        subject_.layer->loadState(subject_.state);
        const double above = objective();
        parameters[index] = original - step;
        subject_.layer->loadState(subject_.state);
        const double below = objective();
        parameters[index] = original;
        subject_.layer->loadState(subject_.state);
        return (above - below) / (2.0 * double(step));
    }

private:
    LayerUnderTest& subject_;
    int batch_;
    std::vector<float> input_;
    std::vector<float> upstream_;
    ThreadPool pool_{2};
};

bool close(double actual, double expected)
{
    return std::abs(actual - expected) <= 2e-3 + 1e-2 * std::abs(expected);
}

} // namespace

class LayerGradientTest : public QObject {
    Q_OBJECT

private slots:
    void matchesFiniteDifferences_data();
    void matchesFiniteDifferences();
    void lossMatchesFiniteDifferences();
};

void LayerGradientTest::matchesFiniteDifferences_data()
{
    QTest::addColumn<LayerSpec>("spec");
    QTest::addColumn<Shape>("input");
    QTest::addColumn<int>("batch");

    QTest::newRow("convolution 3x3") << convolution("conv", 4, 3) << Shape{3, 7, 7} << 2;
    QTest::newRow("convolution stride 2 padding 1") << convolution("conv", 5, 3, 2, 1) << Shape{7, 13, 13} << 3;
    QTest::newRow("convolution kernel larger than map") << convolution("conv", 2, 5, 1, 2) << Shape{3, 3, 3} << 2;
    QTest::newRow("convolution no bias") << [] {
        LayerSpec spec = convolution("conv", 3, 2);
        spec.bias = false;
        return spec;
    }() << Shape{2, 5, 5} << 2;
    QTest::newRow("dense") << dense("dense", 7) << Shape{13, 1, 1} << 3;
    QTest::newRow("relu") << relu("relu") << Shape{3, 5, 5} << 2;
    QTest::newRow("max-pool") << maxPool("pool") << Shape{3, 6, 6} << 2;
    QTest::newRow("max-pool odd") << maxPool("pool") << Shape{2, 7, 5} << 2;
    QTest::newRow("average-pool") << averagePool("pool") << Shape{3, 7, 6} << 2;
    QTest::newRow("flatten") << flatten("flatten") << Shape{3, 4, 2} << 2;
}

void LayerGradientTest::matchesFiniteDifferences()
{
    QFETCH(LayerSpec, spec);
    QFETCH(Shape, input);
    QFETCH(int, batch);

    LayerUnderTest subject = makeLayer(spec, input, floatLayerPrecision());
    GradientProbe probe(subject, batch, separatedValues(size_t(batch) * input.size(), 11),
                        randomValues(size_t(batch) * subject.output.size(), 12));
    constexpr float kStep = 1e-3f;

    const std::vector<float> inputGradient = probe.inputGradient();
    QCOMPARE(inputGradient.size(), size_t(batch) * input.size());
    for (size_t i = 0; i < inputGradient.size(); ++i) {
        const double expected = probe.numericInputGradient(i, kStep);
        QVERIFY2(close(inputGradient[i], expected),
                 qPrintable(QString("input %1: backward %2, finite difference %3").arg(i).arg(inputGradient[i]).arg(expected)));
    }

    auto* weighted = dynamic_cast<WeightedLayer*>(subject.layer.get());
    if (!weighted)
        return;
    const std::vector<float> weightGradient = weighted->weightGradients();
    const std::vector<float> biasGradient = weighted->biasGradients();
    QCOMPARE(weightGradient.size(), subject.state.weights.size());
    QCOMPARE(biasGradient.size(), subject.state.biases.size());
    for (size_t i = 0; i < weightGradient.size(); ++i) {
        const double expected = probe.numericParameterGradient(false, i, kStep);
        QVERIFY2(close(weightGradient[i], expected),
                 qPrintable(QString("weight %1: backward %2, finite difference %3").arg(i).arg(weightGradient[i]).arg(expected)));
    }
    for (size_t i = 0; i < biasGradient.size(); ++i) {
        const double expected = probe.numericParameterGradient(true, i, kStep);
        QVERIFY2(close(biasGradient[i], expected),
                 qPrintable(QString("bias %1: backward %2, finite difference %3").arg(i).arg(biasGradient[i]).arg(expected)));
    }
}

void LayerGradientTest::lossMatchesFiniteDifferences()
{
    constexpr int kBatch = 3, kClasses = 10;
    const Shape shape{kClasses, 1, 1};
    SoftmaxCrossEntropyLayer loss(softmaxCrossEntropy("loss"), 0, shape, shape, floatLayerPrecision());
    ThreadPool pool(1);
    std::vector<float> logits = randomValues(kBatch * kClasses, 21);
    for (float& logit : logits)
        logit *= 3.0f;
    const uint8_t labels[kBatch] = {3, 0, 9};

    const auto meanLoss = [&] {
        LayerContext context{pool};
        return loss.evaluate(floatTensor(kBatch, shape, logits), labels, nullptr, context).lossSum / kBatch;
    };

    // The loss value itself against the textbook formula in double precision.
    double expectedSum = 0;
    for (int n = 0; n < kBatch; ++n) {
        double normalizer = 0;
        for (int c = 0; c < kClasses; ++c)
            normalizer += std::exp(double(logits[size_t(n * kClasses + c)]));
        expectedSum += std::log(normalizer) - double(logits[size_t(n * kClasses + labels[n])]);
    }
    QVERIFY2(std::abs(meanLoss() - expectedSum / kBatch) < 1e-5,
             qPrintable(QString("loss %1, expected %2").arg(meanLoss()).arg(expectedSum / kBatch)));

    Tensor gradient;
    LayerContext context{pool};
    loss.evaluate(floatTensor(kBatch, shape, logits), labels, &gradient, context);
    constexpr float kStep = 1e-2f;
    for (size_t i = 0; i < logits.size(); ++i) {
        const float original = logits[i];
        logits[i] = original + kStep;
        const double above = meanLoss();
        logits[i] = original - kStep;
        const double below = meanLoss();
        logits[i] = original;
        const double expected = (above - below) / (2.0 * kStep);
        QVERIFY2(std::abs(gradient.values[i] - expected) < 1e-3,
                 qPrintable(QString("logit %1: backward %2, finite difference %3").arg(i).arg(gradient.values[i]).arg(expected)));
    }
}

QTEST_APPLESS_MAIN(LayerGradientTest)
#include "test_layer_gradients.moc"
