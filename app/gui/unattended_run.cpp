#include "unattended_run.h"

#include "gui_logging.h"
#include "main_window.h"
#include "run_manager.h"
#include "view_names.h"

#include <QCoreApplication>
#include <QImageWriter>
#include <qcustomplot.h>

#include <cstdio>

namespace fxlab::gui {

UnattendedRun::UnattendedRun(MainWindow* window, uint32_t steps, QString screenshotFile, bool quit)
    : QObject(window), window_(window), steps_(steps), screenshotFile_(std::move(screenshotFile)), quit_(quit)
{
    connect(window, &MainWindow::snapshotShown, this, &UnattendedRun::finishWhenAllDone);
    // Another run may be the last to finish, and its snapshots do not reach snapshotShown.
    connect(window->runManager(), &RunManager::runSnapshotChanged, this, &UnattendedRun::finishWhenAllDone);
}

bool UnattendedRun::isDone(const Snapshot& snapshot) const
{
    if (snapshot.state == RunState::Finished || snapshot.state == RunState::Failed)
        return true;
    // An unattended run cannot switch the backend, so a run paused by a lost device goes no further.
    if (snapshot.state == RunState::Paused && snapshot.deviceLost)
        return true;
    return steps_ > 0 && snapshot.state == RunState::Paused && snapshot.step >= steps_;
}

void UnattendedRun::finishWhenAllDone()
{
    if (done_)
        return;
    const RunManager* runs = window_->runManager();
    for (int index = 0; index < runs->runCount(); ++index) {
        const SnapshotPointer snapshot = runs->run(index)->latestSnapshot();
        if (!snapshot || !isDone(*snapshot))
            return;
    }
    // The views draw the current run's latest snapshot only once the window has shown it.
    const SnapshotPointer current = runs->currentSnapshot();
    if (current != window_->latestSnapshot())
        return;
    finish();
}

void UnattendedRun::finish()
{
    done_ = true;
    const RunManager* runs = window_->runManager();
    for (int index = 0; index < runs->runCount(); ++index) {
        const Snapshot& snapshot = *runs->run(index)->latestSnapshot();
        if (snapshot.state != RunState::Failed && !snapshot.deviceLost)
            continue;
        std::fprintf(stderr, "fxlab: run \"%s\" %s at step %u: %s\n", qPrintable(runs->run(index)->name()),
                     snapshot.deviceLost ? "stopped" : "failed", snapshot.step, snapshot.message.c_str());
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
