// The fixed-point quantizer. Every conversion to a code goes through requantize(), which works on
// exact integers only: a value is an int64 mantissa and a fractional length, and a float or double
// input is first split into its exact mantissa and exponent. No float arithmetic takes part, so a
// 32-bit word is as exact as an 8-bit one, and shaders/quantizer.glsl reproduces every bit.
#pragma once

#include "numeric/fixed_format.h"

#include <cstddef>
#include <cstdint>

namespace fxlab {

// Event flags of one quantized element.
enum QuantFlag : uint32_t {
    kSaturatedHigh = 1u,  // above the range: clamped to the top code, or wrapped
    kSaturatedLow = 2u,   // below the range: clamped to the bottom code, or wrapped
    kUnderflow = 4u,      // a nonzero value rounded to zero
    kNotANumber = 8u,     // NaN input: the code is 0
};

struct QuantizedValue {
    int32_t code = 0;
    uint32_t flags = 0;
};

// Event counts of a tensor's quantization. Counters are 64-bit so they cannot wrap.
struct QuantEvents {
    uint64_t elements = 0;
    uint64_t saturated = 0;
    uint64_t underflowed = 0;
    uint64_t notANumber = 0;

    void count(uint32_t flags)
    {
        ++elements;
        saturated += (flags & (kSaturatedHigh | kSaturatedLow)) != 0;
        underflowed += (flags & kUnderflow) != 0;
        notANumber += (flags & kNotANumber) != 0;
    }
    QuantEvents& operator+=(const QuantEvents& other)
    {
        elements += other.elements;
        saturated += other.saturated;
        underflowed += other.underflowed;
        notANumber += other.notANumber;
        return *this;
    }
    bool operator==(const QuantEvents&) const = default;
};

// Divides `value` by 2^shift (shift >= 1) and rounds the quotient to an integer with `mode`.
// Stochastic rounding rounds up when `randomBits` is below the top 32 bits of the discarded
// fraction, so it rounds up with probability fraction - e, 0 <= e < 2^-32, and an exact quotient
// never moves. Shifts of any size are exact: bits below the 62nd are folded into a sticky bit.
int64_t roundShiftRight(int64_t value, int shift, RoundingMode mode, uint32_t randomBits);

// Quantizes the exact value mantissa * 2^-sourceFractionalLength to `spec`.
QuantizedValue requantize(int64_t mantissa, int sourceFractionalLength, const FixedPointSpec& spec,
                          uint32_t randomBits = 0);

// Quantizes a floating-point value exactly: +inf and -inf saturate to the top and bottom codes
// in every overflow mode, NaN gives code 0 and the kNotANumber flag.
QuantizedValue quantize(double value, const FixedPointSpec& spec, uint32_t randomBits = 0);
QuantizedValue quantize(float value, const FixedPointSpec& spec, uint32_t randomBits = 0);

// The float nearest to mantissa * 2^-fractionalLength (ties to even). Results below the smallest
// normal float become zero and results above the largest float become infinity, so that no result
// depends on whether a device keeps denormals.
float exactToFloat(int64_t mantissa, int fractionalLength);

// 2^exponent as a float, for exponents from -126 to 127.
float powerOfTwo(int exponent);

// The value of a code: exact for codes below 2^24 in magnitude, correctly rounded above.
inline float dequantize(int32_t code, int fractionalLength)
{
    return float(code) * powerOfTwo(-fractionalLength);
}

} // namespace fxlab
