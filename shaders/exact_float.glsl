// Conversions between exact fixed-point values and floats, as core/numeric/quantizer.cpp does
// them. exactToFloatBits uses integer arithmetic only; dequantize is one int-to-float conversion
// and one multiplication by a power of two, both exact for codes below 2^24 and correctly rounded
// above, as Vulkan requires.
// Requires GL_EXT_shader_explicit_arithmetic_types_int64.
#ifndef FXLAB_EXACT_FLOAT_GLSL
#define FXLAB_EXACT_FLOAT_GLSL

// The number of significant bits of `value`; 0 for 0.
int bitLength(uint64_t value)
{
    const uint high = uint(value >> 32);
    if (high != 0u)
        return 33 + findMSB(high);
    return 1 + findMSB(uint(value));
}

// The bit pattern of the float nearest to mantissa * 2^-fractionalLength (ties to even), as
// exactToFloat(): results below the smallest normal float become a zero of the same sign and
// results above the largest float become infinity.
uint exactToFloatBits(int64_t mantissa, int fractionalLength)
{
    if (mantissa == 0l)
        return 0u;

    const bool negative = mantissa < 0l;
    uint64_t magnitude = negative ? uint64_t(-mantissa) : uint64_t(mantissa);
    const int length = bitLength(magnitude);

    // Bring the magnitude to exactly 24 significant bits; `exponent` tracks the power of two.
    int exponent = -fractionalLength;
    if (length > 24) {
        const int shift = length - 24;
        const uint64_t dropped = magnitude & ((1ul << shift) - 1ul);
        const uint64_t halfway = 1ul << (shift - 1);
        magnitude >>= shift;
        if (dropped > halfway || (dropped == halfway && (magnitude & 1ul) != 0ul))
            ++magnitude;
        exponent += shift;
        if (magnitude == (1ul << 24)) {
            magnitude >>= 1;
            ++exponent;
        }
    } else {
        magnitude <<= 24 - length;
        exponent -= 24 - length;
    }

    const int biased = exponent + 23 + 127;
    const uint sign = negative ? 0x80000000u : 0u;
    if (biased <= 0)
        return sign;
    if (biased >= 255)
        return sign | 0x7F800000u;
    return sign | (uint(biased) << 23) | (uint(magnitude) & 0x7FFFFFu);
}

// 2^exponent as a float, for exponents from -126 to 127, as powerOfTwo().
float powerOfTwo(int exponent)
{
    return uintBitsToFloat(uint(exponent + 127) << 23);
}

// The value of a code, as dequantize().
float dequantize(int code, int fractionalLength)
{
    precise float value = float(code) * powerOfTwo(-fractionalLength);
    return value;
}

// Whether the float with bit pattern `bits` is neither infinite nor NaN. Working on the pattern
// keeps the test from being optimized away by compilers that assume finite math.
bool isFiniteBits(uint bits)
{
    return (bits & 0x7F800000u) != 0x7F800000u;
}

#endif
