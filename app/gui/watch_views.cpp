// The docks that watch a run train, beside the histograms: the saturation and underflow heatmap,
// the test samples with the confusion matrix, and the timeline along the bottom of the window.
#include "histogram_view.h"
#include "main_window.h"
#include "sample_view.h"
#include "saturation_heatmap.h"
#include "timeline_bar.h"
#include "training_plots.h"

#include <QDockWidget>
#include <QTimer>

namespace fxlab::gui {

void MainWindow::createWatchViews()
{
    // The views of tensors share the right side as tabs, so each gets its full height. The
    // histograms are in front.
    QDockWidget* histograms = findChild<QDockWidget*>("histogramDock");
    QDockWidget* heatmap = addDock("heatmapDock", "Heatmap", heatmap_, Qt::RightDockWidgetArea);
    QDockWidget* samples = addDock("samplesDock", "Samples", samples_, Qt::RightDockWidgetArea);
    tabifyDockWidget(histograms, heatmap);
    tabifyDockWidget(heatmap, samples);
    if (QDockWidget* counters = findChild<QDockWidget*>("countersDock"))
        tabifyDockWidget(samples, counters);
    histograms->raise();
    // A dock brought to the front of its tab group draws what it skipped while behind. The call is
    // queued, because the signal comes before the dock has moved into view.
    const auto catchUpWhenShown = [this](QDockWidget* dock, auto* view) {
        connect(dock, &QDockWidget::visibilityChanged, view, [view](bool visible) {
            if (visible)
                QTimer::singleShot(0, view, [view] { view->catchUp(); });
        });
    };
    catchUpWhenShown(histograms, histogram_);
    catchUpWhenShown(heatmap, heatmap_);
    catchUpWhenShown(samples, samples_);
    // The right column runs the full height of the window, beside the bottom docks. A grid of
    // every tensor above a large histogram, or a row per tensor in the heatmap, needs the height
    // more than the bottom docks need the width. About 600 pixels give each code of an 8-bit
    // tensor a bar of its own.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    resizeDocks({histograms}, {600}, Qt::Horizontal);

    // The timeline runs along the bottom of the window, under the other bottom docks, like the
    // transport bar of a player. Its title bar is vertical to keep it low.
    timeline_ = new TimelineBar;
    timeline_->setTransportActions({startAction_, pauseAction_, stepAction_});
    QDockWidget* timeline = addDock("timelineDock", "Timeline", timeline_, Qt::BottomDockWidgetArea);
    timeline->setFeatures(timeline->features() | QDockWidget::DockWidgetVerticalTitleBar);
    removeDockWidget(timeline);
    addDockWidget(Qt::BottomDockWidgetArea, timeline, Qt::Vertical);
    timeline->show();
    // The timeline took its height from the bottom docks above it, so the precision dock gets its own back.
    if (QDockWidget* precision = findChild<QDockWidget*>("precisionDock"))
        resizeDocks({precision, timeline}, {330, timeline_->sizeHint().height()}, Qt::Vertical);

    connect(timeline_, &TimelineBar::shownPointChanged, this, [this](const TimelinePointer& point) {
        histogram_->setShownPoint(point);
        const std::optional<uint32_t> step = point ? std::optional<uint32_t>(point->step) : std::nullopt;
        plots_->setCursorStep(step);
        heatmap_->setCursorStep(step);
    });
    connect(plots_, &TrainingPlots::floatTwinToggled, this, [this](bool enabled) {
        if (RunController* run = runs_->currentRun())
            run->setFloatTwin(enabled);
    });
}

} // namespace fxlab::gui
