#include "window_settings.h"

#include "gui_logging.h"
#include "main_window.h"
#include "presentation_mode.h"

#include <QSettings>

namespace fxlab::gui {

namespace {

// Raise it when the docks change so much that an old layout would look broken, because
// restoreState ignores a layout saved with another version.
constexpr int kDockLayoutVersion = 1;

} // namespace

void saveWindowSettings(const MainWindow& window)
{
    QSettings settings;
    settings.setValue(settings_key::kGeometry, window.saveGeometry());
    settings.setValue(settings_key::kDockLayout, window.saveState(kDockLayoutVersion));
    settings.setValue(settings_key::kPresentationMode, window.presentationMode()->isOn());
    settings.sync();
    if (settings.status() != QSettings::NoError)
        qCWarning(logGui).noquote() << "could not save the window settings to" << settings.fileName();
}

bool restoreWindowSettings(MainWindow& window)
{
    QSettings settings;
    // Presentation mode first, because its larger fonts change the sizes the layout is restored to.
    window.presentationMode()->setOn(settings.value(settings_key::kPresentationMode, false).toBool());
    const QByteArray geometry = settings.value(settings_key::kGeometry).toByteArray();
    const QByteArray layout = settings.value(settings_key::kDockLayout).toByteArray();
    if (!geometry.isEmpty())
        window.restoreGeometry(geometry);
    if (!layout.isEmpty() && !window.restoreState(layout, kDockLayoutVersion))
        qCInfo(logGui).noquote() << "the saved dock layout in" << settings.fileName()
                                 << "is from another version; keeping the default layout";
    return !geometry.isEmpty() || !layout.isEmpty();
}

} // namespace fxlab::gui
