// A benchmark of the window's responsiveness and of the training throughput with every panel open.
//
// The benchmark opens the real window offscreen with every dock shown side by side and trains a
// preset for N steps. On the GUI thread, a timer fires every 2 ms, and the largest delay beyond
// that interval is the longest time the event loop could not react (target: under 50 ms). Every
// event's handling time is recorded too, snapshots (the queued call that lets every view take a
// new snapshot) separately. The timer's delays also include the time the scheduler gives to other
// processes, so on a busy machine they exceed the longest event. The benchmark prints the load
// average and the longest single event beside them.
//
// The throughput with the window open is compared with the same preset and steps trained by a
// Trainer without a window, in the same process (target: a ratio of at least 0.8). The runs
// without a window are timed before and after the window run and averaged, and both are printed,
// so that a change in machine load during the benchmark shows up as a difference between them.
#include "main_window.h"
#include "run_controller.h"
#include "run_manager.h"

#include "backend/backend_factory.h"
#include "data/dataset.h"
#include "error.h"
#include "model/presets.h"
#include "train/trainer.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QMetaEnum>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <map>
#include <utility>
#include <vector>

using namespace fxlab;

namespace {

constexpr int kTimerIntervalMilliseconds = 2;

struct EventTiming {
    double maxMilliseconds = 0;
    double totalMilliseconds = 0;
    int count = 0;
};

// A QApplication that times every event it delivers to the GUI thread's objects. Nested
// deliveries (an event sent while another is handled) are counted inside the outer one only.
class TimedApplication : public QApplication {
public:
    using QApplication::QApplication;

    bool notify(QObject* receiver, QEvent* event) override
    {
        // The training threads' events go through notify() too: only the GUI thread's are timed.
        if (!measuring_ || depth_ > 0 || QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);

        // The receiver may delete itself while it handles the event (deleteLater), so everything
        // recorded about it is read before.
        const char* eventName = QMetaEnum::fromType<QEvent::Type>().valueToKey(event->type());
        const QString objectName = receiver->objectName();
        const QString key = receiver->metaObject()->className()
            + (objectName.isEmpty() ? QString() : " \"" + objectName + "\"") + " / "
            + (eventName ? QString(eventName) : QString::number(int(event->type())));
        // Snapshots reach the window as a queued call to the run's controller.
        const bool isSnapshot = event->type() == QEvent::MetaCall && qobject_cast<gui::RunController*>(receiver);

        ++depth_;
        QElapsedTimer timer;
        timer.start();
        const bool result = QApplication::notify(receiver, event);
        const double milliseconds = double(timer.nsecsElapsed()) / 1e6;
        --depth_;

        record(timings_[key], milliseconds);
        busyMilliseconds_ += milliseconds;
        if (isSnapshot)
            record(snapshots_, milliseconds);
        return result;
    }

    void setMeasuring(bool measuring) { measuring_ = measuring; }
    // Time spent handling events since the last call, in milliseconds.
    double takeBusyMilliseconds() { return std::exchange(busyMilliseconds_, 0.0); }
    const std::map<QString, EventTiming>& timings() const { return timings_; }
    const EventTiming& snapshots() const { return snapshots_; }

private:
    static void record(EventTiming& timing, double milliseconds)
    {
        timing.maxMilliseconds = std::max(timing.maxMilliseconds, milliseconds);
        timing.totalMilliseconds += milliseconds;
        ++timing.count;
    }

