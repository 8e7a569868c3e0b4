#include "backend/cpu/matrix_loops.h"

#include <algorithm>
#include <vector>

// On x86-64, GCC builds these loops for AVX2 as well and picks the variant when the program
// starts; the baseline (SSE2) has no 32-bit integer multiply. Every variant computes the same
// bits: no fused multiply-add (AVX2 does not imply FMA, and -ffp-contract=off), no reordering.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define FXLAB_VECTOR_VARIANTS __attribute__((target_clones("avx2", "default")))
#else
#define FXLAB_VECTOR_VARIANTS
#endif

namespace fxlab {

FXLAB_VECTOR_VARIANTS
void multiplyAdd(const float* __restrict a, const float* __restrict b, float* __restrict c, int rows, int inner,
                 int columns)
{
    for (int m = 0; m < rows; ++m) {
        float* __restrict cRow = c + size_t(m) * columns;
        for (int k = 0; k < inner; ++k) {
            const float scale = a[size_t(m) * inner + k];
            const float* __restrict bRow = b + size_t(k) * columns;
            for (int n = 0; n < columns; ++n)
                cRow[n] += scale * bRow[n];
        }
    }
}

namespace {

// Every product goes straight into int64; used when one product alone may exceed int32.
FXLAB_VECTOR_VARIANTS
void multiplyAddWide(const int32_t* __restrict a, const int32_t* __restrict b, int64_t* __restrict c, int rows,
                     int inner, int columns, int productShift)
{
    for (int m = 0; m < rows; ++m) {
        int64_t* __restrict cRow = c + size_t(m) * columns;
        for (int k = 0; k < inner; ++k) {
            const int64_t scale = a[size_t(m) * inner + k];
            const int32_t* __restrict bRow = b + size_t(k) * columns;
            for (int n = 0; n < columns; ++n)
                cRow[n] += shiftRightFloor(scale * bRow[n], productShift);
        }
    }
}

// int32 partial sums over blocks of `block` terms, added to int64 after each block.
FXLAB_VECTOR_VARIANTS
void multiplyAddBlocked(const int32_t* __restrict a, const int32_t* __restrict b, int64_t* __restrict c, int rows,
                        int inner, int columns, int64_t block, int32_t* __restrict partial)
{
    for (int m = 0; m < rows; ++m) {
        int64_t* __restrict cRow = c + size_t(m) * columns;
        for (int k0 = 0; k0 < inner; k0 += int(block)) {
            const int k1 = int(std::min<int64_t>(inner, k0 + block));
            std::fill(partial, partial + columns, 0);
            for (int k = k0; k < k1; ++k) {
                const int32_t scale = a[size_t(m) * inner + k];
                if (scale == 0)
                    continue;
                const int32_t* __restrict bRow = b + size_t(k) * columns;
                for (int n = 0; n < columns; ++n)
                    partial[n] += scale * bRow[n];
            }
            for (int n = 0; n < columns; ++n)
                cRow[n] += partial[n];
        }
    }
}

} // namespace

void multiplyAdd(const int32_t* a, const int32_t* b, int64_t* c, int rows, int inner, int columns,
                 const AccumulatorPlan& plan)
{
    const int64_t block = plan.wide ? plan.blockTerms : inner;
    if (plan.productShift > 0 || block < 1) {
        multiplyAddWide(a, b, c, rows, inner, columns, plan.productShift);
        return;
    }
    thread_local std::vector<int32_t> partial;
    partial.resize(size_t(columns));
    multiplyAddBlocked(a, b, c, rows, inner, columns, block, partial.data());
}

} // namespace fxlab
