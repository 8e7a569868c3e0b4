// SGD with momentum and weight decay as PyTorch defines it and the CPU reference computes it:
// d = g + decay * w; v = momentum * v + d; w = w - rate * v, each operation rounded on its own.
// With float master weights the result replaces the master copy. With fixed-point master
// weights it goes to `updated`, and store_fixed.comp rounds it stochastically to the new codes.
// NOTE: a device that flushes fp32 denormals (lavapipe does) turns a velocity below 2^-126 into 0
// where the CPU keeps it. The weights still match unless they are below about 2^-100 themselves,
// but a velocity that decays that far over a long run differs in the saved state.
#version 450
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require

#include "tensor_values.glsl"

layout(local_size_x_id = 0) in;
// Whether the gradient is fixed-point codes, and whether the weights are fixed-point master codes.
layout(constant_id = 1) const bool kGradientCodes = true;
layout(constant_id = 2) const bool kFixedMaster = false;

layout(std430, set = 0, binding = 0) buffer Master { float master[]; };
layout(std430, set = 0, binding = 1) buffer Velocity { float velocities[]; };
layout(std430, set = 0, binding = 2) readonly buffer Codes { int codes[]; };
layout(std430, set = 0, binding = 3) readonly buffer Gradient { uint gradientWords[]; };
layout(std430, set = 0, binding = 4) readonly buffer Formats { int formats[]; };
layout(std430, set = 0, binding = 5) writeonly buffer Updated { float updated[]; };

// Field order and types match SgdParameters in core/backend/vulkan.
layout(push_constant) uniform Parameters {
    uint firstInvocation;
    uint invocationCount;
    int weightSlot;      // the fractional length of the master codes
    int gradientSlot;
    float learningRate;
    float momentum;
    float weightDecay;
} parameters;

void main()
{
    const uint index = parameters.firstInvocation + gl_GlobalInvocationID.x;
    if (index >= parameters.invocationCount)
        return;

    const float gradientStep = kGradientCodes ? powerOfTwo(-formats[parameters.gradientSlot]) : 1.0;
    const float weight = kFixedMaster ? dequantize(codes[index], formats[parameters.weightSlot]) : master[index];
    const float gradient = valueOf(gradientWords[index], kGradientCodes, gradientStep);

    precise float direction = gradient + parameters.weightDecay * weight;
    precise float velocity = parameters.momentum * velocities[index] + direction;
    precise float result = weight - parameters.learningRate * velocity;
    velocities[index] = velocity;
    if (kFixedMaster)
        updated[index] = result;
    else
        master[index] = result;
}
