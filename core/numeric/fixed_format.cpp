#include "numeric/fixed_format.h"

#include <array>
#include <cmath>
#include <string>

namespace fxlab {

namespace {

constexpr std::array<std::pair<RoundingMode, std::string_view>, 5> kRoundingNames{{
    {RoundingMode::NearestEven, "nearest-even"},
    {RoundingMode::NearestAway, "nearest-away"},
    {RoundingMode::Floor, "floor"},
    {RoundingMode::TowardZero, "toward-zero"},
    {RoundingMode::Stochastic, "stochastic"},
}};

constexpr std::array<std::pair<OverflowMode, std::string_view>, 3> kOverflowNames{{
    {OverflowMode::Saturate, "saturate"},
    {OverflowMode::SymmetricSaturate, "symmetric-saturate"},
    {OverflowMode::Wrap, "wrap"},
}};

template <typename Table>
std::string joinNames(const Table& table)
{
    std::string names;
    for (const auto& [mode, name] : table) {
        if (!names.empty())
            names += ", ";
        names += name;
    }
    return names;
}

} // namespace

double FixedFormat::step() const
{
    return std::ldexp(1.0, -fractionalLength);
}

std::optional<std::string> FixedFormat::validationError() const
{
    if (wordBits < kMinWordBits || wordBits > kMaxWordBits)
        return "word bits " + std::to_string(wordBits) + " is out of range: use "
            + std::to_string(kMinWordBits) + " to " + std::to_string(kMaxWordBits);
    if (fractionalLength < kMinFractionalLength || fractionalLength > kMaxFractionalLength)
        return "fractional length " + std::to_string(fractionalLength) + " is out of range: use "
            + std::to_string(kMinFractionalLength) + " to " + std::to_string(kMaxFractionalLength);
    return std::nullopt;
}

std::string_view toString(RoundingMode mode)
{
    for (const auto& [candidate, name] : kRoundingNames)
        if (candidate == mode)
            return name;
    return "unknown";
}

std::string_view toString(OverflowMode mode)
{
    for (const auto& [candidate, name] : kOverflowNames)
        if (candidate == mode)
            return name;
    return "unknown";
}

std::optional<RoundingMode> parseRoundingMode(std::string_view name)
{
    for (const auto& [mode, candidate] : kRoundingNames)
        if (candidate == name)
            return mode;
    return std::nullopt;
}

std::optional<OverflowMode> parseOverflowMode(std::string_view name)
{
    for (const auto& [mode, candidate] : kOverflowNames)
        if (candidate == name)
            return mode;
    return std::nullopt;
}

std::string roundingModeNames()
{
    return joinNames(kRoundingNames);
}

std::string overflowModeNames()
{
    return joinNames(kOverflowNames);
}

std::string describe(const FixedFormat& format)
{
    return std::to_string(format.wordBits) + "-bit, fl " + std::to_string(format.fractionalLength);
}

} // namespace fxlab
