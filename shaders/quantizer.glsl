// The fixed-point quantizer of core/numeric/quantizer.cpp, function by function and line by line,
// so that a reader can compare the two. Only integer arithmetic takes part, which every Vulkan
// device computes identically, so codes and flags match the CPU bit for bit.
// Requires GL_EXT_shader_explicit_arithmetic_types_int64 (the device feature shaderInt64).
#ifndef FXLAB_QUANTIZER_GLSL
#define FXLAB_QUANTIZER_GLSL

// Event flags of one quantized element: the values of QuantFlag.
const uint kSaturatedHigh = 1u;
const uint kSaturatedLow = 2u;
const uint kUnderflow = 4u;
const uint kNotANumber = 8u;

// RoundingMode and OverflowMode in declaration order, which the host checks at compile time.
const uint kRoundNearestEven = 0u;
const uint kRoundNearestAway = 1u;
const uint kRoundFloor = 2u;
const uint kRoundTowardZero = 3u;
const uint kRoundStochastic = 4u;

const uint kOverflowSaturate = 0u;
const uint kOverflowSymmetricSaturate = 1u;
const uint kOverflowWrap = 2u;

const int64_t kInt64Max = 0x7FFFFFFFFFFFFFFFl;
const int64_t kInt64Min = -kInt64Max - 1l;

struct FixedPointSpec {
    int wordBits;
    int fractionalLength;
    uint rounding;
    uint overflow;
};

struct QuantizedValue {
    int code;
    uint flags;
};

int64_t maxCode(FixedPointSpec spec)
{
    return (1l << (spec.wordBits - 1)) - 1l;
}

int64_t lowestCode(FixedPointSpec spec)
{
    // Symmetric saturation drops -2^(b-1).
    return spec.overflow == kOverflowSymmetricSaturate ? -maxCode(spec) : -(1l << (spec.wordBits - 1));
}

// The int32 code in `word` as an int64. Built from bit operations rather than by converting
// int(word): lavapipe (Mesa 22.3.6) then compared the converted value with 0 as if unsigned, so
// negative codes read as huge positive values.
int64_t codeFromWord(uint word)
{
    const uint64_t high = (word & 0x80000000u) != 0u ? 0xFFFFFFFF00000000ul : 0ul;
    return int64_t(high | uint64_t(word));
}

// Keeps the low `wordBits` bits of `bits` as a two's-complement number.
int64_t signExtend(uint64_t bits, int wordBits)
{
    const int unused = 64 - wordBits;
    return int64_t(bits << unused) >> unused;
}

QuantizedValue overflowed(bool positive, uint64_t exactLowBits, FixedPointSpec spec)
{
    const uint flag = positive ? kSaturatedHigh : kSaturatedLow;
    if (spec.overflow == kOverflowWrap)
        return QuantizedValue(int(signExtend(exactLowBits, spec.wordBits)), flag);
    const int64_t code = positive ? maxCode(spec) : lowestCode(spec);
    return QuantizedValue(int(code), flag);
}

// Divides `value` by 2^shift (shift >= 1) and rounds the quotient to an integer with `mode`.
// Stochastic rounding rounds up when `randomBits` is below the top 32 bits of the discarded
// fraction. Bits below the 62nd are folded into a sticky bit, so shifts of any size are exact.
int64_t roundShiftRight(int64_t value, int shift, uint mode, uint randomBits)
{
    if (shift > 62) {
        const int fold = shift - 62;
        int64_t folded;
        bool sticky;
        if (fold >= 64) {
            folded = value < 0l ? -1l : 0l;
            sticky = value != 0l;
        } else {
            folded = value >> fold;
            sticky = (uint64_t(value) & ((1ul << fold) - 1ul)) != 0ul;
        }
        value = folded | (sticky ? 1l : 0l);
        shift = 62;
    }

    const int64_t floorQuotient = value >> shift;
    const uint64_t remainder = uint64_t(value) & ((1ul << shift) - 1ul);
    // `half` is a reserved word in GLSL, hence the longer name.
    const uint64_t halfway = 1ul << (shift - 1);

    bool roundUp = false;
    switch (mode) {
    case kRoundNearestEven:
        roundUp = remainder > halfway || (remainder == halfway && (floorQuotient & 1l) != 0l);
        break;
    case kRoundNearestAway:
        roundUp = remainder > halfway || (remainder == halfway && value >= 0l);
        break;
    case kRoundFloor:
        break;
    case kRoundTowardZero:
        roundUp = remainder != 0ul && value < 0l;
        break;
    case kRoundStochastic: {
        const uint64_t fraction32 = shift >= 32 ? remainder >> (shift - 32) : remainder << (32 - shift);
        roundUp = uint64_t(randomBits) < fraction32;
        break;
    }
    }
    return floorQuotient + (roundUp ? 1l : 0l);
}

