// 2x2 average pooling backward: every element of a window receives the window's error, as a
// code with two more fractional bits (the exact quarter), or as a float times 0.25. The odd
// trailing rows and columns receive 0.
#version 450

#include "pool_geometry.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const bool kGradientCodes = true;

layout(std430, set = 0, binding = 0) readonly buffer Gradient { uint gradientWords[]; };
layout(std430, set = 0, binding = 1) writeonly buffer Output { uint outputWords[]; };

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
    if (window == 0xFFFFFFFFu) {
        outputWords[index] = 0u;
    } else if (kGradientCodes) {
        outputWords[index] = gradientWords[window];
    } else {
        precise float quarter = uintBitsToFloat(gradientWords[window]) * 0.25;
        outputWords[index] = floatBitsToUint(quarter);
    }
}
