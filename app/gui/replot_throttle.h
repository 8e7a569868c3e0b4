// Replots a plot at most every `interval` milliseconds, for views that take every snapshot but
// need not draw each one: the last request within an interval is drawn when it ends.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <qcustomplot.h>

#include <algorithm>

namespace fxlab::gui {

class ReplotThrottle : public QObject {
public:
    ReplotThrottle(QCustomPlot* plot, int interval) : QObject(plot), plot_(plot), interval_(interval)
    {
        timer_.setSingleShot(true);
        connect(&timer_, &QTimer::timeout, this, [this] {
            sinceReplot_.restart();
            plot_->replot();
        });
        sinceReplot_.start();
    }

    void request()
    {
        if (timer_.isActive())
            return;
        timer_.start(int(std::max<qint64>(interval_ - sinceReplot_.elapsed(), 0)));
    }

private:
    QCustomPlot* plot_;
    int interval_;
    QTimer timer_;
    QElapsedTimer sinceReplot_;
};

} // namespace fxlab::gui
