// The second half of the max-abs policy: one invocation combines the partial results of
// max_abs.comp for one tensor, or for two that share a format (weight and bias gradients), and
// writes the fractional length that maxAbsFractionalLength() and chooseFractionalLength() give.
// An all-zero tensor keeps its format.
#version 450
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require

#include "exact_float.glsl"

layout(local_size_x = 1) in;

// The limits of FixedFormat in core/numeric/fixed_format.h.
const int kMinFractionalLength = -32;
const int kMaxFractionalLength = 64;

const uint kPartialsOfExactValues = 0u;
const uint kPartialsOfFloatBits = 1u;

layout(std430, set = 0, binding = 0) readonly buffer Partials { uint partialWords[]; };
layout(std430, set = 0, binding = 1) buffer Formats { int formats[]; };

struct PartialRange {
    uint first;
    uint count;             // 0 when the range is unused
    uint kind;              // kPartialsOfExactValues or kPartialsOfFloatBits
    int sourceSlot;         // exact values have the fractional length formats[sourceSlot] + sourceOffset
    int sourceOffset;
};

// Field order and types match ChooseParameters in core/backend/vulkan.
layout(push_constant) uniform Parameters {
    PartialRange ranges[2];
    int wordBits;
    int targetSlot;
    int previousSlot;       // receives the format before the choice when 0 or above
} parameters;

// maxAbsFractionalLength() of core/model/precision.cpp, for a nonzero magnitude: the largest
// fractional length at which magnitude * 2^-sourceFractionalLength still fits `wordBits`.
int maxAbsFractionalLength(uint64_t magnitude, int sourceFractionalLength, int wordBits)
{
    const uint64_t maxCode = (1ul << (wordBits - 1)) - 1ul;
    const int maxCodeLength = bitLength(maxCode);
    for (int fractionalLength = kMaxFractionalLength; fractionalLength > kMinFractionalLength; --fractionalLength) {
        const int scale = sourceFractionalLength - fractionalLength;
        bool fits;
        if (scale >= 0) {
            // maxCode << scale exceeds every uint64 once it needs more than 64 bits.
            fits = scale >= 64 || maxCodeLength + scale > 64 || magnitude <= (maxCode << scale);
        } else {
            fits = scale > -64 && magnitude <= (maxCode >> -scale);
        }
        if (fits)
            return fractionalLength;
    }
    return kMinFractionalLength;
}

// The choice for one range, or kMaxFractionalLength + 1 when every value is zero.
int chooseForRange(PartialRange range)
{
    uint64_t largest = 0ul;
    for (uint i = range.first; i < range.first + range.count; ++i)
        largest = max(largest, (uint64_t(partialWords[2u * i + 1u]) << 32) | uint64_t(partialWords[2u * i]));
    if (largest == 0ul)
        return kMaxFractionalLength + 1;

    if (range.kind == kPartialsOfFloatBits) {
        // The float is significand * 2^exponent exactly, with a 24-bit integer significand.
        const uint bits = uint(largest);
        const int biased = int(bits >> 23);
        const uint significand = biased == 0 ? (bits & 0x7FFFFFu) : ((bits & 0x7FFFFFu) | 0x800000u);
        const int exponent = biased == 0 ? -149 : biased - 150;
        return maxAbsFractionalLength(uint64_t(significand), -exponent, parameters.wordBits);
    }
    const int sourceFractionalLength = formats[range.sourceSlot] + range.sourceOffset;
    return maxAbsFractionalLength(largest, sourceFractionalLength, parameters.wordBits);
}

void main()
{
    const int current = formats[parameters.targetSlot];
    int chosen = kMaxFractionalLength + 1;
    for (int r = 0; r < 2; ++r)
        if (parameters.ranges[r].count > 0u)
            chosen = min(chosen, chooseForRange(parameters.ranges[r]));

    if (parameters.previousSlot >= 0)
        formats[parameters.previousSlot] = current;
    formats[parameters.targetSlot] = chosen > kMaxFractionalLength ? current : chosen;
}
