// Fixed-point formats and the modes that control how a value becomes a code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fxlab {

// A signed two's-complement code of `wordBits` bits (sign included) that stands for
// code * 2^-fractionalLength. The fractional length may be negative (steps coarser than 1)
// or larger than the word (every value below 1 in magnitude).
struct FixedFormat {
    static constexpr int kMinWordBits = 2;
    static constexpr int kMaxWordBits = 32;
    static constexpr int kMinFractionalLength = -32;
    static constexpr int kMaxFractionalLength = 64;

    int wordBits = 8;
    int fractionalLength = 0;

    int integerBits() const { return wordBits - 1 - fractionalLength; }
    int64_t maxCode() const { return (int64_t{1} << (wordBits - 1)) - 1; }
    int64_t minCode() const { return -(int64_t{1} << (wordBits - 1)); }
    uint64_t codeCount() const { return uint64_t{1} << wordBits; }
    double step() const;
    double maxValue() const { return double(maxCode()) * step(); }
    double minValue() const { return double(minCode()) * step(); }
    double valueOf(int64_t code) const { return double(code) * step(); }

    // Empty when valid, otherwise a sentence naming the invalid field and the valid range.
    std::optional<std::string> validationError() const;

    bool operator==(const FixedFormat&) const = default;
};

enum class RoundingMode { NearestEven, NearestAway, Floor, TowardZero, Stochastic };
enum class OverflowMode { Saturate, SymmetricSaturate, Wrap };

// The names used in files, on the command line and in the window: "nearest-even", "saturate", ...
std::string_view toString(RoundingMode mode);
std::string_view toString(OverflowMode mode);
std::optional<RoundingMode> parseRoundingMode(std::string_view name);
std::optional<OverflowMode> parseOverflowMode(std::string_view name);
// All names, separated by ", ", for error messages.
std::string roundingModeNames();
std::string overflowModeNames();

// Everything the quantizer needs to turn a value into a code.
struct FixedPointSpec {
    FixedFormat format;
    RoundingMode rounding = RoundingMode::NearestEven;
    OverflowMode overflow = OverflowMode::Saturate;

    // The smallest code the overflow mode produces: symmetric saturation drops -2^(b-1).
    int64_t lowestCode() const
    {
        return overflow == OverflowMode::SymmetricSaturate ? -format.maxCode() : format.minCode();
    }

    bool operator==(const FixedPointSpec&) const = default;
};

// "Q8.4" style description: word bits and fractional length, e.g. "8b fl=4".
std::string describe(const FixedFormat& format);

} // namespace fxlab
