// The integer accumulation of core/backend/accumulator_plan.h. The host runs planAccumulator()
// for every difference between the bias and product fractional lengths that can occur and
// uploads the results as a plan table, because a data-driven policy may change those fractional
// lengths in the middle of a step. A kernel looks its plan up with the fractional lengths that
// the format table holds at that moment.
// Requires GL_EXT_shader_explicit_arithmetic_types_int64.
#ifndef FXLAB_ACCUMULATOR_GLSL
#define FXLAB_ACCUMULATOR_GLSL

#include "quantizer.glsl"

// How the products are summed, the specialization constant kAccumulator of the integer kernels.
// Every mode gives the exact sum; the host picks the cheapest one that the plan allows.
const uint kSumOfInt32Products = 0u;    // each product fits int32, the sum is int64
const uint kSumOfInt64Products = 1u;    // products need int64
const uint kSumOfShiftedProducts = 2u;  // int64 products, each floor-shifted right by productShift
const uint kSumInInt32 = 3u;            // the whole sum fits int32: half the work of int64 on SIMD CPUs

// One entry of a plan table: (productShift, sumShift, biasShift, resultOffset). The fractional
// length of the finished sum is the product fractional length plus resultOffset.
struct AccumulatorPlan {
    int productShift;
    int sumShift;
    int biasShift;
    int resultOffset;
};

AccumulatorPlan planFromEntry(ivec4 entry)
{
    return AccumulatorPlan(entry.x, entry.y, entry.z, entry.w);
}

// value >> shift rounded toward minus infinity, for any shift >= 0. SPIR-V leaves shifts of 64
// or more undefined, so those give the exact floor, 0 or -1.
int64_t floorShiftRight(int64_t value, int shift)
{
    if (shift >= 64)
        return value < 0l ? -1l : 0l;
    return value >> shift;
}

// value << shift as two's complement, for 0 <= shift; shifts of 64 or more give 0.
int64_t shiftLeft(int64_t value, int shift)
{
    if (shift >= 64)
        return 0l;
    return int64_t(uint64_t(value) << shift);
}

// One term of the sum: a * b, floor-shifted by productShift in kSumOfShiftedProducts. `mode` is
// a specialization constant, so the compiler keeps only one branch.
int64_t accumulatedProduct(int a, int b, uint mode, int productShift)
{
    if (mode == kSumOfInt32Products)
        return int64_t(a * b);
    const int64_t exact = int64_t(a) * int64_t(b);
    return mode == kSumOfShiftedProducts ? floorShiftRight(exact, productShift) : exact;
}

// finishSum(): lines the sum up with the bias and adds the bias.
int64_t finishSum(int64_t sum, int biasCode, AccumulatorPlan plan)
{
    // codeFromWord() widens without int64_t(int), which lavapipe compares wrongly with 0.
    const int64_t code = codeFromWord(uint(biasCode));
    const int64_t aligned = shiftLeft(sum, plan.sumShift);
    const int64_t bias = plan.biasShift >= 0 ? shiftLeft(code, plan.biasShift) : floorShiftRight(code, -plan.biasShift);
    return aligned + bias;
}

#endif
