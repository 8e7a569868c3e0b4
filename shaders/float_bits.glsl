// Float comparisons on bit patterns. Devices may treat denormals as zero in arithmetic and
// comparisons (lavapipe does); these tests do not, so they decide as IEEE 754 and the CPU
// reference do.
#ifndef FXLAB_FLOAT_BITS_GLSL
#define FXLAB_FLOAT_BITS_GLSL

bool isNaNBits(uint bits)
{
    return (bits & 0x7FFFFFFFu) > 0x7F800000u;
}

// x > 0 for the float with bit pattern `bits`: positive, nonzero and not NaN.
bool isPositiveBits(uint bits)
{
    return bits != 0u && bits <= 0x7F800000u;
}

// a > b as IEEE 754 compares: false when either is NaN, and +0 equals -0.
bool isGreaterBits(uint a, uint b)
{
    if (isNaNBits(a) || isNaNBits(b))
        return false;
    if (((a | b) & 0x7FFFFFFFu) == 0u)
        return false;
    // Maps the floats' order onto unsigned integers: negatives reversed below the positives.
    const uint keyA = (a & 0x80000000u) != 0u ? ~a : (a | 0x80000000u);
    const uint keyB = (b & 0x80000000u) != 0u ? ~b : (b | 0x80000000u);
    return keyA > keyB;
}

#endif
