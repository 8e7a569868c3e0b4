#include "sample_view.h"

#include "adaptive_panes.h"
#include "confusion_matrix_view.h"
#include "plot_style.h"
#include "view_exposure.h"
#include "view_timing.h"

#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>

namespace fxlab::gui {

namespace {

constexpr int kPadding = 4;
const QString kRight = QString::fromUtf8("\u2713");
const QString kWrong = QString::fromUtf8("\u2717");

// An 8-bit grey image, or a colour one from the planes of a 3-channel sample.
QImage imageOf(const SampleImage& sample)
{
    const int channels = sample.shape.channels;
    const int height = sample.shape.height;
    const int width = sample.shape.width;
    const size_t plane = size_t(height) * size_t(width);
    if (channels == 3) {
        QImage image(width, height, QImage::Format_RGB32);
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x) {
                const size_t i = size_t(y) * size_t(width) + size_t(x);
                image.setPixel(x, y, qRgb(sample.pixels[i], sample.pixels[plane + i], sample.pixels[2 * plane + i]));
            }
        return image;
    }
    // Other channel counts show their first channel in grey.
    QImage image(width, height, QImage::Format_Grayscale8);
    for (int y = 0; y < height; ++y)
        std::copy_n(sample.pixels.begin() + std::ptrdiff_t(size_t(y) * size_t(width)), width, image.scanLine(y));
    return image;
}

QFont boldFont()
{
    QFont font = plot_style::tickFont();
    font.setBold(true);
    return font;
}

} // namespace

