// The fixed-point quantizer against hand-checked cases for every rounding and overflow mode.
#include "numeric/philox.h"
#include "numeric/quantizer.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace fxlab;

Q_DECLARE_METATYPE(fxlab::RoundingMode)
Q_DECLARE_METATYPE(fxlab::OverflowMode)

namespace {

FixedPointSpec spec(int wordBits, int fractionalLength, RoundingMode rounding = RoundingMode::NearestEven,
                    OverflowMode overflow = OverflowMode::Saturate)
{
    return {{wordBits, fractionalLength}, rounding, overflow};
}

constexpr double kInfinity = std::numeric_limits<double>::infinity();

} // namespace

class QuantizerTest : public QObject {
    Q_OBJECT

private slots:
    void roundsValue_data();
    void roundsValue();
    void float32InputMatchesDouble_data();
    void float32InputMatchesDouble();
    void requantizesIntegers_data();
    void requantizesIntegers();
    void stochasticIsUnbiased_data();
    void stochasticIsUnbiased();
    void stochasticKeepsGridValues_data();
    void stochasticKeepsGridValues();
    void stochasticExtremeRandomBits();
    void philoxKnownAnswers();
    void philoxStreamsDiffer();
    void exactToFloatRoundsOnce();
    void formatValidation();
};

