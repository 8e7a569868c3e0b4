// fxlab: the window for exploring fixed-point training live.
#include "command_line_options.h"
#include "error.h"
#include "main_window.h"
#include "unattended_run.h"

#include <QApplication>

#include <cstdio>

int main(int argc, char** argv)
{
    QApplication application(argc, argv);
    QApplication::setApplicationName("fxlab");
    QApplication::setApplicationVersion(FXLAB_VERSION);

    const fxlab::gui::ParsedCommandLine parsed = fxlab::gui::parseCommandLine(QApplication::arguments());
    if (!parsed.options) {
        std::fputs(qPrintable(parsed.output), parsed.exitStatus == 0 ? stdout : stderr);
        return parsed.exitStatus;
    }
    const fxlab::gui::GuiOptions& options = *parsed.options;

    fxlab::Experiment experiment;
    try {
        experiment = fxlab::gui::experimentFromOptions(options);
    } catch (const fxlab::Error& error) {
        std::fprintf(stderr, "fxlab: %s\n", error.what());
        return 1;
    }

    fxlab::gui::MainWindow window;
    window.setErrorDialogsEnabled(!options.quit);
    window.loadExperiment(experiment, fxlab::gui::backendFromOptions(options));
    if (options.steps > 0)
        window.setStopAfter(options.steps);
    if (!options.screenshotFile.isEmpty() || options.quit)
        new fxlab::gui::UnattendedRun(&window, options.steps, options.screenshotFile, options.quit);
    window.show();
    if (options.autostart)
        window.start();
    return application.exec();
}
