#include "timeline_bar.h"

#include "plot_style.h"
#include "step_axis_items.h"
#include "view_timing.h"

#include <QAction>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QStyleOptionSlider>
#include <QToolButton>
#include <QWheelEvent>

#include <algorithm>

namespace fxlab::gui {

namespace {

// Points skipped by Page Up and Page Down.
constexpr size_t kPagePoints = 10;

QString stepNumber(uint32_t step)
{
    return QLocale().toString(step);
}

} // namespace

TimelineSlider::TimelineSlider(QWidget* parent) : QSlider(Qt::Horizontal, parent)
{
    setObjectName("timelineSlider");
    setRange(0, 0);
    setTickPosition(QSlider::NoTicks);
    setMinimumWidth(120);
    setMinimumHeight(int(plot_style::scaled(30)));
    setAccessibleName("Timeline");
    setToolTip("Drag, click or use the arrow keys to show an earlier recorded step. Ticks mark the recorded "
                "steps: the run keeps a bounded number of them and thins the older half when full, so older "
                "steps are further apart. Dashed lines mark precision changes.");
    connect(this, &QSlider::valueChanged, this, &TimelineSlider::followValue);
}

void TimelineSlider::setPoints(std::vector<uint32_t> steps, uint32_t lastStep)
{
    steps_ = std::move(steps);
    settingValue_ = true;
    setRange(0, int(std::max<uint32_t>(lastStep, 1)));
    settingValue_ = false;
    update();
}

void TimelineSlider::setPrecisionChanges(std::vector<uint32_t> steps)
{
    if (steps == precisionChanges_)
        return;
    precisionChanges_ = std::move(steps);
    update();
}

void TimelineSlider::showPoint(std::optional<size_t> index)
{
    shown_ = index && *index < steps_.size() ? index : std::nullopt;
    settingValue_ = true;
    setValue(shown_ ? int(steps_[*shown_]) : maximum());
    settingValue_ = false;
}

std::optional<size_t> TimelineSlider::nearestPoint(int step) const
{
    if (steps_.empty())
        return std::nullopt;
    const auto above = std::lower_bound(steps_.begin(), steps_.end(), uint32_t(std::max(step, 0)));
    if (above == steps_.begin())
        return 0;
    if (above == steps_.end())
        return steps_.size() - 1;
    const auto below = above - 1;
    return size_t((uint32_t(step) - *below <= *above - uint32_t(step) ? below : above) - steps_.begin());
}

void TimelineSlider::choose(size_t index)
{
    showPoint(index);
    emit pointChosen(int(index));
}

// Dragging moves the value freely; the handle snaps to the nearest recorded point.
void TimelineSlider::followValue(int value)
{
    if (settingValue_)
        return;
    if (const std::optional<size_t> index = nearestPoint(value))
        choose(*index);
}

int TimelineSlider::pixelOf(uint32_t step) const
{
    QStyleOptionSlider option;
    initStyleOption(&option);
    const QRect groove = style()->subControlRect(QStyle::CC_Slider, &option, QStyle::SC_SliderGroove, this);
    const QRect handle = style()->subControlRect(QStyle::CC_Slider, &option, QStyle::SC_SliderHandle, this);
    const int span = groove.width() - handle.width();
    return groove.x() + handle.width() / 2
           + QStyle::sliderPositionFromValue(minimum(), maximum(), int(step), span);
}

int TimelineSlider::stepAtPixel(int x) const
{
    QStyleOptionSlider option;
    initStyleOption(&option);
    const QRect groove = style()->subControlRect(QStyle::CC_Slider, &option, QStyle::SC_SliderGroove, this);
    const QRect handle = style()->subControlRect(QStyle::CC_Slider, &option, QStyle::SC_SliderHandle, this);
    const int span = groove.width() - handle.width();
    return QStyle::sliderValueFromPosition(minimum(), maximum(), x - groove.x() - handle.width() / 2, span);
}

void TimelineSlider::paintEvent(QPaintEvent* event)
{
    {
        QPainter painter(this);
        painter.setPen(plot_style::pen(plot_style::kGrey, 1));
        const int tickTop = height() - int(plot_style::scaled(7));
        for (uint32_t step : steps_) {
            const int x = pixelOf(step);
            painter.drawLine(x, tickTop, x, height() - 1);
        }
        painter.setPen(precisionChangePen());
        for (uint32_t step : precisionChanges_) {
            const int x = pixelOf(step);
            painter.drawLine(x, 0, x, height());
        }
    }
    QSlider::paintEvent(event);
}

void TimelineSlider::keyPressEvent(QKeyEvent* event)
{
    if (steps_.empty()) {
        event->ignore();
        return;
    }
    const size_t last = steps_.size() - 1;
    const size_t current = shown_.value_or(last);
    switch (event->key()) {
    case Qt::Key_Left:
    case Qt::Key_Down:
        choose(current > 0 ? current - 1 : 0);
        break;
    case Qt::Key_Right:
    case Qt::Key_Up:
        choose(std::min(current + 1, last));
        break;
    case Qt::Key_PageDown:
        choose(current > kPagePoints ? current - kPagePoints : 0);
        break;
    case Qt::Key_PageUp:
        choose(std::min(current + kPagePoints, last));
        break;
    case Qt::Key_Home:
        choose(0);
        break;
    case Qt::Key_End:
        choose(last);
        break;
    default:
        QSlider::keyPressEvent(event);
        return;
    }
    event->accept();
}

// A click on the groove jumps to the nearest point there, and a drag can continue from it.
void TimelineSlider::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || steps_.empty()) {
        QSlider::mousePressEvent(event);
        return;
    }
    const QPoint position = event->position().toPoint();
    if (const std::optional<size_t> index = nearestPoint(stepAtPixel(position.x())))
        choose(*index);

    // Far from any recorded point the handle is not under the mouse; QSlider would page towards
    // the click and land between points, so only a press on the handle starts a drag.
    QStyleOptionSlider option;
    initStyleOption(&option);
    const QRect handle = style()->subControlRect(QStyle::CC_Slider, &option, QStyle::SC_SliderHandle, this);
    if (handle.contains(position))
        QSlider::mousePressEvent(event);
    else
        event->accept();
}

