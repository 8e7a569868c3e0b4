// The inner loops of the CPU backend: C += A * B for row-major matrices, with the sum over k in
// ascending order for every element of C. The loop over n is innermost so compilers vectorise it
// without reordering any sum.
#pragma once

#include "backend/accumulator_plan.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace fxlab {

// C[m][n] += sum_k A[m][k] * B[k][n], float.
inline void multiplyAdd(const float* a, const float* b, float* c, int rows, int inner, int columns)
{
    for (int m = 0; m < rows; ++m) {
        float* cRow = c + size_t(m) * columns;
        for (int k = 0; k < inner; ++k) {
            const float scale = a[size_t(m) * inner + k];
            const float* bRow = b + size_t(k) * columns;
            for (int n = 0; n < columns; ++n)
                cRow[n] += scale * bRow[n];
        }
    }
}

// C[m][n] += sum_k (A[m][k] * B[k][n]) >> plan.productShift, on integer codes. Partial sums stay in
// int32 for as many terms as the plan allows, which is exact and several times faster than int64.
inline void multiplyAdd(const int32_t* a, const int32_t* b, int64_t* c, int rows, int inner, int columns,
                        const AccumulatorPlan& plan)
{
    if (plan.productShift > 0) {
        for (int m = 0; m < rows; ++m)
            for (int k = 0; k < inner; ++k) {
                const int64_t scale = a[size_t(m) * inner + k];
                const int32_t* bRow = b + size_t(k) * columns;
                for (int n = 0; n < columns; ++n)
                    c[size_t(m) * columns + n] += (scale * bRow[n]) >> plan.productShift;
            }
        return;
    }

    const int64_t block = plan.wide ? plan.blockTerms : inner;
    if (block < 1) {
        for (int m = 0; m < rows; ++m)
            for (int k = 0; k < inner; ++k) {
                const int64_t scale = a[size_t(m) * inner + k];
                const int32_t* bRow = b + size_t(k) * columns;
                for (int n = 0; n < columns; ++n)
                    c[size_t(m) * columns + n] += scale * bRow[n];
            }
        return;
    }

    std::vector<int32_t> partial(static_cast<size_t>(columns));
    for (int m = 0; m < rows; ++m) {
        int64_t* cRow = c + size_t(m) * columns;
        for (int k0 = 0; k0 < inner; k0 += int(block)) {
            const int k1 = int(std::min<int64_t>(inner, k0 + block));
            std::fill(partial.begin(), partial.end(), 0);
            for (int k = k0; k < k1; ++k) {
                const int32_t scale = a[size_t(m) * inner + k];
                if (scale == 0)
                    continue;
                const int32_t* bRow = b + size_t(k) * columns;
                for (int n = 0; n < columns; ++n)
                    partial[size_t(n)] += scale * bRow[n];
            }
            for (int n = 0; n < columns; ++n)
                cRow[n] += partial[size_t(n)];
        }
    }
}

// Row-major transpose of a rows x columns matrix.
template <typename T>
void transpose(const T* source, T* target, int rows, int columns)
{
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < columns; ++c)
            target[size_t(c) * rows + r] = source[size_t(r) * columns + c];
}

} // namespace fxlab
