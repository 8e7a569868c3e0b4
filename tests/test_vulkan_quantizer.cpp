// The Vulkan requantize kernel against the CPU quantizer, bit for bit: codes, flags and event
// counts for every rounding and overflow mode, with the validation layers on. Any validation
// message fails the test that caused it.
#include "backend/vulkan/vulkan_buffer.h"
#include "backend/vulkan/vulkan_commands.h"
#include "backend/vulkan/vulkan_context.h"
#include "backend/vulkan/vulkan_devices.h"
#include "backend/vulkan/vulkan_pipeline.h"
#include "backend/vulkan/vulkan_requantize_kernel.h"
#include "backend/vulkan/vulkan_requantizer.h"
#include "numeric/philox.h"
#include "numeric/quantizer.h"

#include <QTest>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

using namespace fxlab;

Q_DECLARE_METATYPE(fxlab::RoundingMode)
Q_DECLARE_METATYPE(fxlab::OverflowMode)

namespace {

constexpr RoundingMode kRoundingModes[] = {RoundingMode::NearestEven, RoundingMode::NearestAway, RoundingMode::Floor,
                                           RoundingMode::TowardZero, RoundingMode::Stochastic};
constexpr OverflowMode kOverflowModes[] = {OverflowMode::Saturate, OverflowMode::SymmetricSaturate,
                                           OverflowMode::Wrap};

// Stochastic rounding uses this stream in every test, and the other modes ignore it.
constexpr RandomStream kRoundingStream{0x0123456789ABCDEFull, 17, 3, RandomTensor::ActivationGradients};

std::vector<int> wordBitsUnderTest()
{
    std::vector<int> wordBits;
    for (int bits = 2; bits <= 16; ++bits)
        wordBits.push_back(bits);
    wordBits.push_back(24);
    wordBits.push_back(32);
    return wordBits;
}

// Negative, zero, inside the word, at and above the word bits, and the maximum.
std::vector<int> fractionalLengthsUnderTest(int wordBits)
{
    std::vector<int> lengths{-32, -7, -1, 0, 1, wordBits / 2, wordBits - 1, wordBits, wordBits + 5, 40, 64};
    std::sort(lengths.begin(), lengths.end());
    lengths.erase(std::unique(lengths.begin(), lengths.end()), lengths.end());
    return lengths;
}

QString describeSpec(const FixedPointSpec& spec)
{
    return QString("%1-bit fl %2, %3, %4")
        .arg(spec.format.wordBits)
        .arg(spec.format.fractionalLength)
        .arg(QString::fromUtf8(toString(spec.rounding).data()))
        .arg(QString::fromUtf8(toString(spec.overflow).data()));
}

float floatFromBits(uint32_t bits)
{
    return std::bit_cast<float>(bits);
}

QString describeFloat(float value)
{
    // QString::asprintf does not support %a, which shows the exact binary value.
    char text[64];
    std::snprintf(text, sizeof text, "%a = %.9g (bits 0x%08x)", double(value), double(value),
                  std::bit_cast<uint32_t>(value));
    return QString::fromLatin1(text);
}

// Draws successive words of one Philox stream.
class RandomSource {
public:
    explicit RandomSource(uint64_t seed) : stream_{seed, 0, 0, RandomTensor::Input} {}

