// The inner loops of the CPU backend: C += A * B for row-major matrices, with the sum over k in
// ascending order for every element of C. The loop over n is innermost so compilers vectorise it
// without reordering any sum.
#pragma once

#include "backend/accumulator_plan.h"

#include <cstddef>
#include <cstdint>

namespace fxlab {

// C[m][n] += sum_k A[m][k] * B[k][n], float.
void multiplyAdd(const float* a, const float* b, float* c, int rows, int inner, int columns);

// C[m][n] += sum_k (A[m][k] * B[k][n]) >> plan.productShift, on integer codes. Partial sums stay in
// int32 for as many terms as the plan allows, which is exact and several times faster than int64.
void multiplyAdd(const int32_t* a, const int32_t* b, int64_t* c, int rows, int inner, int columns,
                 const AccumulatorPlan& plan);

// Row-major transpose of a rows x columns matrix.
template <typename T>
void transpose(const T* source, T* target, int rows, int columns)
{
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < columns; ++c)
            target[size_t(c) * rows + r] = source[size_t(r) * columns + c];
}

} // namespace fxlab
