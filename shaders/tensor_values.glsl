// Reading tensor elements as floats. A tensor buffer holds 32-bit words: fixed-point codes, or
// float32 bit patterns. The float kernels read either, because the CPU reference turns codes
// into floats (dequantize) wherever a float computation takes a fixed-point operand.
#ifndef FXLAB_TENSOR_VALUES_GLSL
#define FXLAB_TENSOR_VALUES_GLSL

#include "exact_float.glsl"

// The value of one element: the word's code times `step` (2^-fractionalLength) when `isCodes`,
// else the float whose bit pattern the word is. The product is exact for codes below 2^24.
float valueOf(uint word, bool isCodes, float step)
{
    precise float value = isCodes ? float(int(word)) * step : uintBitsToFloat(word);
    return value;
}

#endif
