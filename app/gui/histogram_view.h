// The histograms of every tensor: small multiples of all layers and tensor kinds, and a large
// histogram of the selected one. Fixed-point tensors are binned by code, exactly as CodeHistogram
// counts them, with the representable range, the saturated and the underflowed values marked.
// Float tensors show their value histogram. The view shows the latest step, or the step that the
// timeline was scrubbed back to.
#pragma once

#include "train/snapshot.h"

#include <QWidget>

#include <vector>

class QCheckBox;
class QCPAbstractPlottable;
class QCPBars;
class QCPGraph;
class QCPItemStraightLine;
class QCPItemText;
class QCPTextElement;
class QCustomPlot;

namespace fxlab::gui {

struct CodeBars;
class HistogramGrid;
class ReplotThrottle;

class HistogramView : public QWidget {
    Q_OBJECT

public:
    explicit HistogramView(QWidget* parent = nullptr);

    void setLayer(int layer);
    void setKind(TensorKind kind);
    int layer() const { return layer_; }
    TensorKind kind() const { return kind_; }
    void showSnapshot(const SnapshotPointer& snapshot);
    // Shows the statistics of `point` instead of the latest step; null follows the latest again.
    void setShownPoint(TimelinePointer point);
    void setLogarithmic(bool logarithmic);
    bool isLogarithmic() const { return logarithmic_; }
    void replotNow();
    // Draws what came while the view was off screen; the window calls it when the dock comes to
    // the front of its tab group.
    void catchUp();

    // What is drawn, for tests: the number of bins, the whole count of each (its parts included),
    // the x-axis label, the legend's entries, the step shown and the value axis' scale.
    int barCount() const;
    std::vector<double> barTotals() const;
    // The counts drawn as saturated and as underflowed parts, summed over the bins.
    double drawnSaturated() const;
    double drawnUnderflowed() const;
    QString xAxisLabel() const;
    QStringList legendEntries() const;
    uint32_t shownStep() const { return shownStep_; }
    bool valueAxisIsLogarithmic() const;
    HistogramGrid* grid() const { return grid_; }

    static constexpr int kSnapshotReplotMilliseconds = 50;
    QCustomPlot* plot() const { return plot_; }

protected:
    void showEvent(QShowEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void createPlot();
    // Redraws now, or, for a new snapshot, at most every kSnapshotReplotMilliseconds.
    enum class Pace { Now, Throttled };
    void redraw(Pace pace = Pace::Now);
    void showMessage(const QString& title, const QString& message);
    void drawCodes(const TensorStatistics& statistics, OverflowMode overflow, const QString& heading,
                   const QString& rounding);
    void fillCodeBars(const CodeBars& bars, const CodeHistogram& histogram);
    void nameCodeParts(const CodeBars& bars, double minimum, double maximum);
    void drawValues(const TensorStatistics& statistics, const QString& heading);
    void fillLegend(std::initializer_list<QCPAbstractPlottable*> entries);
    void setRangeLines(double minimum, double maximum, bool visible);
    void setValueRange(double maxCount);
    const Statistics* shownStatistics() const;

    QCheckBox* logarithmicToggle_;
    HistogramGrid* grid_;
    QCustomPlot* plot_;
    ReplotThrottle* throttle_;
    QCPTextElement* title_;
    QCPBars* bars_;           // the counts in range, or a float tensor's value counts
    QCPBars* saturatedBars_;  // stacked on the end bins
    QCPBars* underflowBars_;  // stacked on the bin of code 0
    QCPBars* notANumberBars_; // stacked on the bin of code 0, above the underflowed part
    QCPGraph* rangeKey_;      // no data: the legend entry of the range lines
    QCPGraph* noteKey_;       // no data: a legend line of text, such as wrapped counts
    QCPItemStraightLine* minimumLine_;
    QCPItemStraightLine* maximumLine_;
    QCPItemText* message_;

    SnapshotPointer snapshot_;
    TimelinePointer point_;
    int layer_ = 0;
    TensorKind kind_ = TensorKind::Weights;
    bool logarithmic_ = false;
    bool stale_ = false;  // a snapshot came while hidden
    uint32_t shownStep_ = 0;
};

} // namespace fxlab::gui
