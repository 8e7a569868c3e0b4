#include "view_timing.h"

#include "gui_logging.h"

#include <qcustomplot.h>

#include <algorithm>
#include <memory>

namespace fxlab::gui {

void ViewTiming::add(qint64 nanoseconds)
{
    ++count_;
    total_ += nanoseconds;
    longest_ = std::max(longest_, nanoseconds);
    if (count_ == kReportAfter)
        qCDebug(logGui, "%s: longest %.2f ms, mean %.2f ms over %d updates", name_, double(longest_) / 1e6,
                double(total_) / 1e6 / count_, count_);
}

void ViewTiming::measureReplots(QCustomPlot* plot, const char* name)
{
    auto timing = std::make_shared<ViewTiming>(name);
    auto timer = std::make_shared<QElapsedTimer>();
    QObject::connect(plot, &QCustomPlot::beforeReplot, plot, [timer] { timer->start(); });
    QObject::connect(plot, &QCustomPlot::afterReplot, plot, [timing, timer] {
        if (timer->isValid())
            timing->add(timer->nsecsElapsed());
    });
}

} // namespace fxlab::gui
