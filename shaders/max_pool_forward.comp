// 2x2 max pooling forward: the largest element of each window, the first in window order (top
// left, top right, bottom left, bottom right) among equals, and its input index for the backward
// pass. Codes stay exact at the input's fractional length.
#version 450

#include "float_bits.glsl"
#include "pool_geometry.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const bool kInputCodes = true;

layout(std430, set = 0, binding = 0) readonly buffer Input { uint inputWords[]; };
layout(std430, set = 0, binding = 1) writeonly buffer Output { uint outputWords[]; };
layout(std430, set = 0, binding = 2) writeonly buffer Argmax { uint argmax[]; };

// Field order and types match PoolParameters in core/backend/vulkan.
layout(push_constant) uniform Parameters {
    uint firstInvocation;
    uint invocationCount;   // outputs over the batch
    PoolGeometry geometry;
} parameters;

bool isLarger(uint candidate, uint best)
{
    return kInputCodes ? int(candidate) > int(best) : isGreaterBits(candidate, best);
}

void main()
{
    const uint index = parameters.firstInvocation + gl_GlobalInvocationID.x;
    if (index >= parameters.invocationCount)
        return;

    uint best = windowSource(parameters.geometry, index, 0u, 0u);
    for (uint d = 1u; d < 4u; ++d) {
        const uint candidate = windowSource(parameters.geometry, index, d / 2u, d % 2u);
        if (isLarger(inputWords[candidate], inputWords[best]))
            best = candidate;
    }
    argmax[index] = best;
    outputWords[index] = inputWords[best];
}
