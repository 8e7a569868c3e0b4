// Convolution (and dense) forward pass in float: every output is 0, plus weight * input for each
// kernel tap in the order (input channel, kernel row, kernel column), plus the bias, each
// operation rounded on its own as in the CPU reference. Taps on the zero padding are skipped:
// adding weight * 0 changes no sum that starts at +0, unless a weight is infinite or NaN. Each
// invocation computes four output channels at one position of one sample.
#version 450
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require

#include "convolution_geometry.glsl"
#include "tensor_values.glsl"

layout(local_size_x_id = 0) in;
// Which operands are fixed-point codes (read as code * 2^-fl) rather than floats.
layout(constant_id = 1) const bool kInputCodes = false;
layout(constant_id = 2) const bool kWeightCodes = false;
layout(constant_id = 3) const bool kBiasCodes = false;

const int kChannelsPerInvocation = 4;

layout(std430, set = 0, binding = 0) readonly buffer Input { uint inputWords[]; };
layout(std430, set = 0, binding = 1) readonly buffer Weights { uint weightWords[]; };
layout(std430, set = 0, binding = 2) readonly buffer Biases { uint biasWords[]; };
layout(std430, set = 0, binding = 3) writeonly buffer Output { float outputValues[]; };
layout(std430, set = 0, binding = 4) readonly buffer Formats { int formats[]; };

// Field order and types match ConvolutionFloatParameters in core/backend/vulkan.
layout(push_constant) uniform Parameters {
    uint firstInvocation;
    uint invocationCount;
    ConvolutionGeometry geometry;
    int inputSlot;     // the fractional length of codes; unused for floats
    int weightSlot;
    int biasSlot;      // -1 without bias
} parameters;

float stepOf(bool isCodes, int slot)
{
    return isCodes ? powerOfTwo(-formats[slot]) : 1.0;
}

void main()
{
    const ConvolutionGeometry g = parameters.geometry;
    const uint invocation = parameters.firstInvocation + gl_GlobalInvocationID.x;
    if (invocation >= parameters.invocationCount)
        return;

    const float inputStep = stepOf(kInputCodes, parameters.inputSlot);
    const float weightStep = stepOf(kWeightCodes, parameters.weightSlot);
    const bool hasBias = parameters.biasSlot >= 0;
    const float biasStep = hasBias ? stepOf(kBiasCodes, parameters.biasSlot) : 1.0;

    const int positions = positionsOf(g);
    const int channelBlocks = (g.outChannels + kChannelsPerInvocation - 1) / kChannelsPerInvocation;
    const int position = int(invocation % uint(positions));
    const int block = int(invocation / uint(positions)) % channelBlocks;
    const int sampleIndex = int(invocation / uint(positions)) / channelBlocks;
    const int firstChannel = block * kChannelsPerInvocation;
    const int oy = position / g.outWidth, ox = position % g.outWidth;
    const int rows = columnRowsOf(g);

    int weightRow[kChannelsPerInvocation];
    for (int j = 0; j < kChannelsPerInvocation; ++j)
        weightRow[j] = min(firstChannel + j, g.outChannels - 1) * rows;

    precise float sums[kChannelsPerInvocation];
    for (int j = 0; j < kChannelsPerInvocation; ++j)
        sums[j] = 0.0;
    for (int channel = 0; channel < g.inChannels; ++channel) {
        for (int ky = 0; ky < g.kernel; ++ky) {
            const int y = oy * g.stride - g.padding + ky;
            if (y < 0 || y >= g.inHeight)
                continue;
            for (int kx = 0; kx < g.kernel; ++kx) {
                const int x = ox * g.stride - g.padding + kx;
                if (x < 0 || x >= g.inWidth)
                    continue;
                const float value = valueOf(inputWords[inputIndex(g, sampleIndex, channel, y, x)], kInputCodes, inputStep);
                const int k = (channel * g.kernel + ky) * g.kernel + kx;
                for (int j = 0; j < kChannelsPerInvocation; ++j)
                    sums[j] = sums[j] + valueOf(weightWords[weightRow[j] + k], kWeightCodes, weightStep) * value;
            }
        }
    }

    for (int j = 0; j < kChannelsPerInvocation && firstChannel + j < g.outChannels; ++j) {
        const float bias = hasBias ? valueOf(biasWords[firstChannel + j], kBiasCodes, biasStep) : 0.0;
        precise float result = sums[j] + bias;
        outputValues[outputIndex(g, sampleIndex, firstChannel + j, position)] = result;
    }
}
