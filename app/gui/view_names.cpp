#include "view_names.h"

#include <QCoreApplication>
#include <QDockWidget>
#include <QMainWindow>

#include <utility>
#include <vector>

namespace fxlab::gui {

namespace {

struct ViewEntry {
    QString name;
    QStringList dockObjectNames;  // empty: the central widget
    QSize screenshotSize;         // the minimum size of a screenshot of the dock
};

const std::vector<ViewEntry>& views()
{
    static const std::vector<ViewEntry> entries{
        {"curves", {}, {}},
        {"histograms", {"histogramDock"}, {1000, 760}},
        {"heatmap", {"heatmapDock"}, {1000, 680}},
        {"samples", {"samplesDock"}, {1000, 940}},
        {"precision", {"precisionDock"}, {1200, 560}},
        {"builder", {"networkBuilderDock"}, {1200, 420}},
        {"runs", {"runsDock"}, {1000, 260}},
        {"comparison", {"runComparisonDock"}, {1000, 640}},
        {"presets", {"presetsDock"}, {1000, 420}},
        {"counters", {"countersDock"}, {460, 300}},
        {"timeline", {"timelineDock"}, {1200, 80}},
    };
    return entries;
}

QDockWidget* dockOf(const QMainWindow& window, const ViewEntry& entry)
{
    for (const QString& objectName : entry.dockObjectNames)
        if (auto* dock = window.findChild<QDockWidget*>(objectName))
            return dock;
    return nullptr;
}

const ViewEntry* entryOf(const QString& name)
{
    for (const ViewEntry& entry : views())
        if (entry.name == name)
            return &entry;
    return nullptr;
}

} // namespace

QStringList knownViewNames()
{
    QStringList names;
    for (const ViewEntry& entry : views())
        names << entry.name;
    return names;
}

QStringList availableViewNames(const QMainWindow& window)
{
    QStringList names;
    for (const ViewEntry& entry : views())
        if (findView(window, entry.name))
            names << entry.name;
    return names;
}

QWidget* findView(const QMainWindow& window, const QString& name)
{
    const ViewEntry* entry = entryOf(name);
    if (!entry)
        return nullptr;
    if (entry->dockObjectNames.isEmpty())
        return window.centralWidget();
    return dockOf(window, *entry);
}

QWidget* raiseView(QMainWindow& window, const QString& name)
{
    QWidget* view = findView(window, name);
    if (auto* dock = qobject_cast<QDockWidget*>(view)) {
        dock->show();
        dock->raise();
    }
    return view;
}

QWidget* prepareViewScreenshot(QMainWindow& window, const QString& name)
{
    QWidget* view = raiseView(window, name);
    auto* dock = qobject_cast<QDockWidget*>(view);
    if (dock) {
        const QSize size = entryOf(name)->screenshotSize.expandedTo(dock->minimumSizeHint());
        dock->setFloating(true);
        dock->resize(size);
        dock->show();
    }
    // Let the views lay themselves out and take the latest snapshot at their new size.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    QCoreApplication::processEvents();
    return view;
}

} // namespace fxlab::gui