    uint32_t bits() { return stream_.bits(next_++); }
    uint64_t bits64() { return (uint64_t(bits()) << 32) | bits(); }
    // An integer from `low` to `high`, both included. The modulo bias does not matter here.
    int uniform(int low, int high) { return low + int(bits() % uint32_t(high - low + 1)); }

private:
    RandomStream stream_;
    uint32_t next_ = 0;
};

// A float with a random sign and significand and a binary exponent from `lowExponent` to
// `highExponent`. Exponents below the normal range give denormals, above it infinity.
float spreadFloat(RandomSource& random, int lowExponent, int highExponent)
{
    const double significand = 1.0 + double(random.bits() >> 9) * 0x1p-23;
    const double magnitude = std::ldexp(significand, random.uniform(lowExponent, highExponent));
    return float((random.bits() & 1) != 0 ? -magnitude : magnitude);
}

// Special values, ties of both signs, both ends of the range and their neighbours, values that
// underflow, and random values around the format's range.
std::vector<float> edgeCaseFloats(const FixedFormat& format, RandomSource& random)
{
    std::vector<float> values;
    for (uint32_t bits : {0x00000000u, 0x80000000u, 0x7F800000u, 0xFF800000u, 0x7FC00000u, 0xFFC00001u, 0x7F800001u,
                          0x00000001u, 0x80000001u, 0x007FFFFFu, 0x807FFFFFu, 0x00800000u, 0x80800000u, 0x7F7FFFFFu,
                          0xFF7FFFFFu})
        values.push_back(floatFromBits(bits));

    const double step = std::ldexp(1.0, -format.fractionalLength);
    const auto addSteps = [&](double steps) { values.push_back(float(steps * step)); };
    for (int k = -4; k <= 4; ++k)
        for (double offset : {0.0, 0.25, 0.5, 0.75})
            addSteps(k + offset);
    for (double code : {double(format.maxCode()), double(format.maxCode() + 1), double(format.minCode()),
                        double(format.minCode() - 1), double(-format.maxCode())})
        for (double offset : {-0.5, -0.25, 0.0, 0.25, 0.5})
            addSteps(code + offset);

    // The float neighbours of the top and bottom rounding boundaries.
    for (double boundary : {double(format.maxCode()) + 0.5, double(format.minCode()) - 0.5}) {
        const float exact = float(boundary * step);
        values.push_back(std::nextafter(exact, std::numeric_limits<float>::infinity()));
        values.push_back(std::nextafter(exact, -std::numeric_limits<float>::infinity()));
    }

    // Nonzero values that round to zero, and far beyond the range.
    for (double fraction : {0.125, 0.375, 0.4999999}) {
        addSteps(fraction);
        addSteps(-fraction);
    }
    for (int beyond : {2, 10, 60}) {
        values.push_back(float(std::ldexp(1.5, format.integerBits() + beyond)));
        values.push_back(float(-std::ldexp(1.5, format.integerBits() + beyond)));
    }

    const int lowExponent = -format.fractionalLength - 30;
    const int highExponent = format.integerBits() + 8;
    for (int i = 0; i < 200; ++i)
        values.push_back(spreadFloat(random, lowExponent, highExponent));
    return values;
}

// Mantissas whose value at `sourceFractionalLength` lands on ties and range ends of `format`, the
// int64 extremes, and random mantissas of every bit length.
std::vector<int64_t> edgeCaseMantissas(const FixedFormat& format, int sourceFractionalLength, RandomSource& random)
{
    std::vector<int64_t> mantissas{0, 1, -1, 2, -2, std::numeric_limits<int64_t>::max(),
                                   std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::min() + 1};

    // Scaled by 2^shift, `steps` (an integer or a half) lands on the format's grid.
    const int shift = sourceFractionalLength - format.fractionalLength;
    const auto addSteps = [&](__int128 doubledSteps) {
        __int128 mantissa = doubledSteps;
        if (shift >= 1 && shift <= 62)
            mantissa = doubledSteps << (shift - 1);
        else if (shift <= 0 && shift > -62)
            mantissa = (doubledSteps >> 1) >> -shift;
        else
            return;
        if (mantissa >= std::numeric_limits<int64_t>::min() && mantissa <= std::numeric_limits<int64_t>::max()) {
            mantissas.push_back(int64_t(mantissa));
            mantissas.push_back(int64_t(mantissa) + 1);
            mantissas.push_back(int64_t(mantissa) - 1);
        }
    };
    for (int k = -4; k <= 4; ++k) {
        addSteps(2 * k);
        addSteps(2 * k + 1);
    }
    for (int64_t code : {format.maxCode(), format.maxCode() + 1, format.minCode(), format.minCode() - 1}) {
        addSteps(2 * __int128(code));
        addSteps(2 * __int128(code) + 1);
        addSteps(2 * __int128(code) - 1);
    }

    for (int i = 0; i < 240; ++i) {
        const int64_t mantissa = int64_t(random.bits64()) >> random.uniform(0, 63);
        mantissas.push_back(mantissa);
    }
    return mantissas;
}

// The CPU quantizer's output for a whole array.
struct Reference {
    std::vector<int32_t> codes;
    std::vector<uint32_t> flags;
    std::vector<uint32_t> randomBits;
    QuantEvents events;
};

uint32_t roundingBits(const FixedPointSpec& spec, const RandomStream& stream, size_t index)
{
    return spec.rounding == RoundingMode::Stochastic ? stream.bits(uint32_t(index)) : 0u;
}

Reference quantizeOnCpu(const std::vector<float>& values, const FixedPointSpec& spec, const RandomStream& stream)
{
    Reference reference;
    for (size_t i = 0; i < values.size(); ++i) {
        const uint32_t bits = roundingBits(spec, stream, i);
        const QuantizedValue result = quantize(values[i], spec, bits);
        reference.codes.push_back(result.code);
        reference.flags.push_back(result.flags);
        reference.randomBits.push_back(bits);
        reference.events.count(result.flags);
    }
    return reference;
}

Reference requantizeOnCpu(const std::vector<int64_t>& mantissas, int sourceFractionalLength,
                          const FixedPointSpec& spec, const RandomStream& stream)
{
    Reference reference;
    for (size_t i = 0; i < mantissas.size(); ++i) {
        const uint32_t bits = roundingBits(spec, stream, i);
        const QuantizedValue result = requantize(mantissas[i], sourceFractionalLength, spec, bits);
        reference.codes.push_back(result.code);
        reference.flags.push_back(result.flags);
        reference.randomBits.push_back(bits);
        reference.events.count(result.flags);
    }
    return reference;
}

QString describeEvents(const QuantEvents& events)
{
    return QString("%1 elements, %2 saturated, %3 underflowed, %4 NaN")
        .arg(events.elements)
        .arg(events.saturated)
        .arg(events.underflowed)
        .arg(events.notANumber);
}

// Empty when the device's result equals the reference, else the first differing element with its
// input, and the number of differing elements.
QString compareWithCpu(const RequantizeResult& device, const Reference& cpu, const FixedPointSpec& spec,
                       const std::function<QString(size_t)>& describeInput)
{
    if (device.codes.size() != cpu.codes.size() || device.flags.size() != cpu.flags.size())
        return QString("%1: the device returned %2 codes and %3 flags for %4 elements")
            .arg(describeSpec(spec))
            .arg(device.codes.size())
            .arg(device.flags.size())
            .arg(cpu.codes.size());

    size_t mismatches = 0;
    std::optional<size_t> first;
    for (size_t i = 0; i < cpu.codes.size(); ++i) {
        if (device.codes[i] != cpu.codes[i] || device.flags[i] != cpu.flags[i]) {
            ++mismatches;
            if (!first)
                first = i;
        }
    }
    if (first) {
        const size_t i = *first;
        return QString("%1: element %2 of %3, input %4, random bits 0x%5: device code %6 flags %7, CPU code %8 "
                       "flags %9 (%10 elements differ)")
            .arg(describeSpec(spec))
            .arg(i)
            .arg(cpu.codes.size())
            .arg(describeInput(i))
            .arg(cpu.randomBits[i], 8, 16, QChar('0'))
            .arg(device.codes[i])
            .arg(device.flags[i])
            .arg(cpu.codes[i])
            .arg(cpu.flags[i])
            .arg(mismatches);
    }
    if (device.events != cpu.events)
        return QString("%1: device counted %2, CPU counted %3")
            .arg(describeSpec(spec), describeEvents(device.events), describeEvents(cpu.events));
    return {};
}

QString compareFloats(VulkanRequantizer& requantizer, const std::vector<float>& values, const FixedPointSpec& spec,
                      const RandomStream& stream)
{
    const RequantizeResult device = requantizer.quantize(values, spec, stream);
    const Reference cpu = quantizeOnCpu(values, spec, stream);
    return compareWithCpu(device, cpu, spec, [&](size_t i) { return describeFloat(values[i]); });
}

QString compareMantissas(VulkanRequantizer& requantizer, const std::vector<int64_t>& mantissas,
                         int sourceFractionalLength, const FixedPointSpec& spec, const RandomStream& stream)
{
    const RequantizeResult device = requantizer.requantize(mantissas, sourceFractionalLength, spec, stream);
    const Reference cpu = requantizeOnCpu(mantissas, sourceFractionalLength, spec, stream);
    return compareWithCpu(device, cpu, spec, [&](size_t i) {
        return QString("mantissa %1 at source fl %2").arg(mantissas[i]).arg(sourceFractionalLength);
    });
}

QString joinMessages(const ValidationMessageLog::Snapshot& messages)
{
    QString text = QString("%1 validation errors and %2 warnings:").arg(messages.errors).arg(messages.warnings);
    for (const std::string& message : messages.messages)
        text += "\n" + QString::fromStdString(message);
    return text;
}

// The error message of `action`, or empty when it throws nothing.
template <typename Exception, typename Action>
std::optional<QString> thrownMessage(Action&& action)
{
    try {
        action();
    } catch (const Exception& error) {
        return QString::fromUtf8(error.what());
    }
    return std::nullopt;
}

// Sets an environment variable for the lifetime of the object, then restores it.
class ScopedEnvironment {
public:
    ScopedEnvironment(const char* name, const QByteArray& value)
        : name_(name), wasSet_(qEnvironmentVariableIsSet(name)), previous_(qgetenv(name))
    {
        qputenv(name, value);
    }
    ~ScopedEnvironment()
    {
        if (wasSet_)
            qputenv(name_, previous_);
        else
            qunsetenv(name_);
    }
    ScopedEnvironment(const ScopedEnvironment&) = delete;
    ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

private:
    const char* name_;
    bool wasSet_;
    QByteArray previous_;
};

} // namespace

class VulkanQuantizerTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();

    void floatInputMatchesCpu_data();
    void floatInputMatchesCpu();
    void randomFloatsMatchCpu_data();
    void randomFloatsMatchCpu();
    void mantissaInputMatchesCpu_data();
    void mantissaInputMatchesCpu();
    void stochasticIsReproducible();
    void chunkedDispatchesMatchCpu();
    void countersCarryIntoHighWord();
    void emptyInputGivesEmptyResult();
    void invalidRequestsAreRejected();
    void unknownShaderIsRejected();
    void listsDevices();
    void outOfRangeDeviceIsRejected();
    void missingDriverGivesClearError();

private:
    std::shared_ptr<const ValidationMessageLog> messageLog_;
    std::unique_ptr<VulkanContext> context_;
    std::unique_ptr<VulkanRequantizer> requantizer_;
};

void VulkanQuantizerTest::initTestCase()
{
    VulkanContextOptions options;
    options.validation = true;
    context_ = std::make_unique<VulkanContext>(options);
    QVERIFY(context_->validationEnabled());
    messageLog_ = context_->validationMessageLog();
    requantizer_ = std::make_unique<VulkanRequantizer>(*context_);
    qInfo("device: %s", describe(context_->deviceInfo()).c_str());
}

void VulkanQuantizerTest::cleanup()
{
    const ValidationMessageLog::Snapshot messages = context_->validationMessages();
    context_->clearValidationMessages();
    QVERIFY2(messages.total() == 0, qPrintable(joinMessages(messages)));
}

