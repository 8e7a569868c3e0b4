// Small multiples of every tensor's histogram: one cell per layer and tensor kind that exists, so
// that a saturating or underflowing tensor stands out at a glance. Clicking a cell or moving with
// the arrow keys selects the tensor that the large histogram shows.
#pragma once

#include "train/snapshot.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <optional>
#include <vector>

namespace fxlab::gui {

class HistogramGrid : public QWidget {
    Q_OBJECT

public:
    explicit HistogramGrid(QWidget* parent = nullptr);

    // Draws `statistics` of the network and precision in `snapshot`; `point` keeps a timeline point
    // alive while its statistics are shown. Repaints at most every kRepaintMilliseconds.
    void setSource(SnapshotPointer snapshot, TimelinePointer point);
    void setLogarithmic(bool logarithmic);
    // Selects a cell without emitting cellSelected.
    void select(int layer, TensorKind kind);

    int cellCount() const { return int(cells_.size()); }
    // Whether the layers run across (columns) and the kinds down (rows); chosen from the size.
    bool layersAcross() const { return layersAcross_; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    static constexpr int kRepaintMilliseconds = 100;

signals:
    void cellSelected(int layer, fxlab::TensorKind kind);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Cell {
        int layer = 0;
        TensorKind kind = TensorKind::Weights;
        int row = 0;     // index into rowLayers_
        QRect rect;
    };
    struct Geometry {
        int labelWidth = 0;
        int headerHeight = 0;
        double cellWidth = 0;
        double cellHeight = 0;
    };

    void rebuildCells(const NetworkSpec& network);
    void layOut();
    Geometry geometryFor(bool layersAcross) const;
    void paintLabels(QPainter& painter, const Geometry& geometry);
    void paintCell(QPainter& painter, const Cell& cell);
    void paintCodes(QPainter& painter, const QRectF& area, const TensorStatistics& tensor, OverflowMode overflow);
    void paintValues(QPainter& painter, const QRectF& area, const ValueHistogram& histogram);
    double barHeight(double count, double maxCount, double height) const;
    const TensorStatistics* tensorAt(int layer, TensorKind kind) const;
    std::optional<size_t> cellAt(const QPoint& position) const;
    void moveSelection(int dRow, int dColumn);
    void scheduleRepaint();

    SnapshotPointer snapshot_;
    TimelinePointer point_;
    NetworkSpec network_;
    std::vector<int> rowLayers_;  // the layers that have at least one tensor
    std::vector<Cell> cells_;
    std::optional<size_t> selected_;
    std::pair<int, TensorKind> requested_{0, TensorKind::Weights};  // kept while the network has no such cell
    bool logarithmic_ = false;
    bool layersAcross_ = false;
    Geometry geometry_;

    QTimer repaintTimer_;
    QElapsedTimer sinceRepaint_;
};

} // namespace fxlab::gui
