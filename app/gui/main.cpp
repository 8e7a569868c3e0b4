// fxlab: the window for exploring fixed-point training live.
#include "command_line_options.h"
#include "error.h"
#include "experiment_editing.h"
#include "last_experiment.h"
#include "main_window.h"
#include "presentation_mode.h"
#include "run_manager.h"
#include "run_workspace.h"
#include "unattended_run.h"
#include "view_names.h"

#include <QApplication>

#include <cstdio>

int main(int argc, char** argv)
{
    QApplication application(argc, argv);
    QApplication::setOrganizationName("fxlab");
    QApplication::setApplicationName("fxlab");
    QApplication::setApplicationVersion(FXLAB_VERSION);

    const fxlab::gui::ParsedCommandLine parsed = fxlab::gui::parseCommandLine(QApplication::arguments());
    if (!parsed.options) {
        std::fputs(qPrintable(parsed.output), parsed.exitStatus == 0 ? stdout : stderr);
        return parsed.exitStatus;
    }
    const fxlab::gui::GuiOptions& options = *parsed.options;

    // Interactive sessions continue with the last experiment unless the command line names one;
    // screenshots and unattended runs neither read nor replace it.
    const bool remembersExperiment = options.screenshotFile.isEmpty() && !options.quit;
    fxlab::Experiment experiment;
    try {
        experiment = remembersExperiment ? fxlab::gui::experimentForStart(options)
                                         : fxlab::gui::experimentFromOptions(options);
    } catch (const fxlab::Error& error) {
        std::fprintf(stderr, "fxlab: %s\n", error.what());
        return 1;
    }

    fxlab::gui::MainWindow window;
    if (!options.view.isEmpty() && !fxlab::gui::findView(window, options.view)) {
        std::fprintf(stderr, "fxlab: the window has no view \"%s\" yet: use one of %s\n", qPrintable(options.view),
                     qPrintable(fxlab::gui::availableViewNames(window).join(", ")));
        return 2;
    }
    // A screenshot shows the default layout, whatever the user arranged, and leaves the saved
    // layout alone.
    if (options.screenshotFile.isEmpty())
        window.restoreAndKeepSettings();
    if (options.presentation)
        window.presentationMode()->setOn(true);
    window.setErrorDialogsEnabled(!options.quit);
    window.experimentEditing()->setKeepsLastExperiment(remembersExperiment);
    window.loadExperiment(experiment, fxlab::gui::backendFromOptions(options));
    if (options.steps > 0)
        window.setStopAfter(options.steps);
    // Compared runs are named after their presets, and so is the first run then.
    if (!options.comparedPresets.isEmpty())
        window.runManager()->renameRun(0, QString::fromStdString(experiment.name));
    for (const QString& preset : options.comparedPresets)
        window.runWorkspace()->addPresetRun(preset.trimmed());
    window.runManager()->setCurrent(0);
    if (!options.screenshotFile.isEmpty() || options.quit) {
        auto* unattended = new fxlab::gui::UnattendedRun(&window, options.steps, options.screenshotFile, options.quit);
        unattended->setView(options.view);
    }
    window.show();
    if (!options.view.isEmpty())
        fxlab::gui::raiseView(window, options.view);
    if (options.autostart) {
        window.start();
        for (int run = 1; run < window.runManager()->runCount(); ++run)
            window.runManager()->run(run)->start();
    }
    return application.exec();
}