void VulkanQuantizerTest::cleanupTestCase()
{
    requantizer_.reset();
    context_.reset();
    // Leaked objects are reported while the device and the instance are destroyed.
    const ValidationMessageLog::Snapshot messages = messageLog_->snapshot();
    QVERIFY2(messages.total() == 0, qPrintable(joinMessages(messages)));
}

void VulkanQuantizerTest::floatInputMatchesCpu_data()
{
    QTest::addColumn<RoundingMode>("rounding");
    QTest::addColumn<OverflowMode>("overflow");
    for (RoundingMode rounding : kRoundingModes)
        for (OverflowMode overflow : kOverflowModes)
            QTest::addRow("%s, %s", toString(rounding).data(), toString(overflow).data()) << rounding << overflow;
}

void VulkanQuantizerTest::floatInputMatchesCpu()
{
    QFETCH(RoundingMode, rounding);
    QFETCH(OverflowMode, overflow);

    RandomSource random(uint64_t(rounding) * 16 + uint64_t(overflow));
    for (int wordBits : wordBitsUnderTest()) {
        for (int fractionalLength : fractionalLengthsUnderTest(wordBits)) {
            const FixedPointSpec spec{{wordBits, fractionalLength}, rounding, overflow};
            const std::vector<float> values = edgeCaseFloats(spec.format, random);
            const QString mismatch = compareFloats(*requantizer_, values, spec, kRoundingStream);
            QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        }
    }
}