    bool measuring_ = false;
    int depth_ = 0;
    double busyMilliseconds_ = 0;
    std::map<QString, EventTiming> timings_;
    EventTiming snapshots_;
};

struct Options {
    std::string preset = kDefaultPreset;
    std::string dataDirectory = DataSettings{}.directory;
    uint32_t steps = 300;
    int threads = 0;
    int repeat = 3;
    bool check = false;
};

// Samples per second of `steps` steps trained without a window, Trainer construction included.
double trainHeadless(const Experiment& experiment, const std::shared_ptr<const DatasetPair>& data,
                     const BackendChoice& backend, uint32_t steps)
{
    QElapsedTimer timer;
    timer.start();
    Trainer trainer(experiment, data, createBackend(backend).backend);
    for (uint32_t step = 0; step < steps; ++step)
        trainer.step();
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    return double(steps) * experiment.training.batchSize / seconds;
}

// Takes every dock out of the tab bars and spreads them over the dock areas, so that all of them
// are visible and draw at once.
int showEveryDock(gui::MainWindow& window)
{
    const QList<QDockWidget*> docks = window.findChildren<QDockWidget*>();
    const Qt::DockWidgetArea areas[] = {Qt::RightDockWidgetArea, Qt::BottomDockWidgetArea, Qt::LeftDockWidgetArea};
    int index = 0;
    for (QDockWidget* dock : docks) {
        window.removeDockWidget(dock);
        window.addDockWidget(areas[index % 3], dock);
        dock->show();
        ++index;
    }
    return int(docks.size());
}

struct WindowRun {
    double samplesPerSecond = 0;          // from the wall time of the steps
    double reportedSamplesPerSecond = 0;  // from the last snapshot
    double maxBlockMilliseconds = 0;
    double maxBlockAtSeconds = 0;
    double busyFraction = 0;  // of the run's wall time, spent handling events on the GUI thread
    int docksShown = 0;
    int docksVisible = 0;
    std::string backend;
    std::string device;
};

WindowRun trainInWindow(TimedApplication& application, const Experiment& experiment,
                        const std::shared_ptr<const DatasetPair>& data, const BackendChoice& backend, uint32_t steps)
{
    WindowRun result;
    gui::MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.loadExperiment(experiment, backend);
    window.setTrainingData(data);
    window.setStopAfter(steps);
    window.resize(1920, 1200);
    window.show();
    result.docksShown = showEveryDock(window);
    QApplication::processEvents();
    for (const QDockWidget* dock : window.findChildren<QDockWidget*>())
        if (dock->isVisible() && !dock->visibleRegion().isEmpty())
            ++result.docksVisible;

    QElapsedTimer sinceStart;
    QElapsedTimer sinceTick;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(kTimerIntervalMilliseconds);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const double gap = double(sinceTick.nsecsElapsed()) / 1e6 - kTimerIntervalMilliseconds;
        sinceTick.restart();
        if (gap > result.maxBlockMilliseconds) {
            result.maxBlockMilliseconds = gap;
            result.maxBlockAtSeconds = double(sinceStart.nsecsElapsed()) / 1e9;
        }
    });

    QEventLoop loop;
    QObject::connect(&window, &gui::MainWindow::snapshotShown, [&](const SnapshotPointer& snapshot) {
        if (snapshot->state == RunState::Failed) {
            std::fprintf(stderr, "gui_responsiveness: the run failed: %s\n", snapshot->message.c_str());
            loop.exit(1);
        }
        if (snapshot->state == RunState::Paused && snapshot->step >= steps) {
            const double seconds = double(sinceStart.nsecsElapsed()) / 1e9;
            result.samplesPerSecond = double(snapshot->step) * experiment.training.batchSize / seconds;
            result.reportedSamplesPerSecond = snapshot->samplesPerSecond;
            result.backend = snapshot->backend;
            result.device = snapshot->device;
            loop.exit(0);
        }
    });

    application.setMeasuring(true);
    application.takeBusyMilliseconds();
    sinceStart.start();
    sinceTick.start();
    ticker.start();
    window.start();
    const int status = loop.exec();
    ticker.stop();
    application.setMeasuring(false);
    result.busyFraction = application.takeBusyMilliseconds() / (double(sinceStart.nsecsElapsed()) / 1e6);
    window.shutDownWorker();
    if (status != 0)
        throw Error("the window run failed before step " + std::to_string(steps));
    return result;
}

// The 1-minute load average, or empty where /proc/loadavg does not exist. Other processes on the
// machine delay the GUI thread as much as its own work does, so the figures need it beside them.
QString loadAverage()
{
    QFile file("/proc/loadavg");
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(file.readLine()).section(' ', 0, 0);
}

std::optional<Options> parseOptions(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Measures the window's longest GUI-thread block and the training throughput "
                                     "with every dock open, against the same training without a window.");
    parser.addHelpOption();
    const QCommandLineOption presetOption("preset", "Preset to train (default " + QString(kDefaultPreset) + ").",
                                          "NAME");
    const QCommandLineOption dataOption("data", "Data folder (default " + QString::fromStdString(DataSettings{}.directory)
                                                    + ").", "DIR");
    const QCommandLineOption stepsOption("steps", "Training steps of each run (default 300).", "N");
    const QCommandLineOption threadsOption("threads", "CPU backend threads (default 0: every hardware thread).", "N");
    const QCommandLineOption repeatOption("repeat", "Window runs, each between two runs without a window "
                                                    "(default 3).", "N");
    const QCommandLineOption checkOption("check", "Exit with status 1 when a target is missed.");
    parser.addOptions({presetOption, dataOption, stepsOption, threadsOption, repeatOption, checkOption});
    parser.process(arguments);

    Options options;
    if (parser.isSet(presetOption))
        options.preset = parser.value(presetOption).toStdString();
    if (parser.isSet(dataOption))
        options.dataDirectory = parser.value(dataOption).toStdString();
    bool valid = true;
    if (parser.isSet(stepsOption))
        options.steps = parser.value(stepsOption).toUInt(&valid);
    if (!valid || options.steps == 0) {
        std::fprintf(stderr, "gui_responsiveness: --steps must be a whole number above 0\n");
        return std::nullopt;
    }
    if (parser.isSet(threadsOption))
        options.threads = parser.value(threadsOption).toInt(&valid);
    if (!valid || options.threads < 0) {
        std::fprintf(stderr, "gui_responsiveness: --threads must be 0 or more\n");
        return std::nullopt;
    }
    if (parser.isSet(repeatOption))
        options.repeat = parser.value(repeatOption).toInt(&valid);
    if (!valid || options.repeat < 1) {
        std::fprintf(stderr, "gui_responsiveness: --repeat must be 1 or more\n");
        return std::nullopt;
    }
    options.check = parser.isSet(checkOption);
    return options;
}

} // namespace

