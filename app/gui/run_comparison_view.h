// The curves of the runs checked in the run list, overlaid: train loss and test accuracy against
// step, one colour per run, with the run names in the legend.
#pragma once

#include "train/snapshot.h"

#include <QStringList>
#include <QTimer>
#include <QWidget>

#include <vector>

class QCPAxisRect;
class QCPGraph;
class QCPItemText;
class QCPLegend;
class QCustomPlot;

namespace fxlab::gui {

class RunController;
class RunListModel;

class RunComparisonView : public QWidget {
    Q_OBJECT

public:
    explicit RunComparisonView(RunListModel* runs, QWidget* parent = nullptr);

    // Redraws now, also while hidden, for screenshots and tests.
    void replotNow();

    // One per compared run, in the order of the run list.
    QStringList legendNames() const;
    int comparedRunCount() const { return int(lossGraphs_.size()); }
    // Points of the loss and test-accuracy curves of the compared run at `position`.
    int lossPointCount(int position) const;
    int testAccuracyPointCount(int position) const;
    QColor colourOf(int position) const;

protected:
    void showEvent(QShowEvent* event) override;

private:
    // Marks the curves as out of date. While the view is shown, they are redrawn at most every
    // kRedrawIntervalMilliseconds.
    void invalidate();
    void rebuild();

    RunListModel* runs_;
    QCustomPlot* plot_;
    QCPAxisRect* lossRect_;
    QCPAxisRect* accuracyRect_;
    QCPLegend* legend_;
    QCPItemText* emptyHint_;
    std::vector<QCPGraph*> lossGraphs_;
    std::vector<QCPGraph*> accuracyGraphs_;
    QTimer redrawTimer_;
    bool outOfDate_ = true;
};

} // namespace fxlab::gui
