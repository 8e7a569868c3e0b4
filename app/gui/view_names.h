// The names that --view accepts, the window parts they stand for, and how to bring one to the
// front for a screenshot.
#pragma once

#include <QSize>
#include <QString>
#include <QStringList>

class QMainWindow;
class QWidget;

namespace fxlab::gui {

// Every name that --view accepts, in the order of the help text.
QStringList knownViewNames();
// The known names whose view exists in `window`.
QStringList availableViewNames(const QMainWindow& window);
// The dock that shows the view, or the central widget for "curves". Null when the window has no
// such view.
QWidget* findView(const QMainWindow& window, const QString& name);
// Shows the view and brings it in front of the docks it shares a tab bar with. Returns the
// widget that findView returns.
QWidget* raiseView(QMainWindow& window, const QString& name);
// Prepares the view for a screenshot: a dock is undocked and given at least the size that suits
// its content, so that the picture documents the view at a readable size. Returns the widget to
// grab, or null when the window has no such view.
QWidget* prepareViewScreenshot(QMainWindow& window, const QString& name);

} // namespace fxlab::gui
