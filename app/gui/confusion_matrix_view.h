// The confusion matrix of a test evaluation: a row per true class and a column per predicted
// class. Each cell shows its count and is coloured by its share of the row, green on the diagonal,
// where the prediction is right, and red off it.
#pragma once

#include "train/snapshot.h"

#include <QWidget>

namespace fxlab::gui {

class ConfusionMatrixView : public QWidget {
    Q_OBJECT

public:
    explicit ConfusionMatrixView(QWidget* parent = nullptr);

    void setEvaluation(std::shared_ptr<const EvaluationDetails> evaluation);

    int classCount() const;
    uint32_t count(int trueClass, int predictedClass) const;
    uint64_t total() const;
    QString titleText() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    // Ten classes with cells about 24 pixels wide, and their names.
    QSize readableSize() const;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void paintEmpty(QPainter& painter);

    std::shared_ptr<const EvaluationDetails> evaluation_;
};

} // namespace fxlab::gui
