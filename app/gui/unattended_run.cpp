#include "unattended_run.h"

#include "gui_logging.h"
#include "main_window.h"
#include "view_names.h"

#include <QCoreApplication>
#include <QImageWriter>
#include <qcustomplot.h>

#include <cstdio>

namespace fxlab::gui {

UnattendedRun::UnattendedRun(MainWindow* window, uint32_t steps, QString screenshotFile, bool quit)
    : QObject(window), window_(window), steps_(steps), screenshotFile_(std::move(screenshotFile)), quit_(quit)
{
    connect(window, &MainWindow::snapshotShown, this, [this](const SnapshotPointer& snapshot) {
        if (!done_ && isDone(*snapshot))
            finish(*snapshot);
    });
}

bool UnattendedRun::isDone(const Snapshot& snapshot) const
{
    if (snapshot.state == RunState::Finished || snapshot.state == RunState::Failed)
        return true;
    return steps_ > 0 && snapshot.state == RunState::Paused && snapshot.step >= steps_;
}

void UnattendedRun::finish(const Snapshot& snapshot)
{
    done_ = true;
    if (snapshot.state == RunState::Failed) {
        std::fprintf(stderr, "fxlab: the run failed at step %u: %s\n", snapshot.step, snapshot.message.c_str());
        exitStatus_ = 1;
    }
    if (!screenshotFile_.isEmpty() && !saveScreenshot())
        exitStatus_ = 1;
    if (quit_)
        QCoreApplication::exit(exitStatus_);
}

QImage UnattendedRun::grabPicture()
{
    // A layout changed by the latest snapshot, such as a button's new text, is applied at the next
    // event loop turn. Apply it now so that the picture is not taken half laid out.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    window_->replotNow();
    if (view_.isEmpty())
        return window_->grab().toImage();

    QWidget* view = prepareViewScreenshot(*window_, view_);
    if (!view) {
        std::fprintf(stderr, "fxlab: the window has no view \"%s\": use one of %s\n", qPrintable(view_),
                     qPrintable(availableViewNames(*window_).join(", ")));
        return {};
    }
    for (QCustomPlot* plot : view->findChildren<QCustomPlot*>())
        plot->replot();
    return view->grab().toImage();
}

bool UnattendedRun::saveScreenshot()
{
    const QImage image = grabPicture();
    if (image.isNull())
        return false;
    QImageWriter writer(screenshotFile_);
    if (!writer.write(image)) {
        std::fprintf(stderr, "fxlab: could not write the screenshot to %s: %s\n", qPrintable(screenshotFile_),
                     qPrintable(writer.errorString()));
        return false;
    }
    qCInfo(logGui).noquote() << "screenshot saved to" << screenshotFile_;
    return true;
}

} // namespace fxlab::gui
