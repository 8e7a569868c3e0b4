// The push constants of the training kernels in shaders/, field for field. Each struct matches
// the `Parameters` block of the shader named in its comment, and the static_asserts catch a
// field added on one side only.
#pragma once

#include <cstdint>

namespace fxlab {

// Kernels that run one invocation per element (or per output) start their push constants with
// this range, so that the host can split a dispatch that needs more workgroups than the device
// allows.
struct InvocationRange {
    uint32_t first = 0;  // the index of invocation 0 of this dispatch
    uint32_t count = 0;  // the number of invocations of the whole kernel
};

// convolution_geometry.glsl.
struct ConvolutionGeometry {
    int32_t batch = 0;
    int32_t inChannels = 0;
    int32_t inHeight = 0;
    int32_t inWidth = 0;
    int32_t outChannels = 0;
    int32_t outHeight = 0;
    int32_t outWidth = 0;
    int32_t kernel = 0;
    int32_t stride = 1;
    int32_t padding = 0;
};

// pool_geometry.glsl.
struct PoolGeometry {
    uint32_t channels = 0;
    uint32_t inHeight = 0;
    uint32_t inWidth = 0;
    uint32_t outHeight = 0;
    uint32_t outWidth = 0;
};

// store_fixed.comp.
struct StoreFixedParameters {
    uint32_t firstElement = 0;
    uint32_t elementCount = 0;
    uint32_t firstRandomIndex = 0;
    int32_t sourceSlot = 0;
    int32_t sourceOffset = 0;
    int32_t targetSlot = 0;
    int32_t wordBits = 0;
    uint32_t seedLow = 0;
    uint32_t seedHigh = 0;
    uint32_t step = 0;
    uint32_t layer = 0;
    uint32_t tensor = 0;
    uint32_t counterWord = 0;
    int32_t skipSlotA = -1;
    int32_t skipSlotB = -1;
};

// store_float.comp.
struct StoreFloatParameters {
    InvocationRange range;
    int32_t sourceSlot = 0;
    int32_t sourceOffset = 0;
};

// max_abs.comp.
struct MaxAbsParameters {
    uint32_t elementCount = 0;
    uint32_t partialCount = 0;
    uint32_t firstPartial = 0;
};

// choose_fractional_length.comp.
struct PartialRange {
    uint32_t first = 0;
    uint32_t count = 0;
    uint32_t kind = 0;  // 0: exact values, 1: float bit patterns
    int32_t sourceSlot = 0;
    int32_t sourceOffset = 0;
};

struct ChooseParameters {
    PartialRange ranges[2];
    int32_t wordBits = 0;
    int32_t targetSlot = 0;
    int32_t previousSlot = -1;
};

// conv_forward_fixed.comp.
struct ConvolutionForwardFixedParameters {
    InvocationRange range;
    ConvolutionGeometry geometry;
    int32_t inputSlot = 0;
    int32_t weightSlot = 0;
    int32_t biasSlot = -1;
    int32_t planFirst = 0;
    int32_t planLowestDifference = 0;
    int32_t planCount = 1;
    int32_t resultSlot = 0;
};

// conv_forward_float.comp.
struct ConvolutionFloatParameters {
    InvocationRange range;
    ConvolutionGeometry geometry;
    int32_t inputSlot = 0;
    int32_t weightSlot = 0;
    int32_t biasSlot = -1;
};

// conv_backward_input_fixed.comp and conv_backward_weights_fixed.comp.
struct ConvolutionBackwardFixedParameters {
    InvocationRange range;
    ConvolutionGeometry geometry;
    int32_t gradientSlot = 0;
    int32_t otherSlot = 0;
    int32_t planFirst = 0;
    int32_t resultSlot = 0;
};

// conv_backward_input_float.comp and conv_backward_weights_float.comp.
struct ConvolutionBackwardFloatParameters {
    InvocationRange range;
    ConvolutionGeometry geometry;
    int32_t gradientSlot = 0;
    int32_t otherSlot = 0;
};

// bias_gradient_fixed.comp and bias_gradient_float.comp.
struct BiasGradientParameters {
    int32_t batch = 0;
    int32_t channels = 0;
    int32_t positions = 0;
    int32_t gradientSlot = 0;
};

// relu_forward.comp, relu_backward.comp and mask_saturated.comp.
struct ElementwiseParameters {
    InvocationRange range;
};

// max_pool_*.comp and average_pool_*.comp.
struct PoolParameters {
    InvocationRange range;
    PoolGeometry geometry;
};

// softmax_cross_entropy.comp.
struct SoftmaxParameters {
    uint32_t batch = 0;
    uint32_t classes = 0;
    int32_t logitSlot = 0;
    float inverseBatch = 1.0f;
    uint32_t writeGradients = 0;
};

// sgd_update.comp.
struct SgdParameters {
    InvocationRange range;
    int32_t weightSlot = 0;
    int32_t gradientSlot = 0;
    float learningRate = 0;
    float momentum = 0;
    float weightDecay = 0;
};

// code_histogram.comp.
struct HistogramParameters {
    uint32_t elementCount = 0;
    int32_t wordBits = 0;
    int32_t binShift = 0;
    uint32_t firstWord = 0;
};

static_assert(sizeof(StoreFixedParameters) == 60);
static_assert(sizeof(StoreFloatParameters) == 16);
static_assert(sizeof(MaxAbsParameters) == 12);
static_assert(sizeof(ChooseParameters) == 52);
static_assert(sizeof(ConvolutionForwardFixedParameters) == 76);
static_assert(sizeof(ConvolutionFloatParameters) == 60);
static_assert(sizeof(ConvolutionBackwardFixedParameters) == 64);
static_assert(sizeof(ConvolutionBackwardFloatParameters) == 56);
static_assert(sizeof(BiasGradientParameters) == 16);
static_assert(sizeof(ElementwiseParameters) == 8);
static_assert(sizeof(PoolParameters) == 28);
static_assert(sizeof(SoftmaxParameters) == 20);
static_assert(sizeof(SgdParameters) == 28);
static_assert(sizeof(HistogramParameters) == 16);

} // namespace fxlab
