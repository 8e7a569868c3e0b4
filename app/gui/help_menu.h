// The Help menu: the keyboard shortcuts, the presets explained and the About box. The shortcut
// list is read from the window's actions each time it opens, so that it always matches them.
#pragma once

#include <QString>

class QDialog;
class QMainWindow;
class QTableWidget;

namespace fxlab::gui {

// Adds the Help menu as the last menu of `window`.
void addHelpMenu(QMainWindow* window);

// A dialog with a table of every action of `window` that has a shortcut: its menu or place, its
// name and each key sequence. The table's object name is "shortcutTable".
QDialog* createShortcutsDialog(QMainWindow* window);
// Every preset with its summary, explanation and precision per tensor kind, as HTML.
QString presetsExplainedHtml();
QString aboutText();

} // namespace fxlab::gui
