#include "adaptive_panes.h"

#include <QResizeEvent>
#include <QSplitter>
#include <QStackedLayout>
#include <QTabWidget>

namespace fxlab::gui {

AdaptivePanes::AdaptivePanes(QWidget* first, const QString& firstTitle, QSize firstReadable, QWidget* second,
                             const QString& secondTitle, QSize secondReadable, QWidget* parent)
    : QWidget(parent),
      first_(first),
      second_(second),
      firstTitle_(firstTitle),
      secondTitle_(secondTitle),
      firstReadable_(firstReadable),
      secondReadable_(secondReadable),
      pages_(new QStackedLayout(this)),
      splitter_(new QSplitter),
      tabs_(new QTabWidget)
{
    splitter_->setChildrenCollapsible(false);
    tabs_->setDocumentMode(true);
    pages_->addWidget(splitter_);
    pages_->addWidget(tabs_);
    setMode(Mode::Tabs);
}

void AdaptivePanes::showPane(QWidget* pane)
{
    if (mode_ == Mode::Tabs)
        tabs_->setCurrentWidget(pane);
}

// Side by side is preferred, because both panes are about square. One above the other comes next,
// and tabs are the last resort, when neither gives both panes their readable size.
void AdaptivePanes::resizeEvent(QResizeEvent* event)
{
    const QSize size = event->size();
    const bool wideEnough = size.width() >= firstReadable_.width() + secondReadable_.width()
                            && size.height() >= std::max(firstReadable_.height(), secondReadable_.height());
    const bool tallEnough = size.height() >= firstReadable_.height() + secondReadable_.height()
                            && size.width() >= std::max(firstReadable_.width(), secondReadable_.width());
    Mode mode = Mode::Tabs;
    if (wideEnough)
        mode = Mode::SideBySide;
    else if (tallEnough)
        mode = Mode::Stacked;
    setMode(mode);
    QWidget::resizeEvent(event);
}

void AdaptivePanes::setMode(Mode mode)
{
    if (mode == mode_ && placed_)
        return;
    placed_ = true;
    mode_ = mode;
    if (mode == Mode::Tabs) {
        tabs_->addTab(first_, firstTitle_);
        tabs_->addTab(second_, secondTitle_);
        pages_->setCurrentWidget(tabs_);
        return;
    }
    splitter_->setOrientation(mode == Mode::SideBySide ? Qt::Horizontal : Qt::Vertical);
    splitter_->addWidget(first_);
    splitter_->addWidget(second_);
    first_->show();
    second_->show();
    pages_->setCurrentWidget(splitter_);
    const bool sideBySide = mode == Mode::SideBySide;
    splitter_->setSizes({sideBySide ? firstReadable_.width() : firstReadable_.height(),
                         sideBySide ? secondReadable_.width() : secondReadable_.height()});
}

} // namespace fxlab::gui
