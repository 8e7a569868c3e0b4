// Test images beside their predictions, and the confusion matrix of the latest test evaluation.
#pragma once

#include "train/snapshot.h"

#include <QImage>
#include <QWidget>

#include <vector>

class QLabel;

namespace fxlab::gui {

class AdaptivePanes;
class ConfusionMatrixView;

// A grid of the snapshot's sample images, each labelled with its true class, the fixed-point
// prediction and, when the float twin was evaluated at the same step, the float prediction.
// Wrong predictions are red and marked with a cross; a red frame marks a wrong fixed-point one.
class SampleGrid : public QWidget {
    Q_OBJECT

public:
    explicit SampleGrid(QWidget* parent = nullptr);

    void setSamples(std::shared_ptr<const std::vector<SampleImage>> images,
                    std::shared_ptr<const EvaluationDetails> evaluation);

    int imageCount() const { return int(images_.size()); }
    // The text under image `index`, lines joined by '\n', for tests.
    QString labelText(int index) const;
    bool fixedPredictionWrong(int index) const;

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize readableSize() const;
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QSize tileSize() const;
    int imageSide() const;
    QString className(int label) const;

    std::shared_ptr<const std::vector<SampleImage>> samples_;
    std::shared_ptr<const EvaluationDetails> evaluation_;
    std::vector<QImage> images_;
};

class SampleView : public QWidget {
    Q_OBJECT

public:
    explicit SampleView(QWidget* parent = nullptr);

    void showSnapshot(const SnapshotPointer& snapshot);
    // Draws what came while the view was off screen; the window calls it when the dock comes to
    // the front of its tab group.
    void catchUp();
    SampleGrid* sampleGrid() const { return grid_; }
    ConfusionMatrixView* confusionMatrix() const { return confusion_; }
    AdaptivePanes* panes() const { return panes_; }
    QString captionText() const;

protected:
    void showEvent(QShowEvent* event) override;

private:
    void redraw();

    QLabel* caption_;
    AdaptivePanes* panes_;
    SampleGrid* grid_;
    ConfusionMatrixView* confusion_;
    SnapshotPointer snapshot_;
    std::shared_ptr<const std::vector<SampleImage>> shownSamples_;
    std::shared_ptr<const EvaluationDetails> shownEvaluation_;
    bool stale_ = false;
};

} // namespace fxlab::gui