// The ticks and precision-change lines grow with presentation mode, and the slider with them.
void TimelineSlider::changeEvent(QEvent* event)
{
    QSlider::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        setMinimumHeight(int(plot_style::scaled(30)));
}

void TimelineSlider::wheelEvent(QWheelEvent* event)
{
    if (steps_.empty() || event->angleDelta().y() == 0) {
        event->ignore();
        return;
    }
    const size_t last = steps_.size() - 1;
    const size_t current = shown_.value_or(last);
    choose(event->angleDelta().y() > 0 ? std::min(current + 1, last) : (current > 0 ? current - 1 : 0));
    event->accept();
}

TimelineBar::TimelineBar(QWidget* parent)
    : QWidget(parent),
      layout_(new QHBoxLayout(this)),
      slider_(new TimelineSlider(this)),
      stepLabel_(new QLabel(this)),
      liveButton_(new QToolButton(this))
{
    setObjectName("timelineBar");
    stepLabel_->setObjectName("timelineStep");
    // Wide enough for the longer texts of a run of up to 100,000 steps, so the slider does not jump.
    stepLabel_->setMinimumWidth(stepLabel_->fontMetrics().horizontalAdvance("Step 100,000 of 100,000 (point 200 of 200)"));
    liveButton_->setObjectName("timelineLive");
    liveButton_->setCheckable(true);
    liveButton_->setToolButtonStyle(Qt::ToolButtonTextOnly);
    liveButton_->setStyleSheet(QString("QToolButton:checked { color: %1; font-weight: bold; }")
                                   .arg(plot_style::kGreen.name()));
    liveButton_->setChecked(true);
    liveButton_->setToolTip("Follow the latest step. Move the timeline to look back at an earlier one.");
    connect(liveButton_, &QToolButton::clicked, this, [this](bool checked) {
        if (checked)
            goLive();
        else if (!timeline_.empty())
            showPoint(timeline_.size() - 1);
        else
            liveButton_->setChecked(true);
    });
    connect(slider_, &TimelineSlider::pointChosen, this, [this](int index) { showPoint(size_t(index)); });

    auto* title = new QLabel("&Timeline:", this);
    title->setBuddy(slider_);

    layout_->setContentsMargins(4, 2, 4, 2);
    layout_->addSpacing(8);
    layout_->addWidget(title);
    layout_->addWidget(slider_, 1);
    layout_->addWidget(stepLabel_);
    layout_->addWidget(liveButton_);
    updateText();
}