void VulkanQuantizerTest::randomFloatsMatchCpu_data()
{
    QTest::addColumn<int>("wordBits");
    QTest::addColumn<int>("fractionalLength");
    QTest::addColumn<RoundingMode>("rounding");
    QTest::addColumn<OverflowMode>("overflow");

    QTest::newRow("8-bit fl 4 nearest-even saturate") << 8 << 4 << RoundingMode::NearestEven << OverflowMode::Saturate;
    QTest::newRow("16-bit fl 12 stochastic wrap") << 16 << 12 << RoundingMode::Stochastic << OverflowMode::Wrap;
    QTest::newRow("32-bit fl 20 nearest-away symmetric")
        << 32 << 20 << RoundingMode::NearestAway << OverflowMode::SymmetricSaturate;
    QTest::newRow("2-bit fl -3 floor saturate") << 2 << -3 << RoundingMode::Floor << OverflowMode::Saturate;
    QTest::newRow("24-bit fl 64 toward-zero wrap") << 24 << 64 << RoundingMode::TowardZero << OverflowMode::Wrap;
    QTest::newRow("12-bit fl 40 stochastic symmetric")
        << 12 << 40 << RoundingMode::Stochastic << OverflowMode::SymmetricSaturate;
    QTest::newRow("32-bit fl -32 stochastic saturate") << 32 << -32 << RoundingMode::Stochastic << OverflowMode::Saturate;
    QTest::newRow("5-bit fl 0 floor wrap") << 5 << 0 << RoundingMode::Floor << OverflowMode::Wrap;
}

