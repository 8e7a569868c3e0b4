#include "precision_text.h"

#include <cmath>
#include <cstdlib>

namespace fxlab::gui {

namespace {

// Integers print exactly up to this magnitude; a 32-bit format with fractional length 0 reaches
// 2^31.
constexpr double kExactIntegerLimit = 1e12;

QString overflowLabel(OverflowMode mode)
{
    switch (mode) {
    case OverflowMode::Saturate:
        return "saturate";
    case OverflowMode::SymmetricSaturate:
        return "symmetric saturate";
    case OverflowMode::Wrap:
        return "wrap";
    }
    return {};
}

} // namespace

bool isDataDriven(const TensorPrecision& precision)
{
    return !precision.isFloat && precision.policy != FractionalLengthPolicy::Manual;
}

QString policyLabel(FractionalLengthPolicy policy)
{
    switch (policy) {
    case FractionalLengthPolicy::Manual:
        return "manual";
    case FractionalLengthPolicy::MaxAbs:
        return "max-abs";
    case FractionalLengthPolicy::GaussianSqnr:
        return "Gaussian SQNR";
    case FractionalLengthPolicy::LaplacianSqnr:
        return "Laplacian SQNR";
    }
    return {};
}

QString formatValue(const FixedFormat& format, double value)
{
    if (value == std::floor(value) && std::abs(value) < kExactIntegerLimit)
        return QString::number(qint64(value));

    // Enough significant digits for the integer part and two more, then more until the text no
    // longer reads as the bound just above the top code.
    const double bound = -format.minValue();
    const int integerDigits = std::abs(value) >= 1 ? int(std::floor(std::log10(std::abs(value)))) + 1 : 1;
    for (int digits = std::max(4, integerDigits + 2); digits <= 17; ++digits) {
        const QString text = QString::number(value, 'g', digits);
        if (text.toDouble() != bound)
            return text;
    }
    return QString::number(value, 'g', 17);
}

QString rangeText(const FixedFormat& format)
{
    return "[" + formatValue(format, format.minValue()) + ", " + formatValue(format, format.maxValue()) + "]";
}

QString stepText(const FixedFormat& format)
{
    return QString("step 2^%1 = %2").arg(-format.fractionalLength).arg(format.step(), 0, 'g', 10);
}

QString formatSummary(const FixedFormat& format, const QString& marker)
{
    const int integerBits = format.integerBits();
    const QString bits = std::abs(integerBits) == 1 ? "integer bit" : "integer bits";
    return QString("%1-bit fl %2%3 (%4 %5)")
        .arg(format.wordBits)
        .arg(format.fractionalLength)
        .arg(marker)
        .arg(integerBits)
        .arg(bits);
}

QString formatLine(const FixedFormat& format)
{
    return formatSummary(format) + " " + rangeText(format);
}

std::vector<QStringList> cellLineVariants(const TensorPrecision& precision,
                                          std::optional<int> currentFractionalLength)
{
    if (precision.isFloat)
        return {{"float"}};

    QString modes = QString::fromLatin1(toString(precision.spec.rounding));
    if (precision.spec.overflow != OverflowMode::Saturate)
        modes += ", " + overflowLabel(precision.spec.overflow);
    const bool defaultModes = precision.spec.rounding == RoundingMode::NearestEven
        && precision.spec.overflow == OverflowMode::Saturate;

    FixedFormat format = precision.spec.format;
    if (isDataDriven(precision) && !currentFractionalLength) {
        const QString start = "set at step 1";
        return {{QString("%1-bit, fl by %2").arg(format.wordBits).arg(policyLabel(precision.policy)),
                 QString("%1-bit, fl by policy").arg(format.wordBits)},
                {start + ", " + modes, defaultModes ? start : start + ", " + modes, start}};
    }

    const QString marker = isDataDriven(precision) ? "*" : "";
    if (!marker.isEmpty())
        format.fractionalLength = *currentFractionalLength;
    const QString shortFormat = QString("%1-bit fl %2%3").arg(format.wordBits).arg(format.fractionalLength).arg(marker);
    const QString range = rangeText(format);
    return {{formatSummary(format, marker), shortFormat + QString(" (%1 int. bits)").arg(format.integerBits()),
             shortFormat},
            {range + " " + modes, defaultModes ? range : range + " " + modes, range}};
}

QString cellText(const TensorPrecision& precision, std::optional<int> currentFractionalLength)
{
    QStringList lines;
    for (const QStringList& variants : cellLineVariants(precision, currentFractionalLength))
        lines << variants.first();
    return lines.join("\n");
}

QString precisionDescription(const TensorPrecision& precision, std::optional<int> currentFractionalLength)
{
    if (precision.isFloat)
        return "Float (32-bit IEEE 754): nothing is quantized.";

    FixedFormat format = precision.spec.format;
    const bool dataDriven = isDataDriven(precision);
    if (dataDriven && currentFractionalLength)
        format.fractionalLength = *currentFractionalLength;

    QString text = QString("%1-bit fixed point, sign included: %2 codes.\n").arg(format.wordBits).arg(format.codeCount());
    if (!dataDriven || currentFractionalLength)
        text += QString("Fractional length %1 (%2), %3 integer bits, range %4.\n")
                    .arg(format.fractionalLength)
                    .arg(stepText(format))
                    .arg(format.integerBits())
                    .arg(rangeText(format));
    if (dataDriven) {
        text += "The " + policyLabel(precision.policy) + " policy chooses the fractional length from the data ";
        text += precision.policyInterval > 0 ? QString("every %1 steps").arg(precision.policyInterval)
                                             : QString("once, at the first step");
        text += currentFractionalLength ? QString("; it is %1 now.\n").arg(*currentFractionalLength)
                                        : QString("; training has not started.\n");
    }
    text += "Rounding: " + QString::fromLatin1(toString(precision.spec.rounding)) + ". Overflow: "
        + overflowLabel(precision.spec.overflow) + ".";
    return text;
}

} // namespace fxlab::gui
