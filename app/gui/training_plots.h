// Loss and accuracy against step, in two stacked panels that share the step axis and one legend.
// They show the train and test curves of the fixed-point run and of its float twin, the steps at
// which the precision changed, and a cursor at the step that the timeline shows.
#pragma once

#include "rows_signature.h"
#include "train/snapshot.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QCPAbstractItem;
class QCPAxisRect;
class QCPGraph;
class QCPItemStraightLine;
class QCPItemText;
class QCPLegend;
class QCustomPlot;

namespace fxlab::gui {

class TrainingPlots : public QWidget {
    Q_OBJECT

public:
    explicit TrainingPlots(QWidget* parent = nullptr);

    // Redraws when the metrics rows, the float twin's rows or the precision changes differ from
    // the last ones shown. The worker sends at most about 30 snapshots a second, so each redraw
    // takes a batch of points.
    void showSnapshot(const Snapshot& snapshot);
    // Draws a vertical cursor at `step` on both panels; no value removes it.
    void setCursorStep(std::optional<uint32_t> step);
    // Draws now instead of at the next event loop turn, for screenshots.
    void replotNow();

    int trainLossPointCount() const;
    int trainAccuracyPointCount() const;
    int testAccuracyPointCount() const;
    int testLossPointCount() const;
    int floatTrainLossPointCount() const;
    int floatTestAccuracyPointCount() const;
    // The steps at which precision-change lines are drawn, for tests.
    std::vector<uint32_t> precisionMarkerSteps() const { return shownPrecisionChanges_; }
    std::optional<uint32_t> cursorStep() const { return cursorStep_; }
    QCheckBox* floatTwinToggle() const { return floatTwinToggle_; }
    QCustomPlot* plot() const { return plot_; }

signals:
    // The user switched the float twin on or off.
    void floatTwinToggled(bool enabled);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Curves {
        QCPGraph* trainLoss;
        QCPGraph* testLoss;
        QCPGraph* trainAccuracy;
        QCPGraph* testAccuracy;
    };

    Curves addCurves(bool floatTwin);
    void createLegend();
    void createCursor();
    void fillCurves(const Curves& curves, const std::vector<MetricsRow>& rows);
    void fillWholeSetPoints(const std::vector<MetricsRow>& rows, const TrainingSettings& training);
    void nameTestCurves(const std::vector<MetricsRow>& rows, const TrainingSettings& training);
    void showPrecisionChanges(const std::vector<uint32_t>& steps);
    void updateLegend();
    void updateRanges();
    void fitAxisLabels();
    void followFloatTwin(const Snapshot& snapshot);

    QCheckBox* floatTwinToggle_;
    QCustomPlot* plot_;
    QCPAxisRect* lossRect_;
    QCPAxisRect* accuracyRect_;
    QCPLegend* legend_;
    Curves fixed_;
    Curves twin_;
    QCPGraph* wholeSetLoss_;      // rings on test points that used the whole test set
    QCPGraph* wholeSetAccuracy_;
    QCPGraph* precisionChangeKey_;  // no data: the legend entry of the precision change lines
    QCPGraph* cursorKey_;           // no data: the legend entry of the timeline cursor
    QCPItemText* emptyHint_;
    QCPItemStraightLine* lossCursor_;
    QCPItemStraightLine* accuracyCursor_;
    QCPItemText* cursorLabel_;
    std::vector<QCPAbstractItem*> precisionLines_;

    RowsSignature shownRows_;
    RowsSignature shownFloatRows_;
    std::vector<uint32_t> shownPrecisionChanges_;
    std::optional<uint32_t> cursorStep_;
    double lastStep_ = 0;
    double maxLoss_ = 0;
    // The state the user asked for and the worker has not yet confirmed in a snapshot, so that an
    // older snapshot in flight does not flip the toggle back.
    std::optional<bool> requestedFloatTwin_;
};

} // namespace fxlab::gui