void VulkanQuantizerTest::randomFloatsMatchCpu()
{
    QFETCH(int, wordBits);
    QFETCH(int, fractionalLength);
    QFETCH(RoundingMode, rounding);
    QFETCH(OverflowMode, overflow);
    const FixedPointSpec spec{{wordBits, fractionalLength}, rounding, overflow};

    // Not a multiple of any workgroup size. Half the values are raw bit patterns, which cover
    // every binade, infinities, NaNs and denormals evenly, and the other half lie near the range.
    constexpr size_t kCount = 100003;
    RandomSource random(uint64_t(wordBits) * 1000 + uint64_t(fractionalLength + 100));
    std::vector<float> values(kCount);
    for (size_t i = 0; i < kCount; ++i)
        values[i] = i % 2 == 0 ? floatFromBits(random.bits())
                               : spreadFloat(random, -fractionalLength - 24, spec.format.integerBits() + 2);

    const QString mismatch = compareFloats(*requantizer_, values, spec, kRoundingStream);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void VulkanQuantizerTest::mantissaInputMatchesCpu_data()
{
    floatInputMatchesCpu_data();
}

void VulkanQuantizerTest::mantissaInputMatchesCpu()
{
    QFETCH(RoundingMode, rounding);
    QFETCH(OverflowMode, overflow);

    // Accumulator-like formats: wide and narrow words, fractional lengths from -32 to 64.
    const FixedFormat formats[] = {{8, 4}, {16, -3}, {32, 20}, {2, 0}, {24, 64}, {12, 40}, {32, -32}, {5, 7}};
    std::vector<int> sourceFractionalLengths{-100, -64, -40, -10, -1};
    for (int length = 0; length <= 130; ++length)
        sourceFractionalLengths.push_back(length);

    RandomSource random(1000 + uint64_t(rounding) * 16 + uint64_t(overflow));
    for (size_t i = 0; i < sourceFractionalLengths.size(); ++i) {
        const int sourceFractionalLength = sourceFractionalLengths[i];
        // Two formats per source length, rotating so that every pair occurs.
        for (size_t k = 0; k < 2; ++k) {
            const FixedFormat& format = formats[(i + k * 3) % std::size(formats)];
            const FixedPointSpec spec{format, rounding, overflow};
            const std::vector<int64_t> mantissas = edgeCaseMantissas(format, sourceFractionalLength, random);
            const QString mismatch =
                compareMantissas(*requantizer_, mantissas, sourceFractionalLength, spec, kRoundingStream);
            QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        }
    }
}

void VulkanQuantizerTest::stochasticIsReproducible()
{
    const FixedPointSpec spec{{8, 4}, RoundingMode::Stochastic, OverflowMode::Saturate};
    RandomSource random(77);
    std::vector<float> values(10007);
    for (float& value : values)
        value = spreadFloat(random, -8, 3);

    const RequantizeResult first = requantizer_->quantize(values, spec, kRoundingStream);
    const RequantizeResult second = requantizer_->quantize(values, spec, kRoundingStream);
    QVERIFY(first.codes == second.codes);
    QVERIFY(first.flags == second.flags);
    QVERIFY(first.events == second.events);
    QVERIFY(first.codes == quantizeOnCpu(values, spec, kRoundingStream).codes);

    // Each part of the counter must reach the shader: changing one changes some decisions.
    RandomStream otherSeed = kRoundingStream, otherStep = kRoundingStream, otherLayer = kRoundingStream,
                 otherTensor = kRoundingStream;
    otherSeed.seed ^= uint64_t{1} << 40;
    otherStep.step += 1;
    otherLayer.layer += 1;
    otherTensor.tensor = RandomTensor::WeightGradients;
    for (const RandomStream& other : {otherSeed, otherStep, otherLayer, otherTensor}) {
        const RequantizeResult changed = requantizer_->quantize(values, spec, other);
        QVERIFY(changed.codes != first.codes);
        QVERIFY(changed.codes == quantizeOnCpu(values, spec, other).codes);
    }

    std::vector<int64_t> mantissas(5003);
    for (int64_t& mantissa : mantissas)
        mantissa = int64_t(random.bits64()) >> 40;
    const RequantizeResult firstMantissas = requantizer_->requantize(mantissas, 20, spec, kRoundingStream);
    const RequantizeResult secondMantissas = requantizer_->requantize(mantissas, 20, spec, kRoundingStream);
    QVERIFY(firstMantissas.codes == secondMantissas.codes);
    QVERIFY(firstMantissas.codes == requantizeOnCpu(mantissas, 20, spec, kRoundingStream).codes);
}

void VulkanQuantizerTest::chunkedDispatchesMatchCpu()
{
    // 1000-element chunks: the Philox index and the event counters must run on across dispatches.
    VulkanRequantizer chunked(*context_, 1000);
    QCOMPARE(chunked.chunkElements(), 1000u);

    const FixedPointSpec spec{{6, 2}, RoundingMode::Stochastic, OverflowMode::Wrap};
    RandomSource random(99);
    std::vector<float> values(10007);
    for (size_t i = 0; i < values.size(); ++i)
        values[i] = i % 7 == 0 ? floatFromBits(random.bits()) : spreadFloat(random, -6, 6);
    const QString floatMismatch = compareFloats(chunked, values, spec, kRoundingStream);
    QVERIFY2(floatMismatch.isEmpty(), qPrintable(floatMismatch));

    std::vector<int64_t> mantissas(4321);
    for (int64_t& mantissa : mantissas)
        mantissa = int64_t(random.bits64()) >> random.uniform(30, 63);
    const QString mantissaMismatch = compareMantissas(chunked, mantissas, 33, spec, kRoundingStream);
    QVERIFY2(mantissaMismatch.isEmpty(), qPrintable(mantissaMismatch));
}

void VulkanQuantizerTest::countersCarryIntoHighWord()
{
    // Counters that start just below 2^32 must carry into their high words, not wrap.
    const RequantizeKernel kernel(*context_);
    constexpr uint32_t kCount = 1000;
    constexpr VkBufferUsageFlags kUsage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
    VulkanBuffer input(*context_, kCount * sizeof(uint32_t), kUsage);
    VulkanBuffer codes(*context_, kCount * sizeof(int32_t), kUsage);
    VulkanBuffer flags(*context_, kCount * sizeof(uint32_t), kUsage);
    VulkanBuffer counters(*context_, RequantizeKernel::kCounterWords * sizeof(uint32_t), kUsage);

    // 300 saturate, 300 underflow, 300 are NaN and 100 are exact.
    const std::span<uint32_t> inputWords = input.hostSpan<uint32_t>();
    for (uint32_t i = 0; i < kCount; ++i) {
        const float value = i < 300 ? std::numeric_limits<float>::infinity()
            : i < 600               ? 1e-20f
            : i < 900               ? std::numeric_limits<float>::quiet_NaN()
                                    : 1.0f;
        inputWords[i] = std::bit_cast<uint32_t>(value);
    }
    const uint32_t initialCounters[RequantizeKernel::kCounterWords] = {0xFFFFFF00u, 7u, 0xFFFFFFFFu,
                                                                       0u,          0xFFFFFED4u, 0xFFFFFFFEu};
    std::copy(std::begin(initialCounters), std::end(initialCounters), counters.hostSpan<uint32_t>().begin());

    const StorageBufferRange bindings[] = {input, codes, flags, counters};
    const StorageBufferSet set(*context_, kernel.layout(), bindings);
    RequantizePushConstants parameters =
        requantizePushConstants({{8, 0}, RoundingMode::NearestEven, OverflowMode::Saturate}, kRoundingStream, 0);
    parameters.elementCount = kCount;

    CommandSubmitter submitter(*context_);
    submitter.submitAndWait([&](VkCommandBuffer commands) {
        kernel.recordDispatch(commands, set, RequantizeInput::Float32Bits, parameters);
        // Makes the shader's writes available to the host reads after the fence.
        recordMemoryBarrier(commands, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_WRITE_BIT,
                            VK_PIPELINE_STAGE_HOST_BIT, VK_ACCESS_HOST_READ_BIT);
    });

    const QuantEvents events = requantizeEvents(counters.hostSpan<const uint32_t>(), kCount);
    QCOMPARE(events.saturated, (uint64_t{7} << 32) + 0xFFFFFF00u + 300);
    QCOMPARE(events.underflowed, uint64_t{0xFFFFFFFFu} + 300);
    QCOMPARE(events.notANumber, (uint64_t{0xFFFFFFFEu} << 32) + 0xFFFFFED4u + 300);
    QCOMPARE(codes.hostSpan<const int32_t>()[0], 127);
    QCOMPARE(flags.hostSpan<const uint32_t>()[999], 0u);
}

void VulkanQuantizerTest::emptyInputGivesEmptyResult()
{
    const FixedPointSpec spec{{8, 4}, RoundingMode::NearestEven, OverflowMode::Saturate};
    const RequantizeResult floats = requantizer_->quantize(std::span<const float>(), spec);
    QVERIFY(floats.codes.empty());
    QVERIFY(floats.flags.empty());
    QCOMPARE(floats.events, QuantEvents{});
    const RequantizeResult mantissas = requantizer_->requantize(std::span<const int64_t>(), 3, spec);
    QVERIFY(mantissas.codes.empty());
    QCOMPARE(mantissas.events, QuantEvents{});
}

void VulkanQuantizerTest::invalidRequestsAreRejected()
{
    const std::vector<float> values{1.0f};
    const std::vector<int64_t> mantissas{1};

    const auto wordBits = thrownMessage<Error>([&] {
        requantizer_->quantize(values, {{33, 0}, RoundingMode::NearestEven, OverflowMode::Saturate});
    });
    QVERIFY(wordBits.has_value());
    QVERIFY2(wordBits->contains("word bits 33"), qPrintable(*wordBits));

    const auto fractionalLength = thrownMessage<Error>([&] {
        requantizer_->quantize(values, {{8, 65}, RoundingMode::NearestEven, OverflowMode::Saturate});
    });
    QVERIFY(fractionalLength.has_value());
    QVERIFY2(fractionalLength->contains("fractional length 65"), qPrintable(*fractionalLength));

    const auto sourceLength = thrownMessage<Error>([&] {
        requantizer_->requantize(mantissas, 70000, {{8, 0}, RoundingMode::NearestEven, OverflowMode::Saturate});
    });
    QVERIFY(sourceLength.has_value());
    QVERIFY2(sourceLength->contains("source fractional length 70000"), qPrintable(*sourceLength));
}

void VulkanQuantizerTest::unknownShaderIsRejected()
{
    const ComputeKernelLayout layout(*context_, 1, 0);
    const auto message = thrownMessage<Error>([&] { ComputePipeline(*context_, layout, "no_such_shader"); });
    QVERIFY(message.has_value());
    QVERIFY2(message->contains("no_such_shader"), qPrintable(*message));
    QVERIFY2(message->contains("requantize"), qPrintable(*message));
}

void VulkanQuantizerTest::listsDevices()
{
    const std::vector<VulkanDeviceInfo> devices = listVulkanDevices();
    QVERIFY(!devices.empty());
    const VulkanDeviceInfo& chosen = context_->deviceInfo();
    QVERIFY(chosen.index < devices.size());
    QCOMPARE(devices[chosen.index].name, chosen.name);
    QVERIFY(chosen.unsupportedReason.empty());
    QVERIFY(!chosen.apiVersion.empty());
    for (const VulkanDeviceInfo& device : devices) {
        const std::string line = describe(device);
        QVERIFY2(line.find(device.name) != std::string::npos, line.c_str());
        qInfo("%s", line.c_str());
    }
}

void VulkanQuantizerTest::outOfRangeDeviceIsRejected()
{
    VulkanContextOptions options;
    options.validation = true;
    options.deviceIndex = 99;
    const auto message = thrownMessage<Error>([&] { VulkanContext context(options); });
    QVERIFY(message.has_value());
    QVERIFY2(message->contains("Vulkan device index 99 is out of range"), qPrintable(*message));
}

void VulkanQuantizerTest::missingDriverGivesClearError()
{
    // The loader reads these when it creates an instance, and a driver list that names only a
    // missing file leaves it without any driver. VK_ICD_FILENAMES is the older name of
    // VK_DRIVER_FILES.
    const QByteArray missingDriver = "/nonexistent/fxlab-test-no-driver.json";
    const ScopedEnvironment driverFiles("VK_DRIVER_FILES", missingDriver);
    const ScopedEnvironment icdFiles("VK_ICD_FILENAMES", missingDriver);

    // The option alone decides here, whatever the test's environment sets.
    const ScopedEnvironment validationFromOptions("FXLAB_VULKAN_VALIDATION", "0");
    for (bool validation : {false, true}) {
        VulkanContextOptions options;
        options.validation = validation;
        const auto contextMessage = thrownMessage<VulkanUnavailableError>([&] { VulkanContext context(options); });
        QVERIFY2(contextMessage.has_value(), "creating a context without a driver did not throw VulkanUnavailableError");
        QVERIFY2(contextMessage->startsWith("no Vulkan driver found: "), qPrintable(*contextMessage));
        QVERIFY2(contextMessage->contains("CPU backend"), qPrintable(*contextMessage));
        qInfo("validation %s: %s", validation ? "on" : "off", qPrintable(*contextMessage));
    }

    const auto listMessage = thrownMessage<VulkanUnavailableError>([] { listVulkanDevices(); });
    QVERIFY(listMessage.has_value());
    QVERIFY2(listMessage->startsWith("no Vulkan driver found: "), qPrintable(*listMessage));
}

QTEST_APPLESS_MAIN(VulkanQuantizerTest)
#include "test_vulkan_quantizer.moc"
