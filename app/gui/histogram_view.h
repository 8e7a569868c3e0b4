// The distribution of one tensor of the selected layer at the latest step: by code for fixed-point
// tensors, with the representable range and the saturated end codes marked, by value for float.
#pragma once

#include "train/snapshot.h"

#include <QWidget>

#include <initializer_list>

class QComboBox;
class QCPAbstractPlottable;
class QCPBars;
class QCPGraph;
class QCPItemStraightLine;
class QCPItemText;
class QCPTextElement;
class QCustomPlot;

namespace fxlab::gui {

class HistogramView : public QWidget {
    Q_OBJECT

public:
    explicit HistogramView(QWidget* parent = nullptr);

    void setLayer(int layer);
    void setKind(TensorKind kind);
    int layer() const { return layer_; }
    TensorKind kind() const { return kind_; }
    void showSnapshot(const SnapshotPointer& snapshot);
    void replotNow();

    // What is drawn, for tests: the bars' count and the x-axis label.
    int barCount() const;
    QString xAxisLabel() const;

private:
    void redraw();
    void showMessage(const QString& title, const QString& message);
    void drawCodes(const TensorStatistics& statistics, const TensorPrecision& precision, const QString& what);
    void drawValues(const TensorStatistics& statistics, const QString& what);
    void fillLegend(std::initializer_list<QCPAbstractPlottable*> entries);
    void setRangeLines(double minimum, double maximum, bool visible);

    QComboBox* kindChoice_;
    QCustomPlot* plot_;
    QCPTextElement* title_;
    QCPBars* bars_;
    QCPBars* endBars_;
    QCPGraph* rangeKey_;      // no data: the legend entry of the range lines
    QCPGraph* underflowKey_;  // no data: a legend line with the underflow count
    QCPItemStraightLine* minimumLine_;
    QCPItemStraightLine* maximumLine_;
    QCPItemText* message_;

    SnapshotPointer snapshot_;
    int layer_ = 0;
    TensorKind kind_ = TensorKind::Weights;
};

} // namespace fxlab::gui
