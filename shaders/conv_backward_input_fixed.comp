// Convolution (and dense) backward pass to the input on codes: for every input element, the
// exact sum over the kernel taps that read it and over the output channels of weight * error.
#version 450
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require

#include "accumulator.glsl"
#include "convolution_geometry.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint kAccumulator = kSumOfInt32Products;

// The error arriving at the layer's output, one element per output.
layout(std430, set = 0, binding = 0) readonly buffer Gradient { int gradientCodes[]; };
layout(std430, set = 0, binding = 1) readonly buffer Weights { int weightCodes[]; };
// int64 sums as (low word, high word), one per input element.
layout(std430, set = 0, binding = 2) writeonly buffer Sums { uint sumWords[]; };
layout(std430, set = 0, binding = 3) buffer Formats { int formats[]; };
layout(std430, set = 0, binding = 4) readonly buffer Plans { ivec4 plans[]; };

// Field order and types match ConvolutionBackwardFixedParameters in core/backend/vulkan.
layout(push_constant) uniform Parameters {
    uint firstInvocation;
    uint invocationCount;
    ConvolutionGeometry geometry;
    int gradientSlot;
    int otherSlot;      // the weights
    int planFirst;      // a plan without bias has one entry
    int resultSlot;
} parameters;

void main()
{
    const ConvolutionGeometry g = parameters.geometry;
    const uint invocation = parameters.firstInvocation + gl_GlobalInvocationID.x;
    if (invocation >= parameters.invocationCount)
        return;

    const AccumulatorPlan plan = planFromEntry(plans[parameters.planFirst]);
    if (invocation == 0u)
        formats[parameters.resultSlot] = formats[parameters.gradientSlot] + formats[parameters.otherSlot] + plan.resultOffset;

    const int x = int(invocation % uint(g.inWidth));
    const int y = int(invocation / uint(g.inWidth)) % g.inHeight;
    const int channel = int(invocation / uint(g.inWidth * g.inHeight)) % g.inChannels;
    const int sampleIndex = int(invocation / uint(g.inWidth * g.inHeight * g.inChannels));
    const int rows = columnRowsOf(g);

    // One of the two sums is used, as kAccumulator says; the compiler drops the other.
    int64_t sum = 0l;
    int narrowSum = 0;
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
            for (int outChannel = 0; outChannel < g.outChannels; ++outChannel) {
                const int gradient = gradientCodes[outputIndex(g, sampleIndex, outChannel, position)];
                const int weight = weightCodes[outChannel * rows + k];
                if (kAccumulator == kSumInInt32)
                    narrowSum += gradient * weight;
                else
                    sum += accumulatedProduct(gradient, weight, kAccumulator, plan.productShift);
            }
        }
    }
    if (kAccumulator == kSumInInt32)
        sum = codeFromWord(uint(narrowSum));
    sumWords[2u * invocation] = uint(sum);
    sumWords[2u * invocation + 1u] = uint(uint64_t(sum) >> 32);
}
