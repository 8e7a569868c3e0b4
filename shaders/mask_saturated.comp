// Stops the error of every activation that saturated in the forward pass: the clamp does not
// change when its input moves further out, so its gradient is 0 (the clipped straight-through
// estimate of the CPU reference). A code 0 and a float +0 are both the word 0.
#version 450
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require

#include "quantizer.glsl"

layout(local_size_x_id = 0) in;

// The event flags that the activations' requantization wrote.
layout(std430, set = 0, binding = 0) readonly buffer Flags { uint flags[]; };
layout(std430, set = 0, binding = 1) buffer Gradient { uint gradientWords[]; };

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
    if ((flags[index] & (kSaturatedHigh | kSaturatedLow)) != 0u)
        gradientWords[index] = 0u;
}
