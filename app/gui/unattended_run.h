// --steps, --screenshot, --view and --quit: waits until every run has done its steps, finished or
// failed, then saves a picture of the window or of one view and, if asked, exits with the outcome.
#pragma once

#include "train/snapshot.h"

#include <QImage>
#include <QObject>
#include <QString>

namespace fxlab::gui {

class MainWindow;

class UnattendedRun : public QObject {
    Q_OBJECT

public:
    // `steps` 0 waits for the runs to finish or fail. An empty `screenshotFile` saves nothing.
    UnattendedRun(MainWindow* window, uint32_t steps, QString screenshotFile, bool quit);

    // Pictures only the view `name` (see view_names.h) instead of the whole window.
    void setView(const QString& name) { view_ = name; }

    // 0 when every run went as asked and the screenshot was written, otherwise 1.
    int exitStatus() const { return exitStatus_; }
    bool done() const { return done_; }

private:
    bool isDone(const Snapshot& snapshot) const;
    // Finishes once every run is done, after the current run's snapshot has been shown.
    void finishWhenAllDone();
    void finish();
    bool saveScreenshot();
    // The picture of the window or of the chosen view; a null image when the view is missing.
    QImage grabPicture();

    MainWindow* window_;
    uint32_t steps_;
    QString screenshotFile_;
    QString view_;
    bool quit_;
    bool done_ = false;
    int exitStatus_ = 0;
};

} // namespace fxlab::gui
