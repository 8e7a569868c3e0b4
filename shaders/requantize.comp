// Requantizes a tensor to a fixed-point format: one invocation per element writes its code and
// event flags, and each workgroup adds its event counts to three 64-bit counters.
#version 450
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require

#include "philox.glsl"
#include "quantizer.glsl"

// The host chooses the workgroup size. Nothing below depends on it or on the subgroup size.
layout(local_size_x_id = 0) in;

// 0: the input words are float32 bit patterns, one per element.
// 1: the input words are int64 mantissas, two per element (low word first, as the host stores
//    them), at the fractional length `sourceFractionalLength`.
layout(constant_id = 1) const uint kInputKind = 0u;
const uint kInputFloat32 = 0u;
const uint kInputMantissa64 = 1u;

layout(std430, set = 0, binding = 0) readonly buffer InputWords { uint inputWords[]; };
layout(std430, set = 0, binding = 1) writeonly buffer Codes { int codes[]; };
layout(std430, set = 0, binding = 2) writeonly buffer Flags { uint flags[]; };
// Saturated, underflowed and NaN counts, each a uint64 as (low word, high word). The host
// zeroes them and a dispatch adds to them, so several dispatches can share one set of counters.
layout(std430, set = 0, binding = 3) buffer Counters { uint counters[6]; };

// Field order and types match RequantizePushConstants in core/backend/vulkan.
layout(push_constant) uniform Parameters {
    uint elementCount;
    uint firstElementIndex;  // the Philox index of element 0 of this dispatch
    int wordBits;
    int fractionalLength;
    uint rounding;
    uint overflow;
    int sourceFractionalLength;
    uint seedLow;
    uint seedHigh;
    uint step;
    uint layer;
    uint tensor;
} parameters;

shared uint groupSaturated;
shared uint groupUnderflowed;
shared uint groupNotANumber;

// Adds `amount` to the 64-bit counter `counter`. The low word wrapped exactly when the new
// value is below the old one, so each wrap carries one into the high word.
void addToCounter(uint counter, uint amount)
{
    if (amount == 0u)
        return;
    const uint previous = atomicAdd(counters[2u * counter], amount);
    if (previous + amount < previous)
        atomicAdd(counters[2u * counter + 1u], 1u);
}

void main()
{
    if (gl_LocalInvocationIndex == 0u) {
        groupSaturated = 0u;
        groupUnderflowed = 0u;
        groupNotANumber = 0u;
    }
    // Orders the zeroing above before every invocation's atomic add to the workgroup counts.
    memoryBarrierShared();
    barrier();

    // No early return for out-of-range invocations: all of them must reach the barriers.
    const uint index = gl_GlobalInvocationID.x;
    if (index < parameters.elementCount) {
        const FixedPointSpec spec = FixedPointSpec(parameters.wordBits, parameters.fractionalLength,
                                                   parameters.rounding, parameters.overflow);
        uint bits = 0u;
        if (spec.rounding == kRoundStochastic) {
            const RandomStream stream = RandomStream(parameters.seedLow, parameters.seedHigh, parameters.step,
                                                     parameters.layer, parameters.tensor);
            bits = randomBits(stream, parameters.firstElementIndex + index);
        }

        QuantizedValue result;
        if (kInputKind == kInputMantissa64) {
            const uint64_t low = uint64_t(inputWords[2u * index]);
            const uint64_t high = uint64_t(inputWords[2u * index + 1u]);
            result = requantize(int64_t((high << 32) | low), parameters.sourceFractionalLength, spec, bits);
        } else {
            result = quantizeFloatBits(inputWords[index], spec, bits);
        }
        codes[index] = result.code;
        flags[index] = result.flags;

        if ((result.flags & (kSaturatedHigh | kSaturatedLow)) != 0u)
            atomicAdd(groupSaturated, 1u);
        if ((result.flags & kUnderflow) != 0u)
            atomicAdd(groupUnderflowed, 1u);
        if ((result.flags & kNotANumber) != 0u)
            atomicAdd(groupNotANumber, 1u);
    }
    // Orders every invocation's workgroup count before the read below.
    memoryBarrierShared();
    barrier();

    if (gl_LocalInvocationIndex == 0u) {
        addToCounter(0u, groupSaturated);
        addToCounter(1u, groupUnderflowed);
        addToCounter(2u, groupNotANumber);
    }
}
