// A histogram of fixed-point codes with the bins of CodeHistogram (2^binShift adjacent codes per
// bin, at most 256 bins), and the smallest and largest code. Each workgroup counts in shared
// memory and adds its counts to 64-bit counters, so counts never wrap and the result does not
// depend on the workgroup size.
#version 450
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require

layout(local_size_x_id = 0) in;

const uint kMaxBins = 256u;

layout(std430, set = 0, binding = 0) readonly buffer Codes { int codes[]; };
// Per tensor: kMaxBins counters of two words (low, high), then the largest order key and the
// largest inverted order key, which give the largest and smallest code. The host zeroes it.
layout(std430, set = 0, binding = 1) buffer Counters { uint counters[]; };

#include "event_counters.glsl"

// Field order and types match HistogramParameters in core/backend/vulkan.
layout(push_constant) uniform Parameters {
    uint elementCount;
    int wordBits;
    int binShift;
    uint firstWord;      // of this tensor's record
} parameters;

shared uint groupBins[kMaxBins];
shared uint groupLargestKey;
shared uint groupLargestInvertedKey;

void main()
{
    for (uint bin = gl_LocalInvocationIndex; bin < kMaxBins; bin += gl_WorkGroupSize.x)
        groupBins[bin] = 0u;
    if (gl_LocalInvocationIndex == 0u) {
        groupLargestKey = 0u;
        groupLargestInvertedKey = 0u;
    }
    // Orders the zeroing above before every invocation's atomic adds.
    memoryBarrierShared();
    barrier();

    const int64_t minCode = -(1l << (parameters.wordBits - 1));
    const uint lastBin = uint(((1l << parameters.wordBits) >> parameters.binShift) - 1l);
    const uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint index = gl_GlobalInvocationID.x; index < parameters.elementCount; index += stride) {
        const int code = codes[index];
        const uint bin = min(uint((int64_t(code) - minCode) >> parameters.binShift), lastBin);
        atomicAdd(groupBins[bin], 1u);
        // Flipping the sign bit maps the order of int32 onto the order of uint32.
        const uint key = uint(code) ^ 0x80000000u;
        atomicMax(groupLargestKey, key);
        atomicMax(groupLargestInvertedKey, ~key);
    }
    // Orders every invocation's atomic adds before the reads below.
    memoryBarrierShared();
    barrier();

    for (uint bin = gl_LocalInvocationIndex; bin <= lastBin; bin += gl_WorkGroupSize.x)
        addToCounter(parameters.firstWord + 2u * bin, groupBins[bin]);
    if (gl_LocalInvocationIndex == 0u) {
        atomicMax(counters[parameters.firstWord + 2u * kMaxBins], groupLargestKey);
        atomicMax(counters[parameters.firstWord + 2u * kMaxBins + 1u], groupLargestInvertedKey);
    }
}
