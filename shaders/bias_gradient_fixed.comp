// Bias gradients on codes: for every output channel, the exact sum of the errors over the
// samples and output positions. The sum keeps the errors' fractional length.
#version 450
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require

layout(local_size_x_id = 0) in;

layout(std430, set = 0, binding = 0) readonly buffer Gradient { int gradientCodes[]; };
// int64 sums as (low word, high word), one per channel.
layout(std430, set = 0, binding = 1) writeonly buffer Sums { uint sumWords[]; };

// Field order and types match BiasGradientParameters in core/backend/vulkan.
layout(push_constant) uniform Parameters {
    int batch;
    int channels;
    int positions;
    int gradientSlot;   // used by the float variant only
} parameters;

void main()
{
    const int channel = int(gl_GlobalInvocationID.x);
    if (channel >= parameters.channels)
        return;

    int64_t sum = 0l;
    for (int sampleIndex = 0; sampleIndex < parameters.batch; ++sampleIndex) {
        const int first = (sampleIndex * parameters.channels + channel) * parameters.positions;
        for (int position = 0; position < parameters.positions; ++position)
            sum += int64_t(gradientCodes[first + position]);
    }
    sumWords[2u * channel] = uint(sum);
    sumWords[2u * channel + 1u] = uint(uint64_t(sum) >> 32);
}
