// Convolution (and dense) backward pass to the input in float, in the order of the CPU
// reference: for each kernel tap (input channel, kernel row, kernel column) that reads the input
// element, the column value 0 + weight * error summed over output channels in order, and the
// element is 0 plus those column values in tap order.
#version 450
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require

#include "convolution_geometry.glsl"
#include "tensor_values.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const bool kGradientCodes = false;
layout(constant_id = 2) const bool kWeightCodes = false;

layout(std430, set = 0, binding = 0) readonly buffer Gradient { uint gradientWords[]; };
layout(std430, set = 0, binding = 1) readonly buffer Weights { uint weightWords[]; };
layout(std430, set = 0, binding = 2) writeonly buffer Output { float outputValues[]; };
layout(std430, set = 0, binding = 3) readonly buffer Formats { int formats[]; };

// Field order and types match ConvolutionBackwardFloatParameters in core/backend/vulkan.
layout(push_constant) uniform Parameters {
    uint firstInvocation;
    uint invocationCount;
    ConvolutionGeometry geometry;
    int gradientSlot;
    int otherSlot;      // the weights
} parameters;

void main()
{
    const ConvolutionGeometry g = parameters.geometry;
    const uint invocation = parameters.firstInvocation + gl_GlobalInvocationID.x;
    if (invocation >= parameters.invocationCount)
        return;

    const float gradientStep = kGradientCodes ? powerOfTwo(-formats[parameters.gradientSlot]) : 1.0;
    const float weightStep = kWeightCodes ? powerOfTwo(-formats[parameters.otherSlot]) : 1.0;
    const int x = int(invocation % uint(g.inWidth));
    const int y = int(invocation / uint(g.inWidth)) % g.inHeight;
    const int channel = int(invocation / uint(g.inWidth * g.inHeight)) % g.inChannels;
    const int sampleIndex = int(invocation / uint(g.inWidth * g.inHeight * g.inChannels));
    const int rows = columnRowsOf(g);

    precise float sum = 0.0;
    for (int ky = 0; ky < g.kernel; ++ky) {
        const int oy = outputCoordinate(y, ky, g.stride, g.padding, g.outHeight);
        if (oy < 0)
            continue;
        for (int kx = 0; kx < g.kernel; ++kx) {
            const int ox = outputCoordinate(x, kx, g.stride, g.padding, g.outWidth);
            if (ox < 0)
                continue;
            const int k = (channel * g.kernel + ky) * g.kernel + kx;
            const int position = oy * g.outWidth + ox;
            precise float column = 0.0;
            for (int outChannel = 0; outChannel < g.outChannels; ++outChannel)
                column = column + valueOf(weightWords[outChannel * rows + k], kWeightCodes, weightStep)
                    * valueOf(gradientWords[outputIndex(g, sampleIndex, outChannel, position)], kGradientCodes, gradientStep);
            sum = sum + column;
        }
    }
    outputValues[invocation] = sum;
}
