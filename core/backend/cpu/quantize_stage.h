// The last step of every layer computation: exact results (int64 sums with a fractional length, or
// floats) become the tensor's precision. A data-driven policy first chooses the fractional length
// from the results, then each element is rounded, with its own random bits for stochastic rounding.
#pragma once

#include "backend/cpu/thread_pool.h"
#include "model/precision.h"
#include "numeric/philox.h"
#include "numeric/quantizer.h"

#include <cstdint>
#include <optional>

namespace fxlab {

// What a policy needs to know about a tensor's values.
struct ValueSummary {
    std::optional<int> maxAbsFractionalLength;  // empty while every value is zero
    double sumOfSquares = 0;
    uint64_t count = 0;

    void merge(const ValueSummary& other);
};

ValueSummary summarizeExact(const int64_t* sums, size_t count, int fractionalLength, int wordBits, ThreadPool& pool);
ValueSummary summarizeFloat(const float* values, size_t count, int wordBits, ThreadPool& pool);

// The fractional length that `precision`'s policy picks for a tensor summarized by `summary`, or
// `current` when the policy is manual or the tensor is all zero. SQNR policies use the root mean
// square as sigma, because the quantizer's grid is centred on zero, not on the mean.
int chooseFractionalLength(const TensorPrecision& precision, const ValueSummary& summary, int current);

// Where quantized elements go and how they are rounded.
struct QuantizeTarget {
    FixedPointSpec spec;
    RandomStream stream;
    uint32_t firstIndex = 0;  // random-bit index of element 0
};

// Quantizes sums[i] * 2^-fractionalLength into codes[i] and adds the events. With `saturated`,
// also marks each element that saturated with 1 and every other with 0.
void quantizeExact(const int64_t* sums, size_t count, int fractionalLength, const QuantizeTarget& target,
                   int32_t* codes, QuantEvents& events, ThreadPool& pool, uint8_t* saturated = nullptr);
void quantizeFloat(const float* values, size_t count, const QuantizeTarget& target, int32_t* codes,
                   QuantEvents& events, ThreadPool& pool, uint8_t* saturated = nullptr);
// Float output of exact sums: the nearest float of each.
void exactToFloats(const int64_t* sums, size_t count, int fractionalLength, float* values, ThreadPool& pool);

} // namespace fxlab
