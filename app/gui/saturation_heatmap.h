// Saturation or underflow over time: a row per tensor (layer and kind), a column per metrics row,
// each cell coloured by the fraction of that tensor's elements that saturated or underflowed in
// the steps since the previous row.
#pragma once

#include "rows_signature.h"
#include "train/snapshot.h"

#include <QWidget>

#include <optional>
#include <vector>

class QCPAbstractItem;
class QCPColorMap;
class QCPColorScale;
class QCPGraph;
class QCPItemStraightLine;
class QCustomPlot;
class QMouseEvent;
class QRadioButton;

namespace fxlab::gui {

class SaturationHeatmap : public QWidget {
    Q_OBJECT

public:
    enum class Quantity { Saturated, Underflowed };

    explicit SaturationHeatmap(QWidget* parent = nullptr);

    void showSnapshot(const SnapshotPointer& snapshot);
    void setQuantity(Quantity quantity);
    Quantity quantity() const { return quantity_; }
    void setCursorStep(std::optional<uint32_t> step);
    void replotNow();
    // Draws what came while the view was off screen; the window calls it when the dock comes to
    // the front of its tab group.
    void catchUp();

    // What is drawn, for tests: one row per tensor, one column per metrics row. fraction() is
    // NaN for a float tensor, whose values are never quantized.
    int tensorCount() const { return int(tensors_.size()); }
    int columnCount() const { return int(steps_.size()); }
    double fraction(int tensor, int column) const;
    // The value drawn in the colour map at `step` for `tensor`, as a fraction, or NaN.
    double drawnFractionAt(int tensor, uint32_t step) const;
    QString tensorLabel(int tensor) const;
    std::vector<uint32_t> precisionMarkerSteps() const { return shownPrecisionChanges_; }
    std::optional<uint32_t> cursorStep() const { return cursorStep_; }
    QCustomPlot* plot() const { return plot_; }

protected:
    void showEvent(QShowEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Tensor {
        size_t layer;
        TensorKind kind;
    };

    void createPlot();
    void rebuildTensors(const NetworkSpec& network);
    void collectFractions(const std::vector<MetricsRow>& rows);
    void fillColourMap();
    // Returns whether the steps differ from those shown.
    bool showPrecisionChanges(const std::vector<uint32_t>& steps);
    void updateLegend();
    void updateMinimumHeight();
    void redraw();
    void showToolTip(QMouseEvent* event);

    QRadioButton* saturatedChoice_;
    QRadioButton* underflowedChoice_;
    QCustomPlot* plot_;
    QCPColorMap* map_;
    QCPColorScale* scale_;
    QCPGraph* floatKey_;            // no data: the legend entry of float rows
    QCPGraph* precisionChangeKey_;  // no data: the legend entry of the precision change lines
    QCPGraph* cursorKey_;
    QCPItemStraightLine* cursor_;
    std::vector<QCPAbstractItem*> precisionLines_;

    SnapshotPointer snapshot_;
    Quantity quantity_ = Quantity::Saturated;
    NetworkSpec network_;
    std::vector<Tensor> tensors_;
    std::vector<uint32_t> steps_;                // the step of each metrics row
    std::vector<std::vector<double>> fractions_; // [tensor][column]
    std::vector<uint32_t> shownPrecisionChanges_;
    std::optional<uint32_t> cursorStep_;
    RowsSignature shownRows_;
    bool stale_ = false;
};

} // namespace fxlab::gui
