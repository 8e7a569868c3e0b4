// Whether a view is on screen and worth drawing. Qt keeps a dock that sits behind another in a tab
// group "visible" and moves it out of the window, so only its visible region shows whether it is.
#pragma once

#include <QRegion>
#include <QWidget>

namespace fxlab::gui {

inline bool isOnScreen(const QWidget* widget)
{
    return widget->isVisible() && !widget->visibleRegion().isEmpty();
}

} // namespace fxlab::gui
