// Fits a QCustomPlot legend to the width it has: as many entries a row as fit, so that no entry is
// cut when a dock is narrow and the legend takes few rows when it is wide.
#pragma once

#include <qcustomplot.h>

#include <algorithm>
#include <vector>

namespace fxlab::gui {

// Sets the number of columns of `legend`, filled row by row, to the most whose widest entries
// fit in `width` pixels, at least one.
inline void fitLegendColumns(QCPLegend* legend, int width)
{
    std::vector<int> widths;
    for (int i = 0; i < legend->itemCount(); ++i)
        if (QCPAbstractLegendItem* item = legend->item(i))
            widths.push_back(item->minimumOuterSizeHint().width());
    const int count = int(widths.size());
    const int margins = legend->margins().left() + legend->margins().right();

    int columns = std::max(count, 1);
    for (; columns > 1; --columns) {
        int total = margins + (columns - 1) * legend->columnSpacing();
        for (int column = 0; column < columns; ++column) {
            int widest = 0;
            for (int i = column; i < count; i += columns)
                widest = std::max(widest, widths[size_t(i)]);
            total += widest;
        }
        if (total <= width)
            break;
    }
    if (columns == legend->wrap() && legend->fillOrder() == QCPLayoutGrid::foColumnsFirst)
        return;
    legend->setWrap(columns);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
}

} // namespace fxlab::gui
