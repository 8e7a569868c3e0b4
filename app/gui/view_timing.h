// Time spent on the GUI thread by the views that draw every snapshot, to check that they keep up
// with the worker. With debug messages of fxlab.gui on (QT_LOGGING_RULES="fxlab.gui.debug=true"),
// each measured part prints its longest and mean time once, after kReportAfter measurements.
#pragma once

#include <QElapsedTimer>

class QCustomPlot;

namespace fxlab::gui {

class ViewTiming {
public:
    static constexpr int kReportAfter = 300;

    explicit ViewTiming(const char* name) : name_(name) {}

    void add(qint64 nanoseconds);
    double longestMilliseconds() const { return double(longest_) / 1e6; }
    int count() const { return count_; }

    // Measures every replot of `plot` under `name`; the timing lives as long as the plot.
    static void measureReplots(QCustomPlot* plot, const char* name);

private:
    const char* name_;
    int count_ = 0;
    qint64 total_ = 0;
    qint64 longest_ = 0;
};

// Adds the time from construction to destruction to `timing`.
class ScopedViewTimer {
public:
    explicit ScopedViewTimer(ViewTiming& timing) : timing_(timing) { timer_.start(); }
    ~ScopedViewTimer() { timing_.add(timer_.nsecsElapsed()); }
    ScopedViewTimer(const ScopedViewTimer&) = delete;
    ScopedViewTimer& operator=(const ScopedViewTimer&) = delete;

private:
    ViewTiming& timing_;
    QElapsedTimer timer_;
};

} // namespace fxlab::gui
