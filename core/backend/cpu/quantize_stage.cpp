#include "backend/cpu/quantize_stage.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <mutex>

namespace fxlab {

namespace {

constexpr size_t kMinChunk = 4096;

// Runs body(begin, end, events) on chunks and adds each chunk's events to `events`.
template <typename Body>
void forChunks(size_t count, QuantEvents& events, ThreadPool& pool, const Body& body)
{
    std::mutex mutex;
    const size_t chunks =
        std::max<size_t>(1, std::min(size_t(pool.threadCount()) * ThreadPool::kChunksPerThread, count / kMinChunk));
    pool.parallelFor(chunks, [&](size_t firstChunk, size_t lastChunk) {
        for (size_t chunk = firstChunk; chunk < lastChunk; ++chunk) {
            const size_t begin = count * chunk / chunks, end = count * (chunk + 1) / chunks;
            QuantEvents local;
            body(begin, end, local);
            std::lock_guard lock(mutex);
            events += local;
        }
    });
}

std::optional<int> combineFractionalLengths(std::optional<int> a, std::optional<int> b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    return std::min(*a, *b);
}

} // namespace

void ValueSummary::merge(const ValueSummary& other)
{
    maxAbsFractionalLength = combineFractionalLengths(maxAbsFractionalLength, other.maxAbsFractionalLength);
    sumOfSquares += other.sumOfSquares;
    count += other.count;
}

ValueSummary summarizeExact(const int64_t* sums, size_t count, int fractionalLength, int wordBits, ThreadPool&)
{
    ValueSummary summary;
    uint64_t largest = 0;
    const double scale = std::ldexp(1.0, -fractionalLength);
    for (size_t i = 0; i < count; ++i) {
        const uint64_t magnitude = sums[i] < 0 ? 0 - uint64_t(sums[i]) : uint64_t(sums[i]);
        largest = std::max(largest, magnitude);
        const double value = double(sums[i]) * scale;
        summary.sumOfSquares += value * value;
    }
    summary.count = count;
    summary.maxAbsFractionalLength = maxAbsFractionalLength(largest, fractionalLength, wordBits);
    return summary;
}

ValueSummary summarizeFloat(const float* values, size_t count, int wordBits, ThreadPool&)
{
    ValueSummary summary;
    float largest = 0;
    for (size_t i = 0; i < count; ++i) {
        const float magnitude = std::abs(values[i]);
        if (std::isfinite(magnitude))
            largest = std::max(largest, magnitude);
        summary.sumOfSquares += double(values[i]) * double(values[i]);
    }
    summary.count = count;

    // largest = significand * 2^exponent exactly, with a 24-bit integer significand.
    if (largest > 0) {
        const uint32_t bits = std::bit_cast<uint32_t>(largest);
        const int biased = int(bits >> 23);
        const uint64_t significand = biased == 0 ? (bits & 0x7FFFFFu) : ((bits & 0x7FFFFFu) | 0x800000u);
        const int exponent = biased == 0 ? -149 : biased - 150;
        summary.maxAbsFractionalLength = maxAbsFractionalLength(significand, -exponent, wordBits);
    }
    return summary;
}

int chooseFractionalLength(const TensorPrecision& precision, const ValueSummary& summary, int current)
{
    switch (precision.policy) {
    case FractionalLengthPolicy::Manual:
        return current;
    case FractionalLengthPolicy::MaxAbs:
        return summary.maxAbsFractionalLength.value_or(current);
    case FractionalLengthPolicy::GaussianSqnr:
    case FractionalLengthPolicy::LaplacianSqnr: {
        if (summary.count == 0)
            return current;
        const double rms = std::sqrt(summary.sumOfSquares / double(summary.count));
        return sqnrFractionalLength(rms, precision.spec.format.wordBits, precision.policy).value_or(current);
    }
    }
    return current;
}

void quantizeExact(const int64_t* sums, size_t count, int fractionalLength, const QuantizeTarget& target,
                   int32_t* codes, QuantEvents& events, ThreadPool& pool, uint8_t* saturated)
{
    // Random bits only matter when a value falls between two codes; a value on the grid never
    // moves, so drawing no bits for it gives the same result.
    const int shift = fractionalLength - target.spec.format.fractionalLength;
    const bool stochastic = target.spec.rounding == RoundingMode::Stochastic && shift > 0;
    const uint64_t fractionMask = shift >= 64 ? ~uint64_t{0} : (uint64_t{1} << std::max(shift, 0)) - 1;
    // Same fractional length: the codes are the sums, unless they leave the range.
    if (shift == 0) {
        const int64_t highest = target.spec.format.maxCode(), lowest = target.spec.lowestCode();
        forChunks(count, events, pool, [&](size_t begin, size_t end, QuantEvents& local) {
            for (size_t i = begin; i < end; ++i) {
                const bool inside = sums[i] >= lowest && sums[i] <= highest;
                const QuantizedValue result = inside ? QuantizedValue{int32_t(sums[i]), 0u}
                                                     : requantize(sums[i], fractionalLength, target.spec);
                codes[i] = result.code;
                local.count(result.flags);
                if (saturated)
                    saturated[i] = (result.flags & (kSaturatedHigh | kSaturatedLow)) != 0;
            }
        });
        return;
    }
    forChunks(count, events, pool, [&](size_t begin, size_t end, QuantEvents& local) {
        for (size_t i = begin; i < end; ++i) {
            const bool between = stochastic && (uint64_t(sums[i]) & fractionMask) != 0;
            const uint32_t bits = between ? target.stream.bits(target.firstIndex + uint32_t(i)) : 0;
            const QuantizedValue result = requantize(sums[i], fractionalLength, target.spec, bits);
            codes[i] = result.code;
            local.count(result.flags);
            if (saturated)
                saturated[i] = (result.flags & (kSaturatedHigh | kSaturatedLow)) != 0;
        }
    });
}

void quantizeFloat(const float* values, size_t count, const QuantizeTarget& target, int32_t* codes,
                   QuantEvents& events, ThreadPool& pool, uint8_t* saturated)
{
    const bool stochastic = target.spec.rounding == RoundingMode::Stochastic;
    forChunks(count, events, pool, [&](size_t begin, size_t end, QuantEvents& local) {
        for (size_t i = begin; i < end; ++i) {
            const uint32_t bits = stochastic ? target.stream.bits(target.firstIndex + uint32_t(i)) : 0;
            const QuantizedValue result = quantize(values[i], target.spec, bits);
            codes[i] = result.code;
            local.count(result.flags);
            if (saturated)
                saturated[i] = (result.flags & (kSaturatedHigh | kSaturatedLow)) != 0;
        }
    });
}

void exactToFloats(const int64_t* sums, size_t count, int fractionalLength, float* values, ThreadPool& pool)
{
    pool.parallelFor(count, [&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i)
            values[i] = exactToFloat(sums[i], fractionalLength);
    });
}

} // namespace fxlab
