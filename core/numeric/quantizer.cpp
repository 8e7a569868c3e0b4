#include "numeric/quantizer.h"

#include <bit>
#include <cmath>
#include <limits>

namespace fxlab {

namespace {

// Keeps the low `wordBits` bits of `bits` as a two's-complement number.
int64_t signExtend(uint64_t bits, int wordBits)
{
    const int unused = 64 - wordBits;
    return int64_t(bits << unused) >> unused;
}

QuantizedValue overflowed(bool positive, uint64_t exactLowBits, const FixedPointSpec& spec)
{
    const uint32_t flag = positive ? kSaturatedHigh : kSaturatedLow;
    if (spec.overflow == OverflowMode::Wrap)
        return {int32_t(signExtend(exactLowBits, spec.format.wordBits)), flag};
    const int64_t code = positive ? spec.format.maxCode() : spec.lowestCode();
    return {int32_t(code), flag};
}

} // namespace

int64_t roundShiftRight(int64_t value, int shift, RoundingMode mode, uint32_t randomBits)
{
    // Fold everything below bit (shift - 62) into one sticky bit. The floor keeps its value and
    // the remainder keeps its order relative to one half, so every mode decides as before.
    if (shift > 62) {
        const int fold = shift - 62;
        int64_t folded;
        bool sticky;
        if (fold >= 64) {
            folded = value < 0 ? -1 : 0;
            sticky = value != 0;
        } else {
            folded = value >> fold;
            sticky = (uint64_t(value) & ((uint64_t{1} << fold) - 1)) != 0;
        }
        value = folded | int64_t(sticky);
        shift = 62;
    }

    const int64_t floorQuotient = value >> shift;
    const uint64_t remainder = uint64_t(value) & ((uint64_t{1} << shift) - 1);
    const uint64_t half = uint64_t{1} << (shift - 1);

    bool roundUp = false;
    switch (mode) {
    case RoundingMode::NearestEven:
        roundUp = remainder > half || (remainder == half && (floorQuotient & 1) != 0);
        break;
    case RoundingMode::NearestAway:
        roundUp = remainder > half || (remainder == half && value >= 0);
        break;
    case RoundingMode::Floor:
        break;
    case RoundingMode::TowardZero:
        roundUp = remainder != 0 && value < 0;
        break;
    case RoundingMode::Stochastic: {
        const uint64_t fraction32 = shift >= 32 ? remainder >> (shift - 32) : remainder << (32 - shift);
        roundUp = uint64_t{randomBits} < fraction32;
        break;
    }
    }
    return floorQuotient + int64_t(roundUp);
}

QuantizedValue requantize(int64_t mantissa, int sourceFractionalLength, const FixedPointSpec& spec,
                          uint32_t randomBits)
{
    if (mantissa == 0)
        return {0, 0};

    const int shift = sourceFractionalLength - spec.format.fractionalLength;
    int64_t rounded;
    if (shift > 0) {
        rounded = roundShiftRight(mantissa, shift, spec.rounding, randomBits);
    } else {
        // Scaling up is exact unless the result leaves int64, which is far outside every format.
        const int scale = -shift;
        const bool leavesInt64 = scale >= 63 || mantissa > (std::numeric_limits<int64_t>::max() >> scale)
            || mantissa < (std::numeric_limits<int64_t>::min() >> scale);
        if (leavesInt64) {
            const uint64_t lowBits = scale >= 64 ? 0 : uint64_t(mantissa) << scale;
            return overflowed(mantissa > 0, lowBits, spec);
        }
        rounded = int64_t(uint64_t(mantissa) << scale);
    }

    if (rounded == 0)
        return {0, kUnderflow};
    if (rounded > spec.format.maxCode() || rounded < spec.lowestCode())
        return overflowed(rounded > 0, uint64_t(rounded), spec);
    return {int32_t(rounded), 0};
}

QuantizedValue quantize(double value, const FixedPointSpec& spec, uint32_t randomBits)
{
    const uint64_t bits = std::bit_cast<uint64_t>(value);
    const bool negative = (bits >> 63) != 0;
    const int biasedExponent = int((bits >> 52) & 0x7FF);
    const uint64_t fraction = bits & ((uint64_t{1} << 52) - 1);

    if (biasedExponent == 0x7FF) {
        if (fraction != 0)
            return {0, kNotANumber};
        return negative ? QuantizedValue{int32_t(spec.lowestCode()), kSaturatedLow}
                        : QuantizedValue{int32_t(spec.format.maxCode()), kSaturatedHigh};
    }

    // value = significand * 2^exponent with an integer significand of up to 53 bits.
    const uint64_t significand = biasedExponent == 0 ? fraction : fraction | (uint64_t{1} << 52);
    const int exponent = biasedExponent == 0 ? -1074 : biasedExponent - 1075;
    const int64_t mantissa = negative ? -int64_t(significand) : int64_t(significand);
    return requantize(mantissa, -exponent, spec, randomBits);
}

QuantizedValue quantize(float value, const FixedPointSpec& spec, uint32_t randomBits)
{
    const uint32_t bits = std::bit_cast<uint32_t>(value);
    const bool negative = (bits >> 31) != 0;
    const int biasedExponent = int((bits >> 23) & 0xFF);
    const uint32_t fraction = bits & ((1u << 23) - 1);

    if (biasedExponent == 0xFF) {
        if (fraction != 0)
            return {0, kNotANumber};
        return negative ? QuantizedValue{int32_t(spec.lowestCode()), kSaturatedLow}
                        : QuantizedValue{int32_t(spec.format.maxCode()), kSaturatedHigh};
    }

    const uint32_t significand = biasedExponent == 0 ? fraction : fraction | (1u << 23);
    const int exponent = biasedExponent == 0 ? -149 : biasedExponent - 150;
    const int64_t mantissa = negative ? -int64_t(significand) : int64_t(significand);
    return requantize(mantissa, -exponent, spec, randomBits);
}

float exactToFloat(int64_t mantissa, int fractionalLength)
{
    if (mantissa == 0)
        return 0.0f;

    const bool negative = mantissa < 0;
    uint64_t magnitude = negative ? 0 - uint64_t(mantissa) : uint64_t(mantissa);
    const int length = 64 - std::countl_zero(magnitude);

    // Bring the magnitude to exactly 24 significant bits; `exponent` tracks the power of two.
    int exponent = -fractionalLength;
    if (length > 24) {
        const int shift = length - 24;
        const uint64_t dropped = magnitude & ((uint64_t{1} << shift) - 1);
        const uint64_t half = uint64_t{1} << (shift - 1);
        magnitude >>= shift;
        if (dropped > half || (dropped == half && (magnitude & 1) != 0))
            ++magnitude;
        exponent += shift;
        if (magnitude == (uint64_t{1} << 24)) {
            magnitude >>= 1;
            ++exponent;
        }
    } else {
        magnitude <<= 24 - length;
        exponent -= 24 - length;
    }

    // The float is 1.f * 2^(exponent + 23).
    const int biased = exponent + 23 + 127;
    const uint32_t sign = negative ? 0x80000000u : 0u;
    if (biased <= 0)
        return std::bit_cast<float>(sign);
    if (biased >= 255)
        return std::bit_cast<float>(sign | 0x7F800000u);
    return std::bit_cast<float>(sign | (uint32_t(biased) << 23) | (uint32_t(magnitude) & 0x7FFFFFu));
}

float powerOfTwo(int exponent)
{
    return std::bit_cast<float>(uint32_t(exponent + 127) << 23);
}

} // namespace fxlab
