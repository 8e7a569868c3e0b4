// Bias gradients in float: for every output channel, 0 plus the errors over the samples in
// order and, within a sample, over the output positions in order, as the CPU reference adds them.
#version 450
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require

#include "tensor_values.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const bool kGradientCodes = false;

layout(std430, set = 0, binding = 0) readonly buffer Gradient { uint gradientWords[]; };
layout(std430, set = 0, binding = 1) writeonly buffer Output { float outputValues[]; };
layout(std430, set = 0, binding = 2) readonly buffer Formats { int formats[]; };

// Field order and types match BiasGradientParameters in core/backend/vulkan.
layout(push_constant) uniform Parameters {
    int batch;
    int channels;
    int positions;
    int gradientSlot;
} parameters;

void main()
{
    const int channel = int(gl_GlobalInvocationID.x);
    if (channel >= parameters.channels)
        return;

    const float step = kGradientCodes ? powerOfTwo(-formats[parameters.gradientSlot]) : 1.0;
    precise float sum = 0.0;
    for (int sampleIndex = 0; sampleIndex < parameters.batch; ++sampleIndex) {
        const int first = (sampleIndex * parameters.channels + channel) * parameters.positions;
        for (int position = 0; position < parameters.positions; ++position)
            sum = sum + valueOf(gradientWords[first + position], kGradientCodes, step);
    }
    outputValues[channel] = sum;
}
