// Rounds a tensor of exact values to fixed-point codes: storeExact() and storeFloat() of the CPU
// reference for a fixed-point tensor. One invocation per element writes its code and, for
// activations, its event flags; each workgroup adds its event counts to one counter slot.
#version 450
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require

#include "philox.glsl"
#include "quantizer.glsl"

layout(local_size_x_id = 0) in;

// The source elements: 0 int32 codes, 1 int64 sums (two words, low first), 2 float32 bit
// patterns. Integer sources have the fractional length formats[sourceSlot] + sourceOffset.
layout(constant_id = 1) const uint kSourceKind = 0u;
const uint kSourceInt32 = 0u;
const uint kSourceInt64 = 1u;
const uint kSourceFloat32 = 2u;
// Whether to write the event flags of each element, which the backward pass reads to stop the
// error of saturated activations.
layout(constant_id = 2) const bool kWriteFlags = false;
// The rounding and overflow modes (RoundingMode and OverflowMode in declaration order). As
// constants they let the compiler drop the other modes' code, which matters on devices that run
// every branch of an invocation group, such as lavapipe.
layout(constant_id = 3) const uint kRounding = 0u;
layout(constant_id = 4) const uint kOverflow = 0u;

layout(std430, set = 0, binding = 0) readonly buffer Source { uint sourceWords[]; };
layout(std430, set = 0, binding = 1) writeonly buffer Codes { int codes[]; };
layout(std430, set = 0, binding = 2) writeonly buffer Flags { uint flags[]; };
layout(std430, set = 0, binding = 3) readonly buffer Formats { int formats[]; };
layout(std430, set = 0, binding = 4) buffer Counters { uint counters[]; };

#include "event_counters.glsl"

// Field order and types match StoreFixedParameters in core/backend/vulkan.
layout(push_constant) uniform Parameters {
    uint firstElement;      // the element of invocation 0, for dispatches split into parts
    uint elementCount;      // of the whole tensor
    uint firstRandomIndex;  // the Philox index of element 0
    int sourceSlot;
    int sourceOffset;
    int targetSlot;         // the fractional length of the codes
    int wordBits;
    uint seedLow;
    uint seedHigh;
    uint step;
    uint layer;
    uint tensor;
    uint counterWord;       // the first word of the event slot
    // When both are 0 or above and the two formats are equal, the dispatch does nothing: a
    // fixed-point master copy is rounded again only when its fractional length changed.
    int skipSlotA;
    int skipSlotB;
} parameters;

shared uint groupSaturated;
shared uint groupUnderflowed;
shared uint groupNotANumber;

// Rounds one element. Random bits are drawn only for values between two codes, which gives the
// results of drawing them for every element and saves most of the generator's work.
QuantizedValue quantizeElement(uint index, FixedPointSpec spec, RandomStream stream)
{
    int64_t mantissa;
    int sourceFractionalLength;
    if (kSourceKind == kSourceFloat32) {
        if (!splitFloatBits(sourceWords[index], mantissa, sourceFractionalLength))
            return quantizeFloatBits(sourceWords[index], spec, 0u);
    } else {
        sourceFractionalLength = formats[parameters.sourceSlot] + parameters.sourceOffset;
        if (kSourceKind == kSourceInt64) {
            const uint64_t low = uint64_t(sourceWords[2u * index]);
            const uint64_t high = uint64_t(sourceWords[2u * index + 1u]);
            mantissa = int64_t((high << 32) | low);
        } else {
            mantissa = codeFromWord(sourceWords[index]);
        }
    }

    uint bits = 0u;
    if (spec.rounding == kRoundStochastic && needsRandomBits(mantissa, sourceFractionalLength, spec))
        bits = randomBits(stream, parameters.firstRandomIndex + index);
    return requantize(mantissa, sourceFractionalLength, spec, bits);
}

void main()
{
    // The condition is the same for every invocation, so whole workgroups leave together.
    if (parameters.skipSlotA >= 0 && parameters.skipSlotB >= 0
        && formats[parameters.skipSlotA] == formats[parameters.skipSlotB])
        return;

    if (gl_LocalInvocationIndex == 0u) {
        groupSaturated = 0u;
        groupUnderflowed = 0u;
        groupNotANumber = 0u;
    }
    // Orders the zeroing above before every invocation's atomic add to the workgroup counts.
    memoryBarrierShared();
    barrier();

    const FixedPointSpec spec = FixedPointSpec(parameters.wordBits, formats[parameters.targetSlot], kRounding, kOverflow);
    const RandomStream stream = RandomStream(parameters.seedLow, parameters.seedHigh, parameters.step,
                                             parameters.layer, parameters.tensor);
    const uint index = parameters.firstElement + gl_GlobalInvocationID.x;
    if (index < parameters.elementCount) {
        const QuantizedValue result = quantizeElement(index, spec, stream);
        codes[index] = result.code;
        if (kWriteFlags)
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
        const uint first = parameters.firstElement + gl_WorkGroupID.x * gl_WorkGroupSize.x;
        const uint elements = min(gl_WorkGroupSize.x, parameters.elementCount - min(first, parameters.elementCount));
        addToCounter(parameters.counterWord + 2u * kElementsCounter, elements);
        addToCounter(parameters.counterWord + 2u * kSaturatedCounter, groupSaturated);
        addToCounter(parameters.counterWord + 2u * kUnderflowedCounter, groupUnderflowed);
        addToCounter(parameters.counterWord + 2u * kNotANumberCounter, groupNotANumber);
    }
}