void QuantizerTest::roundsValue_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<int>("wordBits");
    QTest::addColumn<int>("fractionalLength");
    QTest::addColumn<RoundingMode>("rounding");
    QTest::addColumn<OverflowMode>("overflow");
    QTest::addColumn<int>("code");
    QTest::addColumn<uint>("flags");

    const auto even = RoundingMode::NearestEven;
    const auto away = RoundingMode::NearestAway;
    const auto floor = RoundingMode::Floor;
    const auto zero = RoundingMode::TowardZero;
    const auto sat = OverflowMode::Saturate;
    const auto symmetric = OverflowMode::SymmetricSaturate;
    const auto wrap = OverflowMode::Wrap;

    // Ties of both signs at step 1.
    QTest::newRow("even 0.5") << 0.5 << 8 << 0 << even << sat << 0 << uint(kUnderflow);
    QTest::newRow("even 1.5") << 1.5 << 8 << 0 << even << sat << 2 << 0u;
    QTest::newRow("even 2.5") << 2.5 << 8 << 0 << even << sat << 2 << 0u;
    QTest::newRow("even -0.5") << -0.5 << 8 << 0 << even << sat << 0 << uint(kUnderflow);
    QTest::newRow("even -1.5") << -1.5 << 8 << 0 << even << sat << -2 << 0u;
    QTest::newRow("even -2.5") << -2.5 << 8 << 0 << even << sat << -2 << 0u;
    QTest::newRow("even 2.5000001") << 2.5000001 << 8 << 0 << even << sat << 3 << 0u;
    QTest::newRow("away 0.5") << 0.5 << 8 << 0 << away << sat << 1 << 0u;
    QTest::newRow("away -0.5") << -0.5 << 8 << 0 << away << sat << -1 << 0u;
    QTest::newRow("away 2.5") << 2.5 << 8 << 0 << away << sat << 3 << 0u;
    QTest::newRow("away -2.5") << -2.5 << 8 << 0 << away << sat << -3 << 0u;
    QTest::newRow("away -2.4") << -2.4 << 8 << 0 << away << sat << -2 << 0u;
    QTest::newRow("floor 1.5") << 1.5 << 8 << 0 << floor << sat << 1 << 0u;
    QTest::newRow("floor -1.5") << -1.5 << 8 << 0 << floor << sat << -2 << 0u;
    QTest::newRow("floor -0.25") << -0.25 << 8 << 0 << floor << sat << -1 << 0u;
    QTest::newRow("floor 0.75") << 0.75 << 8 << 0 << floor << sat << 0 << uint(kUnderflow);
    QTest::newRow("toward-zero 1.7") << 1.7 << 8 << 0 << zero << sat << 1 << 0u;
    QTest::newRow("toward-zero -1.5") << -1.5 << 8 << 0 << zero << sat << -1 << 0u;
    QTest::newRow("toward-zero -0.9") << -0.9 << 8 << 0 << zero << sat << 0 << uint(kUnderflow);

    // Finer steps: fl 2 is a step of 0.25, so 0.375 is a tie between codes 1 and 2.
    QTest::newRow("even 0.375 fl2") << 0.375 << 8 << 2 << even << sat << 2 << 0u;
    QTest::newRow("even 0.625 fl2") << 0.625 << 8 << 2 << even << sat << 2 << 0u;
    QTest::newRow("even -0.625 fl2") << -0.625 << 8 << 2 << even << sat << -2 << 0u;

    // Both ends of the 8-bit range.
    QTest::newRow("top kept") << 127.4 << 8 << 0 << even << sat << 127 << 0u;
    QTest::newRow("top saturated") << 127.6 << 8 << 0 << even << sat << 127 << uint(kSaturatedHigh);
    QTest::newRow("bottom kept") << -128.4 << 8 << 0 << even << sat << -128 << 0u;
    QTest::newRow("bottom saturated") << -128.6 << 8 << 0 << even << sat << -128 << uint(kSaturatedLow);
    QTest::newRow("far above") << 1e30 << 8 << 0 << even << sat << 127 << uint(kSaturatedHigh);
    QTest::newRow("far below") << -1e30 << 8 << 0 << even << sat << -128 << uint(kSaturatedLow);
    QTest::newRow("symmetric -128") << -128.0 << 8 << 0 << even << symmetric << -127 << uint(kSaturatedLow);
    QTest::newRow("symmetric -127") << -127.0 << 8 << 0 << even << symmetric << -127 << 0u;
    QTest::newRow("symmetric 200") << 200.0 << 8 << 0 << even << symmetric << 127 << uint(kSaturatedHigh);
    QTest::newRow("wrap 128") << 128.0 << 8 << 0 << even << wrap << -128 << uint(kSaturatedHigh);
    QTest::newRow("wrap 130") << 130.0 << 8 << 0 << even << wrap << -126 << uint(kSaturatedHigh);
    QTest::newRow("wrap -129") << -129.0 << 8 << 0 << even << wrap << 127 << uint(kSaturatedLow);
    QTest::newRow("wrap 256") << 256.0 << 8 << 0 << even << wrap << 0 << uint(kSaturatedHigh);
    QTest::newRow("wrap 1e30") << 0x1p100 << 8 << 0 << even << wrap << 0 << uint(kSaturatedHigh);
    QTest::newRow("wrap 2^62+5") << 0x1p62 + 4096.0 << 16 << 0 << even << wrap << 4096 << uint(kSaturatedHigh);
    QTest::newRow("2-bit range") << 1.0 << 2 << 0 << even << sat << 1 << 0u;
    QTest::newRow("2-bit -2") << -2.0 << 2 << 0 << even << sat << -2 << 0u;
    QTest::newRow("2-bit 2") << 2.0 << 2 << 0 << even << sat << 1 << uint(kSaturatedHigh);

    // Negative fractional length: fl -2 is a step of 4, range -32 to 28 for 4 bits.
    QTest::newRow("neg fl 6") << 6.0 << 4 << -2 << even << sat << 2 << 0u;
    QTest::newRow("neg fl 10") << 10.0 << 4 << -2 << even << sat << 2 << 0u;
    QTest::newRow("neg fl 14") << 14.0 << 4 << -2 << even << sat << 4 << 0u;
    QTest::newRow("neg fl 30") << 30.0 << 4 << -2 << even << sat << 7 << uint(kSaturatedHigh);
    QTest::newRow("neg fl -32") << -32.0 << 4 << -2 << even << sat << -8 << 0u;
    QTest::newRow("neg fl 1.9") << 1.9 << 4 << -2 << even << sat << 0 << uint(kUnderflow);
    QTest::newRow("fl -32") << 0x1p33 << 8 << -32 << even << sat << 2 << 0u;

    // Fractional length above the word: 8 bits at fl 10 cover [-0.125, 0.1240234375].
    QTest::newRow("fl above word") << 0.1 << 8 << 10 << even << sat << 102 << 0u;
    QTest::newRow("fl above word top") << 0.125 << 8 << 10 << even << sat << 127 << uint(kSaturatedHigh);
    QTest::newRow("fl above word bottom") << -0.125 << 8 << 10 << even << sat << -128 << 0u;
    QTest::newRow("fl 64") << 0x1p-60 << 8 << 64 << even << sat << 16 << 0u;

    // 32-bit words are exact: a float32 shortcut would round 2^31 - 1 to 2^31 and saturate.
    QTest::newRow("32-bit max") << 2147483647.0 << 32 << 0 << even << sat << 2147483647 << 0u;
    QTest::newRow("32-bit tie down") << 2147483646.5 << 32 << 0 << even << sat << 2147483646 << 0u;
    QTest::newRow("32-bit just above") << 2147483647.5 << 32 << 0 << even << sat << 2147483647 << uint(kSaturatedHigh);
    QTest::newRow("32-bit min") << -2147483648.0 << 32 << 0 << even << sat << int(-2147483647 - 1) << 0u;
    QTest::newRow("32-bit odd") << 16777217.0 << 32 << 0 << even << sat << 16777217 << 0u;
    QTest::newRow("32-bit fl 31") << 2147483647.0 / 2147483648.0 << 32 << 31 << even << sat << 2147483647 << 0u;
    QTest::newRow("32-bit wrap") << 2147483648.0 << 32 << 0 << even << wrap << int(-2147483647 - 1)
                                 << uint(kSaturatedHigh);

    // Infinities saturate in every overflow mode; NaN is its own event with code 0.
    QTest::newRow("+inf") << kInfinity << 8 << 3 << even << sat << 127 << uint(kSaturatedHigh);
    QTest::newRow("-inf") << -kInfinity << 8 << 3 << even << sat << -128 << uint(kSaturatedLow);
    QTest::newRow("-inf symmetric") << -kInfinity << 8 << 3 << even << symmetric << -127 << uint(kSaturatedLow);
    QTest::newRow("+inf wrap") << kInfinity << 8 << 3 << even << wrap << 127 << uint(kSaturatedHigh);
    QTest::newRow("-inf wrap") << -kInfinity << 8 << 3 << even << wrap << -128 << uint(kSaturatedLow);
    QTest::newRow("NaN") << std::nan("") << 8 << 3 << even << sat << 0 << uint(kNotANumber);
    QTest::newRow("NaN wrap") << -std::nan("") << 16 << 3 << floor << wrap << 0 << uint(kNotANumber);

    // Zero is never an underflow; the smallest double still is one.
    QTest::newRow("zero") << 0.0 << 8 << 3 << even << sat << 0 << 0u;
    QTest::newRow("negative zero") << -0.0 << 8 << 3 << floor << sat << 0 << 0u;
    QTest::newRow("denormal") << 4.9e-324 << 8 << 3 << even << sat << 0 << uint(kUnderflow);
    QTest::newRow("denormal floor") << -4.9e-324 << 8 << 3 << floor << sat << -1 << 0u;
    QTest::newRow("denormal toward-zero") << -4.9e-324 << 8 << 3 << zero << sat << 0 << uint(kUnderflow);
}

