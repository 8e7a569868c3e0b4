// Every Vulkan layer kernel against the CPU reference layer it reproduces, bit for bit: forward,
// backward to the input, weight gradients and the SGD update. The shapes are awkward (batch 3,
// 13x13 maps, 7 channels, a kernel larger than its map). The cases cover every rounding and
// overflow mode and word sizes 2 to 16 and 24, with manual formats that saturate and with max-abs
// formats chosen on the device. Validation is on, and any validation message fails the test that
// caused it.
#include "layer_test_support.h"
#include "vulkan_test_support.h"

#include "backend/cpu/softmax_cross_entropy_layer.h"
#include "backend/vulkan/vulkan_context.h"
#include "backend/vulkan/vulkan_kernels.h"

#include <QTest>

#include <bit>
#include <cmath>
#include <memory>
#include <optional>

using namespace fxlab;
using namespace fxlab::testing;

Q_DECLARE_METATYPE(fxlab::RoundingMode)
Q_DECLARE_METATYPE(fxlab::OverflowMode)

namespace {

constexpr uint64_t kSeed = 11;
constexpr uint32_t kStep = 4;
constexpr int kBatch = 3;

constexpr RoundingMode kRoundingModes[] = {RoundingMode::NearestEven, RoundingMode::NearestAway, RoundingMode::Floor,
                                           RoundingMode::TowardZero, RoundingMode::Stochastic};
constexpr OverflowMode kOverflowModes[] = {OverflowMode::Saturate, OverflowMode::SymmetricSaturate,
                                           OverflowMode::Wrap};

std::vector<int> wordBitsUnderTest()
{
    std::vector<int> wordBits;
    for (int bits = 2; bits <= 16; ++bits)
        wordBits.push_back(bits);
    wordBits.push_back(24);
    return wordBits;
}

// How the tensors of one case are represented and how their formats are chosen.
struct Setting {
    int wordBits = 8;
    RoundingMode rounding = RoundingMode::NearestEven;
    OverflowMode overflow = OverflowMode::Saturate;
    // Manual formats with one integer bit, so that sums saturate; otherwise max-abs chosen now.
    bool saturating = false;
    bool floatInput = false;       // the layer's input is float
    bool floatGradient = false;    // the error arriving at the output is float
    bool floatOutputs = false;     // every tensor kind of the layer is float
};

} // namespace

Q_DECLARE_METATYPE(Setting)

