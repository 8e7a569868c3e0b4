// A splitter that puts its two widgets side by side when it is wide and one above the other
// otherwise, so that a dock reads well on the right of the window and along its bottom alike.
#pragma once

#include <QResizeEvent>
#include <QSplitter>

namespace fxlab::gui {

class AdaptiveSplitter : public QSplitter {
public:
    // `firstShare` is the first widget's part of the length after each change of orientation;
    // below `sideBySideWidth` pixels the widgets are always stacked.
    AdaptiveSplitter(double firstShare, int sideBySideWidth, QWidget* parent = nullptr)
        : QSplitter(Qt::Vertical, parent), firstShare_(firstShare), sideBySideWidth_(sideBySideWidth)
    {
        setChildrenCollapsible(false);
    }

protected:
    void resizeEvent(QResizeEvent* event) override
    {
        // Side by side also needs the width to reach 1.6 times the height: below that, two panels
        // next to each other are each taller than wide, which suits neither a histogram nor a grid.
        const QSize size = event->size();
        const bool wide = size.width() >= sideBySideWidth_ && size.width() >= 1.6 * size.height();
        const Qt::Orientation fitting = wide ? Qt::Horizontal : Qt::Vertical;
        const bool change = fitting != orientation() || !sized_;
        if (change)
            setOrientation(fitting);
        QSplitter::resizeEvent(event);
        if (change) {
            sized_ = true;
            const int length = fitting == Qt::Horizontal ? size.width() : size.height();
            setSizes({int(firstShare_ * length), int((1 - firstShare_) * length)});
        }
    }

private:
    double firstShare_;
    int sideBySideWidth_;
    bool sized_ = false;
};

} // namespace fxlab::gui
