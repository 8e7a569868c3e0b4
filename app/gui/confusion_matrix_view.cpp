#include "confusion_matrix_view.h"

#include "plot_style.h"
#include "view_timing.h"

#include <QLocale>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace fxlab::gui {

namespace {

constexpr int kMargin = 6;
constexpr int kGap = 4;

QFont titleFont()
{
    QFont font = plot_style::labelFont();
    font.setBold(true);
    return font;
}

// White mixed with `colour` by `amount` (0 to 1).
QColor mixed(const QColor& colour, double amount)
{
    const auto channel = [amount](int value) { return int(std::lround(255 + (value - 255) * amount)); };
    return QColor(channel(colour.red()), channel(colour.green()), channel(colour.blue()));
}

QString percent(double fraction)
{
    return QLocale().toString(100 * fraction, 'f', 0) + " %";
}

} // namespace

ConfusionMatrixView::ConfusionMatrixView(QWidget* parent) : QWidget(parent)
{
    setObjectName("confusionMatrix");
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

QSize ConfusionMatrixView::sizeHint() const
{
    return {420, 420};
}

QSize ConfusionMatrixView::readableSize() const
{
    const int side = int(plot_style::scaled(24)) * 10;
    const int names = QFontMetrics(plot_style::tickFont()).horizontalAdvance("T-shirt/top");
    const int labels = QFontMetrics(plot_style::labelFont()).height();
    return {side + names + 4 * labels + 40, side + names + 6 * labels + 20};
}

QSize ConfusionMatrixView::minimumSizeHint() const
{
    return {240, 240};
}

void ConfusionMatrixView::setEvaluation(std::shared_ptr<const EvaluationDetails> evaluation)
{
    evaluation_ = std::move(evaluation);
    update();
}

int ConfusionMatrixView::classCount() const
{
    return evaluation_ ? int(evaluation_->classNames.size()) : 0;
}

uint32_t ConfusionMatrixView::count(int trueClass, int predictedClass) const
{
    return evaluation_->confusion.at(size_t(trueClass) * size_t(classCount()) + size_t(predictedClass));
}

uint64_t ConfusionMatrixView::total() const
{
    if (!evaluation_)
        return 0;
    return std::accumulate(evaluation_->confusion.begin(), evaluation_->confusion.end(), uint64_t{0});
}

QString ConfusionMatrixView::titleText() const
{
    if (!evaluation_)
        return "Confusion matrix";
    return QString("Confusion matrix after step %1: %2 test samples")
        .arg(QLocale().toString(evaluation_->step), QLocale().toString(evaluation_->samples));
}

void ConfusionMatrixView::paintEmpty(QPainter& painter)
{
    painter.setFont(titleFont());
    painter.drawText(rect().adjusted(kMargin, kMargin, -kMargin, -kMargin), Qt::AlignHCenter | Qt::AlignTop,
                     titleText());
    painter.setFont(plot_style::labelFont());
    painter.setPen(plot_style::kGrey);
    painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, "The matrix appears after the first test evaluation.");
}