namespace {

QString describe(const Setting& setting)
{
    QString text = QString("%1-bit %2 %3 %4")
                       .arg(setting.wordBits)
                       .arg(QString::fromUtf8(toString(setting.rounding).data()))
                       .arg(QString::fromUtf8(toString(setting.overflow).data()))
                       .arg(setting.saturating ? "saturating" : "max-abs");
    if (setting.floatInput)
        text += " float-input";
    if (setting.floatGradient)
        text += " float-error";
    if (setting.floatOutputs)
        text += " float-outputs";
    return text;
}

LayerPrecision precisionFor(const Setting& setting)
{
    LayerPrecision precision;
    if (setting.floatOutputs)
        return precision;
    const int bits = setting.wordBits;
    const auto fixed = [&](int wordBits) {
        const FractionalLengthPolicy policy =
            setting.saturating ? FractionalLengthPolicy::Manual : FractionalLengthPolicy::MaxAbs;
        return TensorPrecision::fixed(wordBits, setting.saturating ? wordBits - 2 : 0, setting.rounding,
                                      setting.overflow, policy);
    };
    precision[size_t(TensorKind::Weights)] = fixed(bits);
    precision[size_t(TensorKind::Biases)] = fixed(std::min(bits + 4, 32));
    precision[size_t(TensorKind::Activations)] = fixed(bits);
    precision[size_t(TensorKind::ActivationGradients)] = fixed(bits);
    precision[size_t(TensorKind::WeightGradients)] = fixed(bits);
    return precision;
}

// Random codes over the whole range of `wordBits`, both ends included.
std::vector<int32_t> randomCodes(size_t count, int wordBits, uint64_t seed)
{
    const RandomStream stream{seed, 0, 3, RandomTensor::Initialization};
    std::vector<int32_t> codes(count);
    const int64_t span = int64_t{1} << wordBits;
    for (size_t i = 0; i < count; ++i)
        codes[i] = int32_t(int64_t((uint64_t(stream.bits(uint32_t(i))) * uint64_t(span)) >> 32) - span / 2);
    return codes;
}

Tensor inputTensor(Shape shape, bool isFloat, int wordBits, int fractionalLength, uint64_t seed)
{
    const size_t count = size_t(kBatch) * shape.size();
    Tensor tensor;
    if (isFloat) {
        tensor.resizeFloat(kBatch, shape);
        tensor.values = randomValues(count, seed);
        return tensor;
    }
    tensor.resizeFixed(kBatch, shape, {wordBits, fractionalLength});
    tensor.codes = randomCodes(count, wordBits, seed);
    return tensor;
}

// One layer through forward, backward and update on both backends; empty when every result
// matches, else the first difference.
QString compareLayer(VulkanKernels& kernels, const LayerSpec& spec, Shape inputShape, const Setting& setting,
                     bool sendsError, bool fixedPointMasterWeights = false)
{
    const LayerPrecision precision = precisionFor(setting);
    LayerUnderTest subject = makeLayer(spec, inputShape, precision);
    if (fixedPointMasterWeights)
        subject.layer = makeCpuLayer(spec, 0, inputShape, subject.output, precision, true);
    subject.layer->loadState(subject.state);
    const int bits = setting.wordBits;
    // The input's fractional length is finer than the saturating formats', so stores round.
    const Tensor input = inputTensor(inputShape, setting.floatInput, bits, bits + 3, 21);
    const Tensor gradient = inputTensor(subject.output, setting.floatGradient, bits, bits + 3, 22);

    ThreadPool pool(2);
    LayerContext context{pool};
    context.seed = kSeed;
    context.step = kStep;
    std::array<bool, kTensorKindCount> allKinds;
    allKinds.fill(true);
    context.formatUpdates = setting.saturating ? nullptr : &allKinds;
    LayerEvents forwardEvents, backwardEvents, updateEvents;

    VulkanLayerHarness device(kernels, spec, inputShape, subject.output, precision, {!setting.floatInput, bits},
                              {!setting.floatGradient, bits}, sendsError, kBatch, fixedPointMasterWeights);
    device.loadState(subject.state);
    device.setInput(input);
    VulkanPass pass;
    pass.seed = kSeed;
    pass.step = kStep;
    pass.batch = kBatch;
    pass.formatUpdates = context.formatUpdates;

    Tensor cpuOutput;
    context.events = &forwardEvents;
    subject.layer->forward(input, cpuOutput, context);
    const Tensor deviceOutput = device.forward(pass);
    if (QString mismatch = compareTensors("forward", cpuOutput, deviceOutput); !mismatch.isEmpty())
        return mismatch;
    for (RandomTensor tensor : {RandomTensor::Weights, RandomTensor::Biases, RandomTensor::Activations})
        if (QString mismatch = compareEvents("forward " + QString::number(int(tensor)), forwardEvents[size_t(tensor)],
                                             device.events(tensor));
            !mismatch.isEmpty())
            return mismatch;

    Tensor cpuError;
    context.events = &backwardEvents;
    subject.layer->backward(input, cpuOutput, gradient, sendsError ? &cpuError : nullptr, context);
    device.setGradientOutput(gradient);
    const std::optional<Tensor> deviceError = device.backward(pass);
    if (deviceError)
        if (QString mismatch = compareTensors("backward to the input", cpuError, *deviceError); !mismatch.isEmpty())
            return mismatch;
    const QuantEvents deviceGradientEvents = [&] {
        QuantEvents events = device.events(RandomTensor::WeightGradients);
        events += device.events(RandomTensor::BiasGradients);
        return events;
    }();
    if (QString mismatch = compareEvents("backward to the input", backwardEvents[size_t(TensorKind::ActivationGradients)],
                                         device.events(RandomTensor::ActivationGradients));
        !mismatch.isEmpty())
        return mismatch;
    if (QString mismatch = compareEvents("weight gradient", backwardEvents[size_t(TensorKind::WeightGradients)],
                                         deviceGradientEvents);
        !mismatch.isEmpty())
        return mismatch;

    StepControl control;
    control.step = kStep;
    control.learningRate = 0.05f;
    control.momentum = 0.9f;
    control.weightDecay = 0.001f;
    context.events = &updateEvents;
    subject.layer->update(control, context);
    device.update(control, pass);
    if (QString mismatch = compareStates(subject.layer->saveState(), device.state()); !mismatch.isEmpty())
        return "after the update: " + mismatch;
    QuantEvents deviceUpdateEvents = device.events(RandomTensor::WeightUpdate);
    deviceUpdateEvents += device.events(RandomTensor::BiasUpdate);
    QuantEvents cpuUpdateEvents = updateEvents[size_t(TensorKind::Weights)];
    cpuUpdateEvents += updateEvents[size_t(TensorKind::Biases)];
    return compareEvents("update", cpuUpdateEvents, deviceUpdateEvents);
}

// Rows of every word size and rounding mode. The overflow mode and saturation rotate from row to
// row, and each layer test starts the rotation elsewhere, so every overflow mode meets every word
// size and rounding mode in some layer test.
void addSettingRows(int rotation)
{
    QTest::addColumn<Setting>("setting");
    int row = rotation;
    for (int bits : wordBitsUnderTest())
        for (RoundingMode rounding : kRoundingModes) {
            Setting setting;
            setting.wordBits = bits;
            setting.rounding = rounding;
            setting.overflow = kOverflowModes[size_t(row % 3)];
            setting.saturating = row % 2 == 0;
            ++row;
            QTest::newRow(qPrintable(describe(setting))) << setting;
        }
    // Float and fixed tensors mixed: float inputs or errors into fixed-point outputs, fixed-point
    // inputs and errors into float outputs, and float everywhere.
    for (int variant = 1; variant < 5; ++variant) {
        Setting setting;
        setting.floatInput = variant == 1 || variant == 3;
        setting.floatGradient = variant == 2 || variant == 3;
        setting.floatOutputs = variant >= 3;
        setting.rounding = RoundingMode::Stochastic;
        QTest::newRow(qPrintable(describe(setting))) << setting;
    }
}

} // namespace

class VulkanLayersTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();

    void convolutionMatchesCpu_data() { addSettingRows(0); }
    void convolutionMatchesCpu();
    void convolutionLargerThanMapMatchesCpu_data() { addSettingRows(1); }
    void convolutionLargerThanMapMatchesCpu();
    void firstConvolutionMatchesCpu();
    void fixedMasterWeightsMatchCpu_data() { addSettingRows(2); }
    void fixedMasterWeightsMatchCpu();
    void denseMatchesCpu_data() { addSettingRows(1); }
    void denseMatchesCpu();
    void reluMatchesCpu_data() { addSettingRows(2); }
    void reluMatchesCpu();
    void maxPoolMatchesCpu_data() { addSettingRows(0); }
    void maxPoolMatchesCpu();
    void averagePoolMatchesCpu_data() { addSettingRows(1); }
    void averagePoolMatchesCpu();
    void flattenMatchesCpu_data() { addSettingRows(2); }
    void flattenMatchesCpu();
    void softmaxMatchesCpu_data() { addSettingRows(0); }
    void softmaxMatchesCpu();

private:
    std::shared_ptr<const ValidationMessageLog> messageLog_;
    std::unique_ptr<VulkanContext> context_;
    std::unique_ptr<VulkanKernels> kernels_;
};

void VulkanLayersTest::initTestCase()
{
    VulkanContextOptions options;
    options.validation = true;
    context_ = std::make_unique<VulkanContext>(options);
    messageLog_ = context_->validationMessageLog();
    kernels_ = std::make_unique<VulkanKernels>(*context_, 64);
    qInfo("device: %s", describe(context_->deviceInfo()).c_str());
}

void VulkanLayersTest::cleanup()
{
    const ValidationMessageLog::Snapshot messages = context_->validationMessages();
    context_->clearValidationMessages();
    QVERIFY2(messages.total() == 0, qPrintable(joinValidationMessages(messages)));
}

void VulkanLayersTest::cleanupTestCase()
{
    kernels_.reset();
    context_.reset();
    const ValidationMessageLog::Snapshot messages = messageLog_->snapshot();
    QVERIFY2(messages.total() == 0, qPrintable(joinValidationMessages(messages)));
}

