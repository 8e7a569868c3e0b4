// exp, log and reciprocal from float additions, multiplications and bit operations: the functions
// of core/numeric/float_math.h with the same constants and the same order of operations. Every
// intermediate is `precise`, so no compiler fuses a multiply and an add or reorders a sum, and
// the results match the CPU reference bit for bit on any device that rounds fp32 add and
// multiply correctly, as Vulkan requires.
#ifndef FXLAB_FLOAT_MATH_GLSL
#define FXLAB_FLOAT_MATH_GLSL

float fromBits(uint bits)
{
    return uintBitsToFloat(bits);
}

// 2^k for k from -126 to 127.
float exp2Integer(int k)
{
    return uintBitsToFloat(uint(k + 127) << 23);
}

// e^x for x <= 0; exactly 0 below -87.
float expNonPositive(float x)
{
    if (x < -87.0)
        return 0.0;
    precise float k = floor(x * fromBits(0x3FB8AA3Bu));
    precise float r = (x - k * fromBits(0x3F318000u)) - k * fromBits(0xB95E8083u);
    precise float p = fromBits(0x37D00D01u);
    p = p * r + fromBits(0x39500D01u);
    p = p * r + fromBits(0x3AB60B61u);
    p = p * r + fromBits(0x3C088889u);
    p = p * r + fromBits(0x3D2AAAABu);
    p = p * r + fromBits(0x3E2AAAABu);
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    precise float result = p * exp2Integer(int(k));
    return result;
}

// 1 / x for positive normal x: a bit-level first guess refined by four Newton steps.
float reciprocal(float x)
{
    precise float y = uintBitsToFloat(0x7EF311C7u - floatBitsToUint(x));
    for (int i = 0; i < 4; ++i)
        y = y * (2.0 - x * y);
    return y;
}

// Natural logarithm of a positive normal x.
float logPositive(float x)
{
    const uint bits = floatBitsToUint(x);
    int exponent = int(bits >> 23) - 127;
    precise float mantissa = uintBitsToFloat((bits & 0x007FFFFFu) | 0x3F800000u);
    if (mantissa > fromBits(0x3FB504F3u)) {
        mantissa *= 0.5;
        ++exponent;
    }
    precise float t = (mantissa - 1.0) * reciprocal(mantissa + 1.0);
    precise float t2 = t * t;
    precise float series = fromBits(0x3DBA2E8Cu);
    series = series * t2 + fromBits(0x3DE38E39u);
    series = series * t2 + fromBits(0x3E124925u);
    series = series * t2 + fromBits(0x3E4CCCCDu);
    series = series * t2 + fromBits(0x3EAAAAABu);
    series = series * t2 + 1.0;
    precise float result = 2.0 * t * series + float(exponent) * fromBits(0x3F317218u);
    return result;
}

#endif
