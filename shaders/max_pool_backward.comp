// 2x2 max pooling backward: each input element receives the error of its window when it was
// the window's maximum, and 0 otherwise. Windows do not overlap, so every input element has at
// most one window. The words are copied, so codes keep the error's fractional length.
#version 450

#include "pool_geometry.glsl"

layout(local_size_x_id = 0) in;

layout(std430, set = 0, binding = 0) readonly buffer Gradient { uint gradientWords[]; };
layout(std430, set = 0, binding = 1) readonly buffer Argmax { uint argmax[]; };
// A code 0 and a float +0 are both the word 0.
layout(std430, set = 0, binding = 2) writeonly buffer Output { uint outputWords[]; };

// Field order and types match PoolParameters in core/backend/vulkan.
layout(push_constant) uniform Parameters {
    uint firstInvocation;
    uint invocationCount;   // input elements over the batch
    PoolGeometry geometry;
} parameters;

void main()
{
    const uint index = parameters.firstInvocation + gl_GlobalInvocationID.x;
    if (index >= parameters.invocationCount)
        return;

    const uint window = windowOf(parameters.geometry, index);
    outputWords[index] = window != 0xFFFFFFFFu && argmax[window] == index ? gradientWords[window] : 0u;
}
