// Marks shared by every plot with a training-step axis: the lines at steps where the precision
// changed and the cursor at the step that the timeline shows.
#pragma once

#include "plot_style.h"

#include <qcustomplot.h>

#include <cstdint>

namespace fxlab::gui {

inline QPen precisionChangePen()
{
    return plot_style::pen(plot_style::kGrey, 1.5, Qt::DashLine);
}

inline QPen timelineCursorPen()
{
    return plot_style::pen(QColor(20, 20, 20), 1.5, Qt::SolidLine);
}

// A vertical line in `rect`, clipped to it, positioned with setVerticalLineStep().
inline QCPItemStraightLine* addVerticalLine(QCPAxisRect* rect, const QPen& pen)
{
    auto* line = new QCPItemStraightLine(rect->parentPlot());
    line->setPen(pen);
    line->setClipAxisRect(rect);
    line->setClipToAxisRect(true);
    for (QCPItemPosition* point : {line->point1, line->point2})
        point->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    return line;
}

inline void setVerticalLineStep(QCPItemStraightLine* line, uint32_t step)
{
    line->point1->setCoords(double(step), 0);
    line->point2->setCoords(double(step), 1);
}

} // namespace fxlab::gui