// From the top: title, colour key, matrix with the true classes on the left and the share of each
// row that is right on the right, then the predicted classes and the axis title below.
void ConfusionMatrixView::paintEvent(QPaintEvent*)
{
    static ViewTiming timing("confusion matrix: paint");
    const ScopedViewTimer timer(timing);
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    painter.setPen(palette().text().color());
    const int classes = classCount();
    if (classes == 0 || evaluation_->confusion.size() != size_t(classes) * size_t(classes)) {
        paintEmpty(painter);
        return;
    }

    const QFontMetrics titleMetrics(titleFont());
    const QFontMetrics labelMetrics(plot_style::labelFont());
    const QFontMetrics tickMetrics(plot_style::tickFont());
    int nameWidth = 0;
    for (const std::string& name : evaluation_->classNames)
        nameWidth = std::max(nameWidth, tickMetrics.horizontalAdvance(QString::fromStdString(name)));
    const int rightWidth = tickMetrics.horizontalAdvance("100 %") + 2 * kGap;

    const int top = kMargin + titleMetrics.height() + tickMetrics.height() + 2 * kGap;
    const int left = kMargin + labelMetrics.height() + kGap + nameWidth + kGap;
    const int availableWidth = width() - left - rightWidth - kMargin;
    // The cells are square, so the height may limit them. The names under the columns stand
    // upright when they are wider than a cell, which takes height in turn.
    const auto cellFor = [&](int bottomNames) {
        const int availableHeight = height() - top - bottomNames - labelMetrics.height() - 2 * kGap - kMargin;
        return std::max(8, std::min(availableWidth, availableHeight) / classes);
    };
    int cell = cellFor(tickMetrics.height());
    const bool upright = nameWidth > cell - 4;
    if (upright)
        cell = cellFor(nameWidth);
    const int bottomNames = upright ? nameWidth : tickMetrics.height();
    const int side = cell * classes;

    painter.setFont(titleFont());
    painter.drawText(QRect(kMargin, kMargin, width() - 2 * kMargin, titleMetrics.height()), Qt::AlignHCenter,
                     titleText());
    painter.setFont(plot_style::tickFont());
    painter.setPen(plot_style::kGrey);
    painter.drawText(QRect(kMargin, kMargin + titleMetrics.height() + kGap, width() - 2 * kMargin, tickMetrics.height()),
                     Qt::AlignHCenter, "Colour: share of the true class. Green: right, red: wrong.");

    painter.setPen(palette().text().color());
    for (int row = 0; row < classes; ++row) {
        uint64_t rowTotal = 0;
        for (int column = 0; column < classes; ++column)
            rowTotal += count(row, column);
        for (int column = 0; column < classes; ++column) {
            const uint32_t value = count(row, column);
            const double share = rowTotal > 0 ? double(value) / double(rowTotal) : 0;
            // The square root lifts the small shares of the off-diagonal cells into sight.
            const double intensity = std::sqrt(share);
            const QRect box(left + column * cell, top + row * cell, cell, cell);
            painter.fillRect(box, mixed(row == column ? plot_style::kGreen : plot_style::kVermillion, intensity));
            painter.setPen(QPen(palette().mid().color(), 1));
            painter.drawRect(box);
            painter.setPen(intensity > 0.6 ? Qt::white : palette().text().color());
            const QString text = QLocale().toString(value);
            if (tickMetrics.horizontalAdvance(text) < cell - 2)
                painter.drawText(box, Qt::AlignCenter, text);
        }
        painter.setPen(palette().text().color());
        const QRect name(left - kGap - nameWidth, top + row * cell, nameWidth, cell);
        painter.drawText(name, Qt::AlignRight | Qt::AlignVCenter,
                         QString::fromStdString(evaluation_->classNames[size_t(row)]));
        const QRect right(left + side + kGap, top + row * cell, rightWidth - kGap, cell);
        const double correct = rowTotal > 0 ? double(count(row, row)) / double(rowTotal) : 0;
        painter.drawText(right, Qt::AlignLeft | Qt::AlignVCenter, rowTotal > 0 ? percent(correct) : QString("\u2013"));
    }

    // Predicted class names under the columns, upright when they are wider than a cell.
    for (int column = 0; column < classes; ++column) {
        const QString name = QString::fromStdString(evaluation_->classNames[size_t(column)]);
        if (upright) {
            painter.save();
            painter.translate(left + column * cell + cell / 2 + tickMetrics.ascent() / 2, top + side + kGap);
            painter.rotate(90);
            painter.drawText(QRect(0, 0, nameWidth, tickMetrics.height()), Qt::AlignLeft | Qt::AlignVCenter, name);
            painter.restore();
        } else {
            painter.drawText(QRect(left + column * cell, top + side + kGap, cell, tickMetrics.height()), Qt::AlignCenter,
                             name);
        }
    }
    painter.drawText(QRect(left + side + kGap, top + side + kGap, rightWidth, tickMetrics.height()), Qt::AlignLeft,
                     "right");

    painter.setFont(plot_style::labelFont());
    painter.drawText(QRect(left, top + side + kGap + bottomNames + kGap, side, labelMetrics.height()), Qt::AlignCenter,
                     "predicted class");
    painter.save();
    painter.translate(kMargin, top + side);
    painter.rotate(-90);
    painter.drawText(QRect(0, 0, side, labelMetrics.height()), Qt::AlignCenter, "true class");
    painter.restore();
}

} // namespace fxlab::gui
