// ReLU forward: max(code, 0) as an exact int32 value at the input's fractional length, or for
// floats x when x > 0 or NaN (NaN passes so the trainer sees it), else +0.
#version 450

#include "float_bits.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const bool kInputCodes = true;

layout(std430, set = 0, binding = 0) readonly buffer Input { uint inputWords[]; };
layout(std430, set = 0, binding = 1) writeonly buffer Output { uint outputWords[]; };

// Field order and types match ElementwiseParameters in core/backend/vulkan.
layout(push_constant) uniform Parameters {
    uint firstInvocation;
    uint invocationCount;
} parameters;

void main()
{
    const uint index = parameters.firstInvocation + gl_GlobalInvocationID.x;
    if (index >= parameters.invocationCount)
        return;

    const uint word = inputWords[index];
    if (kInputCodes)
        outputWords[index] = uint(max(int(word), 0));
    else
        outputWords[index] = isPositiveBits(word) || isNaNBits(word) ? word : 0u;
}