SampleGrid::SampleGrid(QWidget* parent) : QWidget(parent)
{
    setObjectName("sampleGrid");
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void SampleGrid::setSamples(std::shared_ptr<const std::vector<SampleImage>> images,
                            std::shared_ptr<const EvaluationDetails> evaluation)
{
    if (images != samples_) {
        samples_ = std::move(images);
        images_.clear();
        if (samples_)
            for (const SampleImage& sample : *samples_)
                images_.push_back(imageOf(sample));
        updateGeometry();
    }
    evaluation_ = std::move(evaluation);
    update();
}

QString SampleGrid::className(int label) const
{
    if (evaluation_ && size_t(label) < evaluation_->classNames.size())
        return QString::fromStdString(evaluation_->classNames[size_t(label)]);
    return QString("class %1").arg(label);
}

// Images are scaled by a whole factor to about 60 pixels, so no pixel is blurred or dropped.
int SampleGrid::imageSide() const
{
    const int side = images_.empty() ? 28 : std::max(images_.front().width(), images_.front().height());
    const int factor = std::max(1, int(plot_style::scaled(60)) / std::max(side, 1));
    return side * factor;
}

QSize SampleGrid::tileSize() const
{
    const QFontMetrics metrics(plot_style::tickFont());
    // Until the class names are known, a typical label sets the width.
    int textWidth = metrics.horizontalAdvance("float: Ankle boot " + kWrong);
    if (evaluation_)
        for (const std::string& name : evaluation_->classNames)
            textWidth = std::max(textWidth, metrics.horizontalAdvance("float: " + QString::fromStdString(name) + " " + kWrong));
    const int width = std::max(imageSide(), textWidth) + 2 * kPadding;
    const int height = imageSide() + 3 * metrics.height() + 3 * kPadding;
    return {width, height};
}

int SampleGrid::heightForWidth(int width) const
{
    const QSize tile = tileSize();
    const int columns = std::max(1, width / tile.width());
    const int rows = (imageCount() + columns - 1) / columns;
    return rows * tile.height();
}

// Two rows of four images, with room for a caption and a scroll bar.
QSize SampleGrid::readableSize() const
{
    const QSize tile = tileSize();
    return {4 * tile.width() + 20, 2 * tile.height() + 3 * QFontMetrics(font()).height()};
}

QSize SampleGrid::sizeHint() const
{
    const QSize tile = tileSize();
    return {4 * tile.width(), heightForWidth(4 * tile.width())};
}

QString SampleGrid::labelText(int index) const
{
    const int label = (*samples_)[size_t(index)].label;
    QStringList lines{"true: " + className(label)};
    const auto prediction = [&](const QString& name, const std::vector<uint8_t>& predictions) {
        if (size_t(index) >= predictions.size())
            return;
        const int predicted = predictions[size_t(index)];
        lines << name + ": " + className(predicted) + " " + (predicted == label ? kRight : kWrong);
    };
    if (evaluation_) {
        prediction("fixed", evaluation_->predictions);
        prediction("float", evaluation_->floatPredictions);
    }
    return lines.join('\n');
}

bool SampleGrid::fixedPredictionWrong(int index) const
{
    return evaluation_ && size_t(index) < evaluation_->predictions.size()
           && evaluation_->predictions[size_t(index)] != (*samples_)[size_t(index)].label;
}

void SampleGrid::paintEvent(QPaintEvent*)
{
    static ViewTiming timing("sample grid: paint");
    const ScopedViewTimer timer(timing);
    QPainter painter(this);
    const QSize tile = tileSize();
    const int columns = std::max(1, width() / tile.width());
    const int side = imageSide();
    const QFontMetrics metrics(plot_style::tickFont());

    for (int index = 0; index < imageCount(); ++index) {
        const QPoint origin((index % columns) * tile.width(), (index / columns) * tile.height());
        const QRect imageBox(origin.x() + (tile.width() - side) / 2, origin.y() + kPadding, side, side);
        painter.drawImage(imageBox, images_[size_t(index)]);
        if (fixedPredictionWrong(index)) {
            painter.setPen(plot_style::pen(plot_style::kVermillion, 3));
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(imageBox.adjusted(-1, -1, 1, 1));
        }

        const QStringList lines = labelText(index).split('\n');
        int y = imageBox.bottom() + kPadding;
        for (int line = 0; line < lines.size(); ++line) {
            const bool wrong = lines[line].endsWith(kWrong);
            painter.setFont(line == 0 ? boldFont() : plot_style::tickFont());
            painter.setPen(wrong ? plot_style::kVermillion : palette().text().color());
            const QRect box(origin.x(), y, tile.width(), metrics.height());
            painter.drawText(box, Qt::AlignHCenter | Qt::AlignVCenter,
                             metrics.elidedText(lines[line], Qt::ElideRight, tile.width() - 2));
            y += metrics.height();
        }
    }
}

SampleView::SampleView(QWidget* parent)
    : QWidget(parent), caption_(new QLabel(this)), grid_(new SampleGrid), confusion_(new ConfusionMatrixView)
{
    caption_->setObjectName("sampleCaption");
    caption_->setWordWrap(true);

    auto* scroll = new QScrollArea;
    scroll->setWidget(grid_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* samples = new QWidget;
    auto* samplesLayout = new QVBoxLayout(samples);
    samplesLayout->setContentsMargins(4, 2, 4, 0);
    samplesLayout->addWidget(caption_);
    samplesLayout->addWidget(scroll, 1);

    panes_ = new AdaptivePanes(samples, "Samples", grid_->readableSize(), confusion_, "Confusion matrix",
                               confusion_->readableSize(), this);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(panes_);
    redraw();
}

QString SampleView::captionText() const
{
    return caption_->text();
}

void SampleView::showSnapshot(const SnapshotPointer& snapshot)
{
    snapshot_ = snapshot;
    redraw();
}

void SampleView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    catchUp();
}

void SampleView::catchUp()
{
    if (stale_)
        redraw();
}

void SampleView::redraw()
{
    if (!isOnScreen(this)) {
        stale_ = true;
        return;
    }
    stale_ = false;
    const auto samples = snapshot_ ? snapshot_->sampleImages : nullptr;
    const auto evaluation = snapshot_ ? snapshot_->evaluation : nullptr;
    if (samples == shownSamples_ && evaluation == shownEvaluation_ && !caption_->text().isEmpty())
        return;
    shownSamples_ = samples;
    shownEvaluation_ = evaluation;

    grid_->setSamples(samples, evaluation);
    confusion_->setEvaluation(evaluation);
    const int count = samples ? int(samples->size()) : 0;
    if (count == 0) {
        caption_->setText("The first test images appear when the run has loaded its data.");
    } else if (!evaluation) {
        caption_->setText(QString("The first %1 test images. Predictions appear after the first test evaluation.")
                              .arg(count));
    } else {
        QString text = QString("The first %1 test images, predicted after step %2 by the fixed-point network")
                           .arg(count)
                           .arg(QLocale().toString(evaluation->step));
        text += evaluation->floatPredictions.empty() ? QString(" (turn on the float twin to compare).")
                                                     : QString(" and its float twin.");
        text += " " + QString::fromUtf8("\u2717") + " and an orange frame: wrong.";
        caption_->setText(text);
    }
}

} // namespace fxlab::gui
