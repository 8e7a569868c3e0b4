// The timeline: a slider over the recorded points of the run (TimelinePoint), placed by step, so
// that older points, which the worker thins, sit visibly further apart. Moving it shows an earlier
// step in the histograms and a cursor on every step axis; Live follows the latest step again.
#pragma once

#include "train/snapshot.h"

#include <QSlider>
#include <QWidget>

#include <optional>
#include <vector>

class QAction;
class QHBoxLayout;
class QLabel;
class QToolButton;

namespace fxlab::gui {

// A slider whose value is a training step and which stops only at recorded points. It draws a tick
// under each recorded point and a dashed line at each precision change.
class TimelineSlider : public QSlider {
    Q_OBJECT

public:
    explicit TimelineSlider(QWidget* parent = nullptr);

    void setPoints(std::vector<uint32_t> steps, uint32_t lastStep);
    void setPrecisionChanges(std::vector<uint32_t> steps);
    // Moves the handle to the point without emitting pointChosen.
    void showPoint(std::optional<size_t> index);

signals:
    // The user moved the slider to the recorded point `index`.
    void pointChosen(int index);

protected:
    void paintEvent(QPaintEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    std::optional<size_t> nearestPoint(int step) const;
    int pixelOf(uint32_t step) const;
    int stepAtPixel(int x) const;
    void choose(size_t index);
    void followValue(int value);

    std::vector<uint32_t> steps_;
    std::vector<uint32_t> precisionChanges_;
    std::optional<size_t> shown_;
    bool settingValue_ = false;
};

class TimelineBar : public QWidget {
    Q_OBJECT

public:
    explicit TimelineBar(QWidget* parent = nullptr);

    // Puts tool buttons for these actions (start, pause, single step) before the slider, as icons
    // with their names in tooltips, because the main toolbar shows the same actions with names.
    void setTransportActions(const QList<QAction*>& actions);
    void showSnapshot(const Snapshot& snapshot);

    bool isLive() const { return !shown_; }
    TimelinePointer shownPoint() const { return shown_; }
    // Shows recorded point `index` of the latest snapshot's timeline, as the slider does.
    void showPoint(size_t index);
    void goLive();
    TimelineSlider* slider() const { return slider_; }
    QString stepText() const;

signals:
    // The point whose statistics the views should show; null when they follow the latest step.
    void shownPointChanged(fxlab::TimelinePointer point);

private:
    void updateText();

    QHBoxLayout* layout_;
    TimelineSlider* slider_;
    QLabel* stepLabel_;
    QToolButton* liveButton_;

    std::vector<TimelinePointer> timeline_;
    TimelinePointer shown_;
    uint32_t latestStep_ = 0;
};

} // namespace fxlab::gui
