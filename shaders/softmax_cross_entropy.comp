// Softmax cross-entropy: one invocation per sample computes the prediction, the loss and, when
// training, the error (softmax - one-hot) / batch that starts the backward pass. The float
// arithmetic is the CPU reference's, operation for operation, with fxlab::deterministic's exp,
// log and reciprocal, so losses and errors match it bit for bit.
// NOTE: an error below 2^-126 (a class scored about 83 to 87 below the best one, in a batch of 64)
// is 0 on a device that flushes denormals. Its code is 0 either way, but the CPU counts it as an
// underflow.
#version 450
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require

#include "float_bits.glsl"
#include "float_math.glsl"
#include "tensor_values.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const bool kLogitCodes = true;

layout(std430, set = 0, binding = 0) readonly buffer Logits { uint logitWords[]; };
layout(std430, set = 0, binding = 1) readonly buffer Labels { uint labels[]; };
layout(std430, set = 0, binding = 2) writeonly buffer Losses { uint lossBits[]; };
layout(std430, set = 0, binding = 3) writeonly buffer Predictions { uint predictions[]; };
layout(std430, set = 0, binding = 4) writeonly buffer Gradients { uint gradientBits[]; };
layout(std430, set = 0, binding = 5) readonly buffer Formats { int formats[]; };

// Field order and types match SoftmaxParameters in core/backend/vulkan.
layout(push_constant) uniform Parameters {
    uint batch;
    uint classes;
    int logitSlot;
    // 1 / batch as the host's float division rounds it; a shader's division need not be
    // correctly rounded.
    float inverseBatch;
    uint writeGradients;
} parameters;

// The bit pattern of std::numeric_limits<float>::quiet_NaN().
const uint kQuietNaN = 0x7FC00000u;

float scoreOf(uint first, uint c, float step)
{
    return valueOf(logitWords[first + c], kLogitCodes, step);
}

void main()
{
    const uint sampleIndex = gl_GlobalInvocationID.x;
    if (sampleIndex >= parameters.batch)
        return;

    const uint classes = parameters.classes;
    const uint first = sampleIndex * classes;
    const float step = kLogitCodes ? powerOfTwo(-formats[parameters.logitSlot]) : 1.0;

    uint best = 0u;
    float largest = scoreOf(first, 0u, step);
    bool finite = true;
    for (uint c = 0u; c < classes; ++c) {
        const float score = scoreOf(first, c, step);
        finite = finite && isFiniteBits(floatBitsToUint(score));
        if (isGreaterBits(floatBitsToUint(score), floatBitsToUint(largest))) {
            best = c;
            largest = score;
        }
    }
    predictions[sampleIndex] = best;

    // A non-finite score poisons the sample: its loss and error become NaN.
    if (!finite) {
        lossBits[sampleIndex] = kQuietNaN;
        if (parameters.writeGradients != 0u)
            for (uint c = 0u; c < classes; ++c)
                gradientBits[first + c] = kQuietNaN;
        return;
    }

    // Shifting by the largest score keeps every exponent at or below zero.
    precise float sum = 0.0;
    for (uint c = 0u; c < classes; ++c) {
        precise float shifted = scoreOf(first, c, step) - largest;
        sum = sum + expNonPositive(shifted);
    }
    const float inverseSum = reciprocal(sum);
    const uint label = labels[sampleIndex];
    precise float labelShifted = scoreOf(first, label, step) - largest;
    precise float loss = logPositive(sum) - labelShifted;
    lossBits[sampleIndex] = floatBitsToUint(loss);

    if (parameters.writeGradients == 0u)
        return;
    for (uint c = 0u; c < classes; ++c) {
        precise float shifted = scoreOf(first, c, step) - largest;
        const float target = c == label ? 1.0 : 0.0;
        precise float gradient = (expNonPositive(shifted) * inverseSum - target) * parameters.inverseBatch;
        gradientBits[first + c] = floatBitsToUint(gradient);
    }
}