void QuantizerTest::roundsValue()
{
    QFETCH(double, value);
    QFETCH(int, wordBits);
    QFETCH(int, fractionalLength);
    QFETCH(RoundingMode, rounding);
    QFETCH(OverflowMode, overflow);
    QFETCH(int, code);
    QFETCH(uint, flags);

    const QuantizedValue result = quantize(value, spec(wordBits, fractionalLength, rounding, overflow));
    QCOMPARE(result.code, code);
    QCOMPARE(uint(result.flags), flags);
}

void QuantizerTest::float32InputMatchesDouble_data()
{
    QTest::addColumn<float>("value");
    QTest::addColumn<int>("fractionalLength");
    QTest::newRow("0.1") << 0.1f << 6;
    QTest::newRow("-3.75") << -3.75f << 1;
    QTest::newRow("tiny") << 1e-30f << 64;
    QTest::newRow("denormal") << 1e-40f << 64;
    QTest::newRow("large") << 3e38f << -32;
    QTest::newRow("inf") << std::numeric_limits<float>::infinity() << 0;
}

void QuantizerTest::float32InputMatchesDouble()
{
    QFETCH(float, value);
    QFETCH(int, fractionalLength);
    for (RoundingMode mode : {RoundingMode::NearestEven, RoundingMode::NearestAway, RoundingMode::Floor,
                              RoundingMode::TowardZero, RoundingMode::Stochastic}) {
        const FixedPointSpec format = spec(16, fractionalLength, mode);
        for (uint32_t bits : {0u, 0x80000000u, 0xFFFFFFFFu}) {
            const QuantizedValue fromFloat = quantize(value, format, bits);
            const QuantizedValue fromDouble = quantize(double(value), format, bits);
            QCOMPARE(fromFloat.code, fromDouble.code);
            QCOMPARE(fromFloat.flags, fromDouble.flags);
        }
    }
}

