// Words for fixed-point formats, shared by the precision matrix and its editor: integer bits,
// range and step, printed so that a rounded bound never reads as a value outside the format.
#pragma once

#include "model/precision.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace fxlab::gui {

// A value of `format` with as few digits as stay distinct from the format's exclusive upper
// bound: 7.99976 rather than 8 for 16 bits with fractional length 12.
QString formatValue(const FixedFormat& format, double value);
// "[-4, 3.969]".
QString rangeText(const FixedFormat& format);
// "step 2^-5 = 0.03125".
QString stepText(const FixedFormat& format);
// "8-bit fl 5 (2 integer bits)"; `marker` follows the fractional length, e.g. "*" when a policy
// chose it.
QString formatSummary(const FixedFormat& format, const QString& marker = {});
// One line for menus and messages: "8-bit fl 5 (2 integer bits) [-4, 3.969]".
QString formatLine(const FixedFormat& format);

// The text of a precision matrix cell, two lines for fixed point: the format with its integer bits,
// then the range, rounding and any overflow mode other than saturation. `currentFractionalLength`
// is the value a data-driven policy chose at the latest step, empty before the first step.
QString cellText(const TensorPrecision& precision, std::optional<int> currentFractionalLength);
// The lines of cellText, each with shorter versions for narrow columns, longest first. The format
// line first shortens "integer bits" and then leaves them out. The range line first leaves out a
// nearest-even rounding, the default, and then any rounding and overflow.
std::vector<QStringList> cellLineVariants(const TensorPrecision& precision,
                                          std::optional<int> currentFractionalLength);
// A few sentences describing every field of `precision`, for tooltips.
QString precisionDescription(const TensorPrecision& precision, std::optional<int> currentFractionalLength);

// Names for the window: "max-abs", "Gaussian SQNR", ...
QString policyLabel(FractionalLengthPolicy policy);

bool isDataDriven(const TensorPrecision& precision);

} // namespace fxlab::gui
