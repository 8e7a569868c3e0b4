// ReLU backward: the error passes where the layer's input was above zero and is 0 elsewhere.
// Codes stay exact at the error's fractional length; floats are copied.
#version 450

#include "float_bits.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const bool kInputCodes = true;

layout(std430, set = 0, binding = 0) readonly buffer Input { uint inputWords[]; };
layout(std430, set = 0, binding = 1) readonly buffer Gradient { uint gradientWords[]; };
// A code 0 and a float +0 are both the word 0.
layout(std430, set = 0, binding = 2) writeonly buffer Output { uint outputWords[]; };

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
    const bool passes = kInputCodes ? int(word) > 0 : isPositiveBits(word);
    outputWords[index] = passes ? gradientWords[index] : 0u;
}