int main(int argc, char** argv)
{
    // The benchmark needs no display. NOTE: on a real display, the compositor's work is added to
    // the GUI thread's painting, and this benchmark does not measure it.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    TimedApplication application(argc, argv);
    const auto options = parseOptions(QApplication::arguments());
    if (!options)
        return 2;

    auto experiment = presetExperiment(options->preset);
    if (!experiment) {
        std::fprintf(stderr, "gui_responsiveness: unknown preset \"%s\": use one of %s\n", options->preset.c_str(),
                     presetNames().c_str());
        return 2;
    }
    experiment->data.directory = options->dataDirectory;
    BackendChoice backend;
    backend.name = "cpu";
    backend.threads = options->threads;

    try {
        const QString loadBefore = loadAverage();
        // The data set is read once, before anything is timed, and shared by every run.
        const auto data = std::make_shared<const DatasetPair>(loadDataDirectory(options->dataDirectory));

        // Window runs alternate with runs without a window, so that each window run is compared
        // with the runs just before and after it.
        std::vector<double> headless{trainHeadless(*experiment, data, backend, options->steps)};
        std::vector<WindowRun> windows;
        std::vector<double> ratios;
        for (int run = 0; run < options->repeat; ++run) {
            windows.push_back(trainInWindow(application, *experiment, data, backend, options->steps));
            headless.push_back(trainHeadless(*experiment, data, backend, options->steps));
            const double around = (headless[size_t(run)] + headless[size_t(run) + 1]) / 2;
            ratios.push_back(windows.back().samplesPerSecond / around);
        }

        const WindowRun& first = windows.front();
        std::printf("preset %s, %u steps of %d samples on %s, backend %s (%s), %d of %d docks visible\n",
                    options->preset.c_str(), options->steps, experiment->training.batchSize,
                    data->train.name.c_str(), first.backend.c_str(), first.device.c_str(), first.docksVisible,
                    first.docksShown);

        double maxBlock = 0;
        for (size_t run = 0; run < windows.size(); ++run) {
            const WindowRun& window = windows[run];
            std::printf("window run %zu: max GUI block %.1f ms at %.1f s, GUI thread busy %.0f %% of the time; "
                        "%.0f samples/s (the last snapshot reports %.0f); without a window %.0f before, %.0f "
                        "after; ratio %.2f\n",
                        run + 1, window.maxBlockMilliseconds, window.maxBlockAtSeconds, 100 * window.busyFraction,
                        window.samplesPerSecond, window.reportedSamplesPerSecond, headless[run], headless[run + 1],
                        ratios[run]);
            maxBlock = std::max(maxBlock, window.maxBlockMilliseconds);
        }

        const EventTiming& snapshots = application.snapshots();
        std::printf("snapshots handled: %d, mean %.2f ms, max %.1f ms\n", snapshots.count,
                    snapshots.count > 0 ? snapshots.totalMilliseconds / snapshots.count : 0.0,
                    snapshots.maxMilliseconds);
        std::vector<std::pair<QString, EventTiming>> slowest(application.timings().begin(),
                                                             application.timings().end());
        std::sort(slowest.begin(), slowest.end(), [](const auto& left, const auto& right) {
            return left.second.maxMilliseconds > right.second.maxMilliseconds;
        });
        std::printf("slowest events (receiver class \"object name\" / event type: max, mean, count):\n");
        for (size_t index = 0; index < std::min<size_t>(6, slowest.size()); ++index) {
            const EventTiming& timing = slowest[index].second;
            std::printf("  %s: %.1f ms, %.2f ms, %d\n", qPrintable(slowest[index].first), timing.maxMilliseconds,
                        timing.totalMilliseconds / timing.count, timing.count);
        }

        std::vector<double> sortedRatios = ratios;
        std::sort(sortedRatios.begin(), sortedRatios.end());
        const double medianRatio = sortedRatios[sortedRatios.size() / 2];
        double maxEvent = 0;
        for (const auto& [key, timing] : application.timings())
            maxEvent = std::max(maxEvent, timing.maxMilliseconds);
        if (!loadBefore.isEmpty())
            std::printf("load average of the machine: %s before, %s after (%d processors)\n", qPrintable(loadBefore),
                        qPrintable(loadAverage()), QThread::idealThreadCount());
        std::printf("longest single event on the GUI thread: %.1f ms\n", maxEvent);
        std::printf("max GUI block: %.1f ms (target: under 50 ms)\n", maxBlock);
        std::printf("throughput ratio window/headless: %.2f, the median of %d (target: at least 0.8)\n", medianRatio,
                    options->repeat);

        const bool met = maxBlock < 50 && medianRatio >= 0.8;
        return options->check && !met ? 1 : 0;
    } catch (const Error& error) {
        std::fprintf(stderr, "gui_responsiveness: %s\n", error.what());
        return 1;
    }
}
