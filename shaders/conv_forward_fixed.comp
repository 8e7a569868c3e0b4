// Convolution (and dense) forward pass on codes: the exact sum of products plus bias of every
// output, as the integer path of the CPU reference computes it, before rounding. Each
// invocation computes four output channels at one position of one sample, so it reads each
// input once for four weights.
#version 450
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require

#include "accumulator.glsl"
#include "convolution_geometry.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint kAccumulator = kSumOfInt32Products;

const int kChannelsPerInvocation = 4;

layout(std430, set = 0, binding = 0) readonly buffer Input { int inputCodes[]; };
layout(std430, set = 0, binding = 1) readonly buffer Weights { int weightCodes[]; };
layout(std430, set = 0, binding = 2) readonly buffer Biases { int biasCodes[]; };
// int64 sums as (low word, high word), at the fractional length written to formats[resultSlot].
layout(std430, set = 0, binding = 3) writeonly buffer Sums { uint sumWords[]; };
layout(std430, set = 0, binding = 4) buffer Formats { int formats[]; };
layout(std430, set = 0, binding = 5) readonly buffer Plans { ivec4 plans[]; };

// Field order and types match ConvolutionForwardFixedParameters in core/backend/vulkan.
layout(push_constant) uniform Parameters {
    uint firstInvocation;
    uint invocationCount;
    ConvolutionGeometry geometry;
    int inputSlot;
    int weightSlot;
    int biasSlot;              // -1 without bias
    // The plan table, indexed by (bias fractional length - product fractional length) -
    // lowestDifference; one entry without bias.
    int planFirst;
    int planLowestDifference;
    int planCount;
    int resultSlot;
} parameters;

void main()
{
    const ConvolutionGeometry g = parameters.geometry;
    const uint invocation = parameters.firstInvocation + gl_GlobalInvocationID.x;
    if (invocation >= parameters.invocationCount)
        return;

    const int productFractionalLength = formats[parameters.inputSlot] + formats[parameters.weightSlot];
    const bool hasBias = parameters.biasSlot >= 0;
    const int difference = hasBias ? formats[parameters.biasSlot] - productFractionalLength : 0;
    const int entry = clamp(difference - parameters.planLowestDifference, 0, parameters.planCount - 1);
    const AccumulatorPlan plan = planFromEntry(plans[parameters.planFirst + entry]);
    if (invocation == 0u)
        formats[parameters.resultSlot] = productFractionalLength + plan.resultOffset;

    const int positions = positionsOf(g);
    const int channelBlocks = (g.outChannels + kChannelsPerInvocation - 1) / kChannelsPerInvocation;
    const int position = int(invocation % uint(positions));
    const int block = int(invocation / uint(positions)) % channelBlocks;
    const int sampleIndex = int(invocation / uint(positions)) / channelBlocks;
    const int firstChannel = block * kChannelsPerInvocation;
    const int oy = position / g.outWidth, ox = position % g.outWidth;
    const int rows = columnRowsOf(g);

    // Channels past the last one read the last channel's weights and are not stored.
    int weightRow[kChannelsPerInvocation];
    for (int j = 0; j < kChannelsPerInvocation; ++j)
        weightRow[j] = min(firstChannel + j, g.outChannels - 1) * rows;

    // One of the two arrays is used, as kAccumulator says; the compiler drops the other.
    int64_t sums[kChannelsPerInvocation];
    int narrowSums[kChannelsPerInvocation];
    for (int j = 0; j < kChannelsPerInvocation; ++j) {
        sums[j] = 0l;
        narrowSums[j] = 0;
    }
    for (int channel = 0; channel < g.inChannels; ++channel) {
        for (int ky = 0; ky < g.kernel; ++ky) {
            const int y = oy * g.stride - g.padding + ky;
            if (y < 0 || y >= g.inHeight)
                continue;
            for (int kx = 0; kx < g.kernel; ++kx) {
                const int x = ox * g.stride - g.padding + kx;
                if (x < 0 || x >= g.inWidth)
                    continue;
                const int value = inputCodes[inputIndex(g, sampleIndex, channel, y, x)];
                const int k = (channel * g.kernel + ky) * g.kernel + kx;
                for (int j = 0; j < kChannelsPerInvocation; ++j) {
                    const int weight = weightCodes[weightRow[j] + k];
                    if (kAccumulator == kSumInInt32)
                        narrowSums[j] += weight * value;
                    else
                        sums[j] += accumulatedProduct(weight, value, kAccumulator, plan.productShift);
                }
            }
        }
    }

    for (int j = 0; j < kChannelsPerInvocation && firstChannel + j < g.outChannels; ++j) {
        const int biasCode = hasBias ? biasCodes[firstChannel + j] : 0;
        const int64_t products = kAccumulator == kSumInInt32 ? codeFromWord(uint(narrowSums[j])) : sums[j];
        const int64_t sum = finishSum(products, biasCode, plan);
        const uint index = outputIndex(g, sampleIndex, firstChannel + j, position);
        sumWords[2u * index] = uint(sum);
        sumWords[2u * index + 1u] = uint(uint64_t(sum) >> 32);
    }
}
