// 2x2 average pooling forward. Codes: the exact sum of the four codes, an int64 with two more
// fractional bits than the input, which is the exact mean. Floats: ((0 + a) + b + c + d) * 0.25,
// each operation rounded on its own as in the CPU reference.
#version 450
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require

#include "pool_geometry.glsl"
#include "quantizer.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const bool kInputCodes = true;

layout(std430, set = 0, binding = 0) readonly buffer Input { uint inputWords[]; };
// Codes: int64 sums as (low word, high word). Floats: one word per output.
layout(std430, set = 0, binding = 1) writeonly buffer Output { uint outputWords[]; };

// Field order and types match PoolParameters in core/backend/vulkan.
layout(push_constant) uniform Parameters {
    uint firstInvocation;
    uint invocationCount;   // outputs over the batch
    PoolGeometry geometry;
} parameters;

void main()
{
    const uint index = parameters.firstInvocation + gl_GlobalInvocationID.x;
    if (index >= parameters.invocationCount)
        return;

    if (kInputCodes) {
        int64_t sum = 0l;
        for (uint d = 0u; d < 4u; ++d)
            sum += codeFromWord(inputWords[windowSource(parameters.geometry, index, d / 2u, d % 2u)]);
        outputWords[2u * index] = uint(sum);
        outputWords[2u * index + 1u] = uint(uint64_t(sum) >> 32);
    } else {
        precise float sum = 0.0;
        for (uint d = 0u; d < 4u; ++d)
            sum = sum + uintBitsToFloat(inputWords[windowSource(parameters.geometry, index, d / 2u, d % 2u)]);
        precise float mean = sum * 0.25;
        outputWords[index] = floatBitsToUint(mean);
    }
}
