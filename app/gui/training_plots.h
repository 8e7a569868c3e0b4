// Loss and accuracy against step, in two stacked panels that share the step axis.
#pragma once

#include "train/snapshot.h"

#include <QWidget>

class QCPAbstractItem;
class QCPAxisRect;
class QCPGraph;
class QCPItemText;
class QCPLegend;
class QCustomPlot;

namespace fxlab::gui {

class TrainingPlots : public QWidget {
    Q_OBJECT

public:
    explicit TrainingPlots(QWidget* parent = nullptr);

    // Redraws when the metrics rows or precision changes differ from the last ones shown. The
    // worker sends at most about 30 snapshots a second, so each redraw takes a batch of points.
    void showSnapshot(const Snapshot& snapshot);
    // Draws now instead of at the next event loop turn, for screenshots.
    void replotNow();

    int trainLossPointCount() const;
    int trainAccuracyPointCount() const;
    int testAccuracyPointCount() const;

private:
    void showPrecisionChanges(const std::vector<uint32_t>& steps);
    void updateRanges(double lastStep, double maxLoss);
    // Returns whether the name changed.
    bool setTestAccuracyName(const TrainingSettings& training);

    QCustomPlot* plot_;
    QCPAxisRect* lossRect_;
    QCPAxisRect* accuracyRect_;
    QCPLegend* lossLegend_;
    QCPLegend* accuracyLegend_;
    QCPGraph* trainLoss_;
    QCPGraph* trainAccuracy_;
    QCPGraph* testAccuracy_;
    QCPGraph* precisionChangeKey_;  // no data: the legend entry of the precision change lines
    QCPItemText* emptyHint_;
    std::vector<QCPAbstractItem*> precisionLines_;

    size_t shownRows_ = 0;
    uint32_t shownLastStep_ = 0;
    std::vector<uint32_t> shownPrecisionChanges_;
};

} // namespace fxlab::gui
