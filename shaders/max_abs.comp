// The first half of the max-abs policy: each invocation finds the largest magnitude among the
// elements index, index + n, index + 2n, ... of a tensor (n invocations in all) and writes it as
// one partial result. choose_fractional_length.comp combines the partials. The maximum does not
// depend on how the elements are split, so neither does the fractional length.
#version 450
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require

#include "exact_float.glsl"

layout(local_size_x_id = 0) in;

// The elements: 0 int32 codes, 1 int64 sums (two words, low first), 2 float32 bit patterns. For
// floats the partial is the largest bit pattern of |x| among finite values, which orders like the
// magnitudes; infinities and NaN take no part, as in summarizeFloat().
layout(constant_id = 1) const uint kSourceKind = 0u;
const uint kSourceInt32 = 0u;
const uint kSourceInt64 = 1u;
const uint kSourceFloat32 = 2u;

layout(std430, set = 0, binding = 0) readonly buffer Source { uint sourceWords[]; };
// uint64 partial results as (low word, high word).
layout(std430, set = 0, binding = 1) writeonly buffer Partials { uint partialWords[]; };

// Field order and types match MaxAbsParameters in core/backend/vulkan.
layout(push_constant) uniform Parameters {
    uint elementCount;
    uint partialCount;  // the number of invocations, each writes one partial
    uint firstPartial;
} parameters;

uint64_t magnitudeOf(uint index)
{
    if (kSourceKind == kSourceFloat32) {
        const uint bits = sourceWords[index] & 0x7FFFFFFFu;
        return isFiniteBits(bits) ? uint64_t(bits) : 0ul;
    }
    if (kSourceKind == kSourceInt32) {
        // Taken in 32 bits: the int64 form below, applied to int64_t(int(word)), gave 2^64 - 1 for
        // a code of -1 on lavapipe (Mesa 22.3.6). The magnitude of the most negative int32 is
        // 2^31, which uint holds.
        const int value = int(sourceWords[index]);
        return uint64_t(value < 0 ? uint(-value) : uint(value));
    }
    const int64_t value = int64_t((uint64_t(sourceWords[2u * index + 1u]) << 32) | uint64_t(sourceWords[2u * index]));
    // The magnitude of the most negative int64 is 2^63, which uint64 holds.
    return value < 0l ? uint64_t(0l - value) : uint64_t(value);
}

void main()
{
    const uint invocation = gl_GlobalInvocationID.x;
    if (invocation >= parameters.partialCount)
        return;

    uint64_t largest = 0ul;
    for (uint index = invocation; index < parameters.elementCount; index += parameters.partialCount)
        largest = max(largest, magnitudeOf(index));

    const uint partial = parameters.firstPartial + invocation;
    partialWords[2u * partial] = uint(largest);
    partialWords[2u * partial + 1u] = uint(largest >> 32);
}
