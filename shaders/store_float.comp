// Turns exact values into float32: storeExact() of the CPU reference for a float tensor, the
// nearest float of each value. Float outputs count no events, as on the CPU.
#version 450
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require

#include "exact_float.glsl"
#include "quantizer.glsl"

layout(local_size_x_id = 0) in;

// The source elements: 0 int32 codes, 1 int64 sums (two words, low first), at the fractional
// length formats[sourceSlot] + sourceOffset.
layout(constant_id = 1) const uint kSourceKind = 0u;
const uint kSourceInt32 = 0u;
const uint kSourceInt64 = 1u;

layout(std430, set = 0, binding = 0) readonly buffer Source { uint sourceWords[]; };
layout(std430, set = 0, binding = 1) writeonly buffer Values { uint valueBits[]; };
layout(std430, set = 0, binding = 2) readonly buffer Formats { int formats[]; };

// Field order and types match StoreFloatParameters in core/backend/vulkan.
layout(push_constant) uniform Parameters {
    uint firstElement;
    uint elementCount;
    int sourceSlot;
    int sourceOffset;
} parameters;

void main()
{
    const uint index = parameters.firstElement + gl_GlobalInvocationID.x;
    if (index >= parameters.elementCount)
        return;

    const int fractionalLength = formats[parameters.sourceSlot] + parameters.sourceOffset;
    int64_t value;
    if (kSourceKind == kSourceInt64)
        value = int64_t((uint64_t(sourceWords[2u * index + 1u]) << 32) | uint64_t(sourceWords[2u * index]));
    else
        value = codeFromWord(sourceWords[index]);
    valueBits[index] = exactToFloatBits(value, fractionalLength);
}
