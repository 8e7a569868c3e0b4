// Colours, pens and fonts shared by the plots. The colours are the Okabe-Ito palette, which stays
// distinguishable with the common forms of colour blindness and on a classroom projector.
//
// Presentation mode multiplies every plot font size and line width by presentationScale(). Make
// each plot pen and font with the helpers below, so that a plot built or restyled while the mode is
// on gets the larger sizes too. Plots that exist when the mode is toggled are rescaled in place.
#pragma once

#include <QColor>
#include <QFont>
#include <QPen>

namespace fxlab::gui::plot_style {

inline const QColor kBlue{0, 114, 178};
inline const QColor kOrange{230, 159, 0};
inline const QColor kGreen{0, 158, 115};
inline const QColor kVermillion{213, 94, 0};
inline const QColor kSkyBlue{86, 180, 233};
inline const QColor kGrey{110, 110, 110};

namespace detail {
inline double presentationScale = 1.0;
} // namespace detail

// 1 normally; above 1 while presentation mode is on. Only the GUI thread reads or changes it.
inline double presentationScale()
{
    return detail::presentationScale;
}

inline void setPresentationScale(double scale)
{
    detail::presentationScale = scale;
}

// Multiplies `size` (a line width, marker size or font size meant for scale 1) by the current scale.
inline double scaled(double size)
{
    return size * presentationScale();
}

inline QPen pen(const QColor& colour, double width = 2, Qt::PenStyle style = Qt::SolidLine)
{
    return QPen(colour, scaled(width), style);
}

inline QFont labelFont()
{
    QFont font;
    font.setPointSizeF(scaled(10));
    return font;
}

inline QFont tickFont()
{
    QFont font;
    font.setPointSizeF(scaled(9));
    return font;
}

} // namespace fxlab::gui::plot_style