void QuantizerTest::requantizesIntegers_data()
{
    QTest::addColumn<qint64>("mantissa");
    QTest::addColumn<int>("sourceFractionalLength");
    QTest::addColumn<int>("wordBits");
    QTest::addColumn<int>("fractionalLength");
    QTest::addColumn<RoundingMode>("rounding");
    QTest::addColumn<int>("code");
    QTest::addColumn<uint>("flags");

    const auto even = RoundingMode::NearestEven;
    const auto away = RoundingMode::NearestAway;
    // An accumulator of 8-bit x 8-bit products at fl 14 brought back to fl 7.
    QTest::newRow("accumulator") << qint64(12345) << 14 << 8 << 7 << even << 96 << 0u;  // 96.445...
    QTest::newRow("accumulator tie") << qint64(3 * 64) << 7 << 8 << 0 << even << 2 << 0u;  // 1.5
    QTest::newRow("accumulator -tie") << qint64(-3 * 64) << 7 << 8 << 0 << away << -2 << 0u;
    // Shifts beyond 62 bits fold the low bits into a sticky bit and stay exact.
    QTest::newRow("shift 63 half") << (qint64(1) << 62) << 63 << 8 << 0 << even << 0 << uint(kUnderflow);
    QTest::newRow("shift 63 above half") << (qint64(1) << 62) + 1 << 63 << 8 << 0 << even << 1 << 0u;
    QTest::newRow("shift 100 away") << (qint64(1) << 62) << 63 << 8 << 0 << away << 1 << 0u;
    QTest::newRow("shift 200 tiny") << qint64(-1) << 200 << 8 << 0 << RoundingMode::Floor << -1 << 0u;
    QTest::newRow("shift 200 nearest") << qint64(-1) << 200 << 8 << 0 << even << 0 << uint(kUnderflow);
    QTest::newRow("int64 min") << std::numeric_limits<qint64>::min() << 63 << 8 << 0 << even << -1 << 0u;
    QTest::newRow("int64 min half") << std::numeric_limits<qint64>::min() << 64 << 8 << 0 << even << 0
                                    << uint(kUnderflow);
    QTest::newRow("int64 min half away") << std::numeric_limits<qint64>::min() << 64 << 8 << 0 << away << -1 << 0u;
    // Scaling up: exact while it fits, saturation when it leaves the format or int64.
    QTest::newRow("scale up") << qint64(3) << 0 << 8 << 4 << even << 48 << 0u;
    QTest::newRow("scale up saturates") << qint64(3) << 0 << 8 << 6 << even << 127 << uint(kSaturatedHigh);
    QTest::newRow("scale up leaves int64") << qint64(-3) << -40 << 32 << 30 << even << int(-2147483647 - 1)
                                           << uint(kSaturatedLow);
}

void QuantizerTest::requantizesIntegers()
{
    QFETCH(qint64, mantissa);
    QFETCH(int, sourceFractionalLength);
    QFETCH(int, wordBits);
    QFETCH(int, fractionalLength);
    QFETCH(RoundingMode, rounding);
    QFETCH(int, code);
    QFETCH(uint, flags);

    const QuantizedValue result = requantize(mantissa, sourceFractionalLength, spec(wordBits, fractionalLength, rounding));
    QCOMPARE(result.code, code);
    QCOMPARE(uint(result.flags), flags);
}

