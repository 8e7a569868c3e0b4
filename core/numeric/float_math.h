// exp, log and reciprocal built only from float additions, multiplications and bit operations,
// which every Vulkan device rounds correctly. The loss uses these instead of std::exp and
// division so that the CPU and GPU backends compute identical bits; shaders/float_math.glsl is
// the same code. Constants are given as bit patterns so that no compiler rounds a decimal literal
// differently. Build with -ffp-contract=off: a fused multiply-add would change the bits.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

namespace fxlab::deterministic {

constexpr float fromBits(uint32_t bits)
{
    return std::bit_cast<float>(bits);
}

// 2^k for k from -126 to 127.
inline float exp2Integer(int k)
{
    return std::bit_cast<float>(uint32_t(k + 127) << 23);
}

// e^x for x <= 0, relative error about 2e-7; exactly 0 below -87, where e^x stops being a
// normal float.
inline float expNonPositive(float x)
{
    if (x < -87.0f)
        return 0.0f;
    // x = k ln2 + r with 0 <= r < ln2 up to rounding. ln2 is split in two so that k * ln2High
    // is exact for |k| < 2^15.
    const float k = std::floor(x * fromBits(0x3FB8AA3Bu));
    const float r = (x - k * fromBits(0x3F318000u)) - k * fromBits(0xB95E8083u);
    // Taylor series of e^r up to r^8 / 8!; the first omitted term is below 1.2e-7 for r < ln2.
    float p = fromBits(0x37D00D01u);
    p = p * r + fromBits(0x39500D01u);
    p = p * r + fromBits(0x3AB60B61u);
    p = p * r + fromBits(0x3C088889u);
    p = p * r + fromBits(0x3D2AAAABu);
    p = p * r + fromBits(0x3E2AAAABu);
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    return p * exp2Integer(int(k));
}

// 1 / x for positive normal x: a bit-level first guess (relative error below 1/8) refined by four
// Newton steps, each of which squares the error.
inline float reciprocal(float x)
{
    float y = std::bit_cast<float>(0x7EF311C7u - std::bit_cast<uint32_t>(x));
    for (int i = 0; i < 4; ++i)
        y = y * (2.0f - x * y);
    return y;
}

// Natural logarithm of a positive normal x, absolute error about 1e-7 per unit of log2(x).
inline float logPositive(float x)
{
    const uint32_t bits = std::bit_cast<uint32_t>(x);
    int exponent = int(bits >> 23) - 127;
    float mantissa = std::bit_cast<float>((bits & 0x007FFFFFu) | 0x3F800000u);  // in [1, 2)
    if (mantissa > fromBits(0x3FB504F3u)) {
        mantissa *= 0.5f;
        ++exponent;
    }
    // log(m) = 2 atanh(t) with t = (m - 1) / (m + 1), and |t| < 0.172 for m in [0.707, 1.414].
    const float t = (mantissa - 1.0f) * reciprocal(mantissa + 1.0f);
    const float t2 = t * t;
    float series = fromBits(0x3DBA2E8Cu);
    series = series * t2 + fromBits(0x3DE38E39u);
    series = series * t2 + fromBits(0x3E124925u);
    series = series * t2 + fromBits(0x3E4CCCCDu);
    series = series * t2 + fromBits(0x3EAAAAABu);
    series = series * t2 + 1.0f;
    return 2.0f * t * series + float(exponent) * fromBits(0x3F317218u);
}

} // namespace fxlab::deterministic
