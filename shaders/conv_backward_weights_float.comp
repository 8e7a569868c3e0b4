// Convolution (and dense) weight gradients in float, in the order of the CPU reference: every
// weight is 0 plus error * input over the samples in order and, within a sample, over the output
// positions in row-major order. Taps on the zero padding are skipped, which changes no sum that
// starts at +0 unless an error is infinite or NaN.
#version 450
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require

#include "convolution_geometry.glsl"
#include "tensor_values.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const bool kGradientCodes = false;
layout(constant_id = 2) const bool kInputCodes = false;

layout(std430, set = 0, binding = 0) readonly buffer Gradient { uint gradientWords[]; };
layout(std430, set = 0, binding = 1) readonly buffer Input { uint inputWords[]; };
layout(std430, set = 0, binding = 2) writeonly buffer Output { float outputValues[]; };
layout(std430, set = 0, binding = 3) readonly buffer Formats { int formats[]; };

// Field order and types match ConvolutionBackwardFloatParameters in core/backend/vulkan.
layout(push_constant) uniform Parameters {
    uint firstInvocation;
    uint invocationCount;
    ConvolutionGeometry geometry;
    int gradientSlot;
    int otherSlot;      // the layer's input
} parameters;

void main()
{
    const ConvolutionGeometry g = parameters.geometry;
    const uint invocation = parameters.firstInvocation + gl_GlobalInvocationID.x;
    if (invocation >= parameters.invocationCount)
        return;

    const float gradientStep = kGradientCodes ? powerOfTwo(-formats[parameters.gradientSlot]) : 1.0;
    const float inputStep = kInputCodes ? powerOfTwo(-formats[parameters.otherSlot]) : 1.0;
    const int rows = columnRowsOf(g);
    const int k = int(invocation % uint(rows));
    const int outChannel = int(invocation / uint(rows));
    const int kx = k % g.kernel;
    const int ky = (k / g.kernel) % g.kernel;
    const int channel = k / (g.kernel * g.kernel);

    precise float sum = 0.0;
    for (int sampleIndex = 0; sampleIndex < g.batch; ++sampleIndex) {
        for (int oy = 0; oy < g.outHeight; ++oy) {
            const int y = oy * g.stride - g.padding + ky;
            if (y < 0 || y >= g.inHeight)
                continue;
            for (int ox = 0; ox < g.outWidth; ++ox) {
                const int x = ox * g.stride - g.padding + kx;
                if (x < 0 || x >= g.inWidth)
                    continue;
                sum = sum + valueOf(gradientWords[outputIndex(g, sampleIndex, outChannel, oy * g.outWidth + ox)], kGradientCodes, gradientStep)
                    * valueOf(inputWords[inputIndex(g, sampleIndex, channel, y, x)], kInputCodes, inputStep);
            }
        }
    }
    outputValues[invocation] = sum;
}