void QuantizerTest::stochasticIsUnbiased_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<int>("fractionalLength");
    QTest::newRow("0.3 at step 0.25") << 0.3 << 2;
    QTest::newRow("-0.3 at step 0.25") << -0.3 << 2;
    QTest::newRow("0.01 at step 1") << 0.01 << 0;
    QTest::newRow("-0.01 at step 1") << -0.01 << 0;
    QTest::newRow("-5.9 at step 4") << -5.9 << -2;
    QTest::newRow("1e-3 at step 2^-8") << 1e-3 << 8;
}

void QuantizerTest::stochasticIsUnbiased()
{
    QFETCH(double, value);
    QFETCH(int, fractionalLength);

    const FixedPointSpec format = spec(8, fractionalLength, RoundingMode::Stochastic);
    const RandomStream stream{12345, 7, 2, RandomTensor::ActivationGradients};
    constexpr int kDraws = 200000;

    double sum = 0;
    int roundedUp = 0;
    const int64_t floorCode = int64_t(std::floor(std::ldexp(value, fractionalLength)));
    for (int i = 0; i < kDraws; ++i) {
        const QuantizedValue result = quantize(value, format, stream.bits(uint32_t(i)));
        QVERIFY2(result.code == floorCode || result.code == floorCode + 1, qPrintable(QString::number(result.code)));
        roundedUp += result.code == floorCode + 1;
        sum += std::ldexp(double(result.code), -fractionalLength);
    }

    // The mean is a sum of independent two-point draws: allow 5 standard deviations.
    const double step = std::ldexp(1.0, -fractionalLength);
    const double fraction = std::ldexp(value, fractionalLength) - double(floorCode);
    const double deviation = step * std::sqrt(fraction * (1 - fraction) / kDraws);
    const double mean = sum / kDraws;
    QVERIFY2(std::abs(mean - value) <= 5 * deviation + 1e-12,
             qPrintable(QString("mean %1 for %2, allowed deviation %3").arg(mean).arg(value).arg(5 * deviation)));
    // Both neighbours must actually occur, so the test cannot pass by never rounding.
    QVERIFY(roundedUp > 0);
    QVERIFY(roundedUp < kDraws);
}

void QuantizerTest::stochasticKeepsGridValues_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<int>("fractionalLength");
    QTest::addColumn<int>("code");
    QTest::newRow("0.25") << 0.25 << 2 << 1;
    QTest::newRow("-0.75") << -0.75 << 2 << -3;
    QTest::newRow("-128") << -128.0 << 0 << -128;
    QTest::newRow("127") << 127.0 << 0 << 127;
    QTest::newRow("-8 at step 4") << -8.0 << -2 << -2;
}

void QuantizerTest::stochasticKeepsGridValues()
{
    QFETCH(double, value);
    QFETCH(int, fractionalLength);
    QFETCH(int, code);

    const FixedPointSpec format = spec(8, fractionalLength, RoundingMode::Stochastic);
    const RandomStream stream{99, 1, 0, RandomTensor::WeightGradients};
    for (uint32_t bits : {0u, 1u, 0x7FFFFFFFu, 0xFFFFFFFFu})
        QCOMPARE(quantize(value, format, bits).code, code);
    for (uint32_t i = 0; i < 10000; ++i)
        QCOMPARE(quantize(value, format, stream.bits(i)).code, code);
}

void QuantizerTest::stochasticExtremeRandomBits()
{
    const FixedPointSpec format = spec(8, 0, RoundingMode::Stochastic);
    // Random bits 0 round up any fraction; all ones never round up.
    QCOMPARE(quantize(2.001, format, 0u).code, 3);
    QCOMPARE(quantize(2.999, format, 0xFFFFFFFFu).code, 2);
    QCOMPARE(quantize(-2.001, format, 0u).code, -2);
    QCOMPARE(quantize(-2.001, format, 0xFFFFFFFFu).code, -3);
    // A fraction of exactly one half rounds up for random bits below 2^31.
    QCOMPARE(quantize(0.5, format, 0x7FFFFFFFu).code, 1);
    QCOMPARE(quantize(0.5, format, 0x80000000u).code, 0);
}