void VulkanLayersTest::convolutionMatchesCpu()
{
    QFETCH(Setting, setting);
    // 7 channels of 13x13, stride 2 and padding 2: 5 filters of 7x7 outputs.
    const QString mismatch = compareLayer(*kernels_, convolution("conv", 5, 5, 2, 2), {7, 13, 13}, setting, true);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void VulkanLayersTest::convolutionLargerThanMapMatchesCpu()
{
    QFETCH(Setting, setting);
    // A 5x5 kernel on a 3x3 map with padding 2, without bias.
    LayerSpec spec = convolution("conv", 6, 5, 1, 2);
    spec.bias = false;
    const QString mismatch = compareLayer(*kernels_, spec, {7, 3, 3}, setting, true);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void VulkanLayersTest::firstConvolutionMatchesCpu()
{
    // The first layer computes weight gradients but sends no error down.
    Setting setting;
    setting.rounding = RoundingMode::Stochastic;
    const QString mismatch = compareLayer(*kernels_, convolution("conv", 8, 5), {1, 13, 13}, setting, false);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void VulkanLayersTest::fixedMasterWeightsMatchCpu()
{
    QFETCH(Setting, setting);
    const QString mismatch = compareLayer(*kernels_, convolution("conv", 5, 3, 1, 1), {7, 13, 13}, setting, true, true);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void VulkanLayersTest::denseMatchesCpu()
{
    QFETCH(Setting, setting);
    const QString mismatch = compareLayer(*kernels_, dense("dense", 13), {63, 1, 1}, setting, true);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void VulkanLayersTest::reluMatchesCpu()
{
    QFETCH(Setting, setting);
    const QString mismatch = compareLayer(*kernels_, relu("relu"), {7, 13, 13}, setting, true);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void VulkanLayersTest::maxPoolMatchesCpu()
{
    QFETCH(Setting, setting);
    // Odd maps: the last row and column take no part. Few-bit codes make ties.
    const QString mismatch = compareLayer(*kernels_, maxPool("pool"), {7, 13, 13}, setting, true);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void VulkanLayersTest::averagePoolMatchesCpu()
{
    QFETCH(Setting, setting);
    const QString mismatch = compareLayer(*kernels_, averagePool("pool"), {7, 13, 13}, setting, true);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void VulkanLayersTest::flattenMatchesCpu()
{
    QFETCH(Setting, setting);
    const QString mismatch = compareLayer(*kernels_, flatten("flatten"), {7, 3, 3}, setting, true);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void VulkanLayersTest::softmaxMatchesCpu()
{
    QFETCH(Setting, setting);
    const Shape logitsShape{13, 1, 1};
    const LayerPrecision precision = precisionFor(setting);
    LayerUnderTest subject = makeLayer(softmaxCrossEntropy("loss"), logitsShape, precision);
    auto& cpu = static_cast<SoftmaxCrossEntropyLayer&>(*subject.layer);
    const Tensor logits = inputTensor(logitsShape, setting.floatInput, setting.wordBits, setting.wordBits / 2, 31);
    const std::vector<uint8_t> labels{3, 12, 0};

    ThreadPool pool(1);
    LayerContext context{pool};
    context.seed = kSeed;
    context.step = kStep;
    std::array<bool, kTensorKindCount> allKinds;
    allKinds.fill(true);
    context.formatUpdates = setting.saturating ? nullptr : &allKinds;
    LayerEvents events;
    context.events = &events;
    Tensor cpuError;
    const SoftmaxCrossEntropyLayer::Result cpuResult = cpu.evaluate(logits, labels.data(), &cpuError, context);

    VulkanLayerHarness device(*kernels_, softmaxCrossEntropy("loss"), logitsShape, logitsShape, precision,
                              {!setting.floatInput, setting.wordBits}, {true, 8}, true, kBatch);
    device.loadState(subject.state);
    device.setInput(logits);
    device.setLabels(labels);
    VulkanPass pass;
    pass.seed = kSeed;
    pass.step = kStep;
    pass.batch = kBatch;
    pass.formatUpdates = context.formatUpdates;
    const VulkanLayerHarness::LossResult deviceResult = device.loss(pass, true);

    double deviceLossSum = 0;
    for (float loss : deviceResult.losses)
        deviceLossSum += double(loss);
    QCOMPARE(std::bit_cast<uint64_t>(deviceLossSum), std::bit_cast<uint64_t>(cpuResult.lossSum));
    for (int n = 0; n < kBatch; ++n)
        QCOMPARE(deviceResult.predictions[size_t(n)], uint32_t(cpuResult.predictions[size_t(n)]));
    const QString mismatch = compareTensors("error", cpuError, deviceResult.error);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    const QString eventMismatch = compareEvents("error", events[size_t(TensorKind::ActivationGradients)],
                                                device.events(RandomTensor::ActivationGradients));
    QVERIFY2(eventMismatch.isEmpty(), qPrintable(eventMismatch));
}

QTEST_APPLESS_MAIN(VulkanLayersTest)
#include "test_vulkan_layers.moc"
