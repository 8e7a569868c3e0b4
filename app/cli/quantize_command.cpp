// fxlab-cli quantize: the core quantizer as a calculator, and fxlab-cli presets.
#include "arguments.h"
#include "commands.h"

#include "model/presets.h"
#include "numeric/philox.h"
#include "numeric/quantizer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <cstdio>
#include <iostream>

namespace fxlab::cli {

namespace {

const char* kQuantizeHelp = R"(usage: fxlab-cli quantize --bits B --frac F [options] VALUE...

Quantizes each VALUE to a B-bit two's-complement code with fractional length F (step 2^-F)
and prints the code, the value it stands for and the events.
  --bits B          word bits, sign included: 2 to 32
  --frac F          fractional length: -32 to 64
  --rounding MODE   nearest-even (default), nearest-away, floor, toward-zero, stochastic
  --overflow MODE   saturate (default), symmetric-saturate, wrap
  --seed S          seed of stochastic rounding (default 1); value i draws random bits i
  --json            print JSON instead of a table; its "saturated" marks any out-of-range value,
                    clamped or, with --overflow wrap, wrapped
)";

// The word for an out-of-range value: saturated (clamped to an end code) or wrapped around the range.
const char* overflowName(OverflowMode mode)
{
    return mode == OverflowMode::Wrap ? "wrapped" : "saturated";
}

std::string flagNames(uint32_t flags, OverflowMode mode)
{
    std::string names;
    const auto add = [&](uint32_t flag, const char* name) {
        if (flags & flag)
            names += (names.empty() ? "" : ",") + std::string(name);
    };
    add(kSaturatedHigh | kSaturatedLow, overflowName(mode));
    add(kUnderflow, "underflow");
    add(kNotANumber, "nan");
    return names.empty() ? "-" : names;
}

} // namespace

int runQuantize(const std::vector<std::string>& argumentList)
{
    const Arguments arguments("quantize", argumentList, {"bits", "frac", "rounding", "overflow", "seed"},
                              {"json", "help"});
    if (arguments.has("help")) {
        std::cout << kQuantizeHelp;
        return 0;
    }
    if (!arguments.has("bits") || !arguments.has("frac"))
        throw UsageError("quantize needs --bits and --frac; see 'fxlab-cli quantize --help'");
    if (arguments.positional().empty())
        throw UsageError("quantize needs at least one value to quantize");

    FixedPointSpec spec;
    spec.format.wordBits = int(arguments.integer("bits", 8, FixedFormat::kMinWordBits, FixedFormat::kMaxWordBits));
    spec.format.fractionalLength = int(arguments.integer("frac", 0, FixedFormat::kMinFractionalLength,
                                                         FixedFormat::kMaxFractionalLength));
    const std::string rounding = arguments.value("rounding").value_or("nearest-even");
    const auto roundingMode = parseRoundingMode(rounding);
    if (!roundingMode)
        throw UsageError("unknown rounding mode \"" + rounding + "\": use one of " + roundingModeNames());
    spec.rounding = *roundingMode;
    const std::string overflow = arguments.value("overflow").value_or("saturate");
    const auto overflowMode = parseOverflowMode(overflow);
    if (!overflowMode)
        throw UsageError("unknown overflow mode \"" + overflow + "\": use one of " + overflowModeNames());
    spec.overflow = *overflowMode;
    const RandomStream stream{uint64_t(arguments.integer("seed", 1, 0, 9'007'199'254'740'991LL)), 0, kNoLayer,
                              RandomTensor::Input};

    std::vector<double> values;
    for (const std::string& text : arguments.positional()) {
        const auto value = parseNumber(text);
        if (!value)
            throw UsageError("\"" + text + "\" is not a number");
        values.push_back(*value);
    }

    QuantEvents events;
    QJsonArray results;
    const bool json = arguments.has("json");
    if (!json)
        std::printf("%-24s %12s %24s  %s\n", "value", "code", "result", "events");
    for (size_t i = 0; i < values.size(); ++i) {
        const QuantizedValue result = quantize(values[i], spec, stream.bits(uint32_t(i)));
        events.count(result.flags);
        const double represented = spec.format.valueOf(result.code);
        if (json) {
            results.append(QJsonObject{{"input", QString::fromStdString(arguments.positional()[i])},
                                       {"code", result.code},
                                       {"value", represented},
                                       {"saturated", (result.flags & (kSaturatedHigh | kSaturatedLow)) != 0},
                                       {"underflow", (result.flags & kUnderflow) != 0},
                                       {"nan", (result.flags & kNotANumber) != 0}});
        } else {
            std::printf("%-24s %12d %24.17g  %s\n", arguments.positional()[i].c_str(), result.code, represented,
                        flagNames(result.flags, spec.overflow).c_str());
        }
    }

    const FixedFormat& format = spec.format;
    if (json) {
        const QJsonObject output{
            {"word_bits", format.wordBits},
            {"fractional_length", format.fractionalLength},
            {"rounding", QString::fromUtf8(toString(spec.rounding))},
            {"overflow", QString::fromUtf8(toString(spec.overflow))},
            {"step", format.step()},
            {"min", double(spec.lowestCode()) * format.step()},
            {"max", format.maxValue()},
            {"results", results},
            {"events", QJsonObject{{"count", qint64(events.elements)},
                                   {"saturated", qint64(events.saturated)},
                                   {"underflow", qint64(events.underflowed)},
                                   {"nan", qint64(events.notANumber)}}},
        };
        std::cout << QJsonDocument(output).toJson(QJsonDocument::Indented).toStdString();
    } else {
        std::printf("format: %d-bit, fractional length %d, step %.17g, range [%.17g, %.17g], %s, %s\n",
                    format.wordBits, format.fractionalLength, format.step(),
                    double(spec.lowestCode()) * format.step(), format.maxValue(),
                    std::string(toString(spec.rounding)).c_str(), std::string(toString(spec.overflow)).c_str());
        std::printf("events over %llu %s: %llu %s, %llu underflow, %llu nan\n", (unsigned long long)events.elements,
                    events.elements == 1 ? "value" : "values", (unsigned long long)events.saturated,
                    overflowName(spec.overflow), (unsigned long long)events.underflowed,
                    (unsigned long long)events.notANumber);
    }
    return 0;
}

int runPresets(const std::vector<std::string>& argumentList)
{
    const Arguments arguments("presets", argumentList, {}, {"verbose", "help"});
    if (arguments.has("help")) {
        std::cout << "usage: fxlab-cli presets [--verbose]\n\nLists the precision presets; --verbose adds "
                     "each one's explanation.\n";
        return 0;
    }
    for (const Preset& preset : presets()) {
        std::printf("%-18s %s%s\n", preset.name.c_str(), preset.summary.c_str(),
                    preset.name == kDefaultPreset ? "" : "");
        if (arguments.has("verbose"))
            std::printf("%-18s %s\n\n", "", preset.explanation.c_str());
    }
    return 0;
}

} // namespace fxlab::cli