void QuantizerTest::philoxKnownAnswers()
{
    // Known-answer vectors of Philox4x32-10 published with Random123.
    QCOMPARE(philox4x32({0, 0, 0, 0}, {0, 0}), (PhiloxCounter{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
    QCOMPARE(philox4x32({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}),
             (PhiloxCounter{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
    QCOMPARE(philox4x32({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}),
             (PhiloxCounter{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

void QuantizerTest::philoxStreamsDiffer()
{
    // Neighbouring counters must give unrelated bits: no two of these may collide.
    const RandomStream base{1, 0, 0, RandomTensor::Weights};
    RandomStream otherStep = base, otherLayer = base, otherTensor = base, otherSeed = base;
    otherStep.step = 1;
    otherLayer.layer = 1;
    otherTensor.tensor = RandomTensor::Biases;
    otherSeed.seed = 2;
    const uint32_t values[] = {base.bits(0), base.bits(1), otherStep.bits(0), otherLayer.bits(0),
                               otherTensor.bits(0), otherSeed.bits(0)};
    for (size_t i = 0; i < std::size(values); ++i)
        for (size_t j = i + 1; j < std::size(values); ++j)
            QVERIFY2(values[i] != values[j], qPrintable(QString("streams %1 and %2 collide").arg(i).arg(j)));
    QCOMPARE(base.bits(5), RandomStream(base).bits(5));
}

void QuantizerTest::exactToFloatRoundsOnce()
{
    // Long double holds every int64 exactly, so converting it to float rounds only once.
    const RandomStream stream{3, 0, 0, RandomTensor::Initialization};
    for (uint32_t i = 0; i < 20000; ++i) {
        const uint64_t high = stream.bits(2 * i), low = stream.bits(2 * i + 1);
        const int64_t mantissa = int64_t((high << 32) | low) >> (i % 50);
        const int fractionalLength = int(i % 120) - 20;
        const float expected = float(std::ldexp((long double)mantissa, -fractionalLength));
        const float actual = exactToFloat(mantissa, fractionalLength);
        QVERIFY2(actual == expected,
                 qPrintable(QString("%1 * 2^-%2: %3 instead of %4").arg(mantissa).arg(fractionalLength)
                                .arg(double(actual), 0, 'g', 9).arg(double(expected), 0, 'g', 9)));
    }
    QCOMPARE(exactToFloat((int64_t{1} << 24) + 1, 0), 16777216.0f);  // tie to even
    QCOMPARE(exactToFloat((int64_t{1} << 24) + 3, 0), 16777220.0f);
    QCOMPARE(exactToFloat(1, 150), 0.0f);                           // below the normal range
    QCOMPARE(exactToFloat(1, -200), std::numeric_limits<float>::infinity());
}

void QuantizerTest::formatValidation()
{
    QVERIFY(!FixedFormat({2, -32}).validationError().has_value());
    QVERIFY(!FixedFormat({32, 64}).validationError().has_value());
    const auto tooNarrow = FixedFormat({1, 0}).validationError();
    QVERIFY(tooNarrow.has_value());
    QVERIFY(tooNarrow->find("word bits 1") != std::string::npos);
    QVERIFY(FixedFormat({33, 0}).validationError().has_value());
    const auto fractional = FixedFormat({8, 65}).validationError();
    QVERIFY(fractional.has_value());
    QVERIFY(fractional->find("fractional length 65") != std::string::npos);
    QVERIFY(FixedFormat({8, -33}).validationError().has_value());
    QCOMPARE(FixedFormat({8, 8}).integerBits(), -1);
    QCOMPARE(FixedFormat({8, 8}).minValue(), -0.5);
    QCOMPARE(FixedFormat({8, 8}).maxValue(), 0.49609375);
}

QTEST_APPLESS_MAIN(QuantizerTest)
#include "test_quantizer.moc"
