// Colours and fonts shared by the plots. The colours are the Okabe-Ito palette, which stays
// distinguishable with the common forms of colour blindness and on a classroom projector.
#pragma once

#include <QColor>
#include <QFont>

namespace fxlab::gui::plot_style {

inline const QColor kBlue{0, 114, 178};
inline const QColor kOrange{230, 159, 0};
inline const QColor kGreen{0, 158, 115};
inline const QColor kVermillion{213, 94, 0};
inline const QColor kSkyBlue{86, 180, 233};
inline const QColor kGrey{110, 110, 110};

inline QFont labelFont()
{
    QFont font;
    font.setPointSizeF(10);
    return font;
}

inline QFont tickFont()
{
    QFont font;
    font.setPointSizeF(9);
    return font;
}

} // namespace fxlab::gui::plot_style