// Quantizes the exact value mantissa * 2^-sourceFractionalLength to `spec`.
QuantizedValue requantize(int64_t mantissa, int sourceFractionalLength, FixedPointSpec spec, uint randomBits)
{
    if (mantissa == 0l)
        return QuantizedValue(0, 0u);

    const int shift = sourceFractionalLength - spec.fractionalLength;
    int64_t rounded;
    if (shift > 0) {
        rounded = roundShiftRight(mantissa, shift, spec.rounding, randomBits);
    } else {
        // Scaling up is exact unless the result leaves int64, which is far outside every format.
        // Nested tests keep every shift below 64 bits, where SPIR-V defines the result.
        const int scale = -shift;
        bool leavesInt64 = scale >= 63;
        if (!leavesInt64)
            leavesInt64 = mantissa > (kInt64Max >> scale) || mantissa < (kInt64Min >> scale);
        if (leavesInt64) {
            const uint64_t lowBits = scale >= 64 ? 0ul : uint64_t(mantissa) << scale;
            return overflowed(mantissa > 0l, lowBits, spec);
        }
        rounded = int64_t(uint64_t(mantissa) << scale);
    }

    if (rounded == 0l)
        return QuantizedValue(0, kUnderflow);
    if (rounded > maxCode(spec) || rounded < lowestCode(spec))
        return overflowed(rounded > 0l, uint64_t(rounded), spec);
    return QuantizedValue(int(rounded), 0u);
}

// Splits the finite float32 whose bit pattern is `bits` into the exact value
// mantissa * 2^-fractionalLength. Returns false for infinities and NaN.
bool splitFloatBits(uint bits, out int64_t mantissa, out int fractionalLength)
{
    const bool negative = (bits >> 31) != 0u;
    const int biasedExponent = int((bits >> 23) & 0xFFu);
    const uint fraction = bits & ((1u << 23) - 1u);
    if (biasedExponent == 0xFF)
        return false;

    const uint significand = biasedExponent == 0 ? fraction : fraction | (1u << 23);
    const int exponent = biasedExponent == 0 ? -149 : biasedExponent - 150;
    mantissa = negative ? -int64_t(significand) : int64_t(significand);
    fractionalLength = -exponent;
    return true;
}

// Whether rounding mantissa * 2^-sourceFractionalLength to `spec` falls between two codes, so
// that stochastic rounding needs random bits. A value on the grid never moves, so callers may
// skip drawing bits for it; the result is the same.
bool needsRandomBits(int64_t mantissa, int sourceFractionalLength, FixedPointSpec spec)
{
    const int shift = sourceFractionalLength - spec.fractionalLength;
    if (mantissa == 0l || shift <= 0)
        return false;
    return shift >= 64 || (uint64_t(mantissa) & ((1ul << shift) - 1ul)) != 0ul;
}

// Quantizes the float32 whose bit pattern is `bits`. Working on the pattern rather than on a
// float value keeps denormals and NaN payloads intact on devices that flush or canonicalize them.
// +inf and -inf saturate in every overflow mode, NaN gives code 0 and kNotANumber.
QuantizedValue quantizeFloatBits(uint bits, FixedPointSpec spec, uint randomBits)
{
    int64_t mantissa;
    int fractionalLength;
    if (!splitFloatBits(bits, mantissa, fractionalLength)) {
        if ((bits & ((1u << 23) - 1u)) != 0u)
            return QuantizedValue(0, kNotANumber);
        return (bits >> 31) != 0u ? QuantizedValue(int(lowestCode(spec)), kSaturatedLow)
                                  : QuantizedValue(int(maxCode(spec)), kSaturatedHigh);
    }
    return requantize(mantissa, fractionalLength, spec, randomBits);
}

#endif
