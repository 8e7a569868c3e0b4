// Convolution (and dense) weight gradients on codes: for every weight, the exact sum over the
// samples and output positions of error * input, where the input is the element that the
// weight's kernel tap reads (taps on the zero padding add nothing).
#version 450
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require

#include "accumulator.glsl"
#include "convolution_geometry.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint kAccumulator = kSumOfInt32Products;

layout(std430, set = 0, binding = 0) readonly buffer Gradient { int gradientCodes[]; };
layout(std430, set = 0, binding = 1) readonly buffer Input { int inputCodes[]; };
// int64 sums as (low word, high word), one per weight.
layout(std430, set = 0, binding = 2) writeonly buffer Sums { uint sumWords[]; };
layout(std430, set = 0, binding = 3) buffer Formats { int formats[]; };
layout(std430, set = 0, binding = 4) readonly buffer Plans { ivec4 plans[]; };

// Field order and types match ConvolutionBackwardFixedParameters in core/backend/vulkan.
layout(push_constant) uniform Parameters {
    uint firstInvocation;
    uint invocationCount;
    ConvolutionGeometry geometry;
    int gradientSlot;
    int otherSlot;      // the layer's input
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

    const int rows = columnRowsOf(g);
    const int k = int(invocation % uint(rows));
    const int outChannel = int(invocation / uint(rows));
    const int kx = k % g.kernel;
    const int ky = (k / g.kernel) % g.kernel;
    const int channel = k / (g.kernel * g.kernel);

    // One of the two sums is used, as kAccumulator says; the compiler drops the other.
    int64_t sum = 0l;
    int narrowSum = 0;
    for (int sampleIndex = 0; sampleIndex < g.batch; ++sampleIndex) {
        for (int oy = 0; oy < g.outHeight; ++oy) {
            const int y = oy * g.stride - g.padding + ky;
            if (y < 0 || y >= g.inHeight)
                continue;
            for (int ox = 0; ox < g.outWidth; ++ox) {
                const int x = ox * g.stride - g.padding + kx;
                if (x < 0 || x >= g.inWidth)
                    continue;
                const int gradient = gradientCodes[outputIndex(g, sampleIndex, outChannel, oy * g.outWidth + ox)];
                const int value = inputCodes[inputIndex(g, sampleIndex, channel, y, x)];
                if (kAccumulator == kSumInInt32)
                    narrowSum += gradient * value;
                else
                    sum += accumulatedProduct(gradient, value, kAccumulator, plan.productShift);
            }
        }
    }
    if (kAccumulator == kSumInInt32)
        sum = codeFromWord(uint(narrowSum));
    sumWords[2u * invocation] = uint(sum);
    sumWords[2u * invocation + 1u] = uint(uint64_t(sum) >> 32);
}
