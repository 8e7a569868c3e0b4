// The window's geometry, dock layout and preferences, kept in QSettings under the application's
// organization and name (on Linux, ~/.config/fxlab/fxlab.conf). Tests point QSettings at a
// temporary folder instead.
#pragma once

#include <QString>

namespace fxlab::gui {

class MainWindow;

namespace settings_key {
inline const QString kGeometry = "window/geometry";
inline const QString kDockLayout = "window/dockLayout";
inline const QString kPresentationMode = "preferences/presentationMode";
} // namespace settings_key

// Saves the window's geometry, dock layout and presentation mode.
void saveWindowSettings(const MainWindow& window);
// Restores what saveWindowSettings saved. Anything not saved yet keeps its default. Returns
// whether a saved layout was found.
bool restoreWindowSettings(MainWindow& window);

} // namespace fxlab::gui