void TimelineBar::setTransportActions(const QList<QAction*>& actions)
{
    for (QAction* action : actions) {
        auto* button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonIconOnly);
        button->setAutoRaise(true);
        button->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
        layout_->insertWidget(actions.indexOf(action), button);
    }
}

void TimelineBar::showSnapshot(const Snapshot& snapshot)
{
    static ViewTiming timing("timeline: showSnapshot");
    const ScopedViewTimer timer(timing);
    timeline_ = snapshot.timeline;
    latestStep_ = snapshot.step;
    std::vector<uint32_t> steps;
    steps.reserve(timeline_.size());
    for (const TimelinePointer& point : timeline_)
        steps.push_back(point->step);
    const uint32_t lastStep = std::max(latestStep_, steps.empty() ? 0u : steps.back());
    slider_->setPoints(steps, lastStep);
    slider_->setPrecisionChanges(snapshot.precisionChanges);

    if (shown_) {
        // The shown point stays while it is recorded; once thinned away, the nearest one replaces it.
        const auto same = std::find(timeline_.begin(), timeline_.end(), shown_);
        if (timeline_.empty()) {
            goLive();
            return;
        }
        if (same != timeline_.end()) {
            slider_->showPoint(size_t(same - timeline_.begin()));
        } else {
            const auto above = std::lower_bound(steps.begin(), steps.end(), shown_->step);
            showPoint(std::min(size_t(above - steps.begin()), timeline_.size() - 1));
            return;
        }
    } else {
        slider_->showPoint(std::nullopt);
    }
    updateText();
}

void TimelineBar::showPoint(size_t index)
{
    if (index >= timeline_.size())
        return;
    slider_->showPoint(index);
    liveButton_->setChecked(false);
    if (shown_ != timeline_[index]) {
        shown_ = timeline_[index];
        emit shownPointChanged(shown_);
    }
    updateText();
}

void TimelineBar::goLive()
{
    liveButton_->setChecked(true);
    slider_->showPoint(std::nullopt);
    if (shown_) {
        shown_.reset();
        emit shownPointChanged(nullptr);
    }
    updateText();
}

QString TimelineBar::stepText() const
{
    return stepLabel_->text();
}

void TimelineBar::updateText()
{
    const QString recorded = QString("%1 recorded").arg(timeline_.size());
    liveButton_->setText(shown_ ? QString("Back to &live") : QString::fromUtf8("\u25cf &Live"));
    if (!shown_) {
        stepLabel_->setText(QString("Live: step %1 (%2)").arg(stepNumber(latestStep_), recorded));
        stepLabel_->setStyleSheet({});
        return;
    }
    const auto index = std::find(timeline_.begin(), timeline_.end(), shown_) - timeline_.begin();
    stepLabel_->setText(QString("Step %1 of %2 (point %3 of %4)")
                            .arg(stepNumber(shown_->step), stepNumber(latestStep_))
                            .arg(index + 1)
                            .arg(timeline_.size()));
    stepLabel_->setStyleSheet("font-weight: bold");
}

} // namespace fxlab::gui
