#include "command_line_options.h"

#include "error.h"
#include "model/presets.h"
#include "view_names.h"

#include <QCommandLineParser>

namespace fxlab::gui {

namespace {

QStringList splitNames(const std::string& names)
{
    return QString::fromStdString(names).split(", ", Qt::SkipEmptyParts);
}

ParsedCommandLine usageError(const QString& message)
{
    ParsedCommandLine parsed;
    parsed.output = "fxlab: " + message + "\nRun 'fxlab --help' for the list of options.\n";
    parsed.exitStatus = 2;
    return parsed;
}

} // namespace

ParsedCommandLine parseCommandLine(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Trains a small convolutional network in fixed point and shows it live.");
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption presetOption(
        "preset", "Precision preset to start from (default " + QString(kDefaultPreset) + "): one of "
            + QString::fromStdString(presetNames()) + ".",
        "NAME");
    const QCommandLineOption experimentOption("experiment", "Experiment JSON file to load instead of a preset.",
                                              "FILE");
    const QCommandLineOption backendOption(
        "backend", "Training backend: " + QString::fromStdString(backendNames()) + " (default auto).", "NAME");
    const QCommandLineOption dataOption(
        "data", "Data folder: MNIST or Fashion-MNIST IDX files, or CIFAR-10 binaries (default "
            + QString::fromStdString(DataSettings{}.directory) + ").",
        "DIR");
    const QCommandLineOption autostartOption("autostart", "Start training as soon as the window opens.");
    const QCommandLineOption stepsOption("steps", "Pause after N training steps.", "N");
    const QCommandLineOption screenshotOption(
        "screenshot", "Save a picture of the window to FILE, an image such as window.png, once the steps are done or the run stops.", "FILE");
    const QCommandLineOption viewOption(
        "view", "Bring the view NAME to the front; with --screenshot, save a picture of that view alone. NAME is one of "
            + knownViewNames().join(", ") + ".",
        "NAME");
    const QCommandLineOption compareOption(
        "compare", "Also train the presets NAMES (separated by commas) as runs beside the first, with the same "
            "network, data and settings; the run comparison overlays them.",
        "NAMES");
    const QCommandLineOption presentationOption(
        "presentation", "Start in presentation mode: larger fonts and thicker lines for a projector.");
    const QCommandLineOption quitOption(
        "quit", "Exit once the steps are done or the run stops: status 0, or 1 if it failed or lost its Vulkan device.");
    parser.addOptions({presetOption, experimentOption, backendOption, dataOption, autostartOption, stepsOption,
                       screenshotOption, viewOption, compareOption, presentationOption, quitOption});

    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(helpOption))
        return {std::nullopt, parser.helpText(), 0};
    if (parser.isSet(versionOption))
        return {std::nullopt, "fxlab " FXLAB_VERSION "\n", 0};
    if (!parser.positionalArguments().isEmpty())
        return usageError("unexpected argument \"" + parser.positionalArguments().first() + "\"");

    GuiOptions options;
    options.preset = parser.value(presetOption);
    options.experimentFile = parser.value(experimentOption);
    options.dataDirectory = parser.value(dataOption);
    options.autostart = parser.isSet(autostartOption);
    options.screenshotFile = parser.value(screenshotOption);
    options.view = parser.value(viewOption);
    options.presentation = parser.isSet(presentationOption);
    options.comparedPresets = parser.value(compareOption).split(',', Qt::SkipEmptyParts);
    for (const QString& preset : options.comparedPresets)
        if (!presetExperiment(preset.trimmed().toStdString()))
            return usageError("unknown preset \"" + preset + "\" in --compare: use one of "
                              + QString::fromStdString(presetNames()));
    options.quit = parser.isSet(quitOption);

    if (parser.isSet(presetOption) && parser.isSet(experimentOption))
        return usageError("give either --preset or --experiment, not both");
    if (parser.isSet(presetOption) && !presetExperiment(options.preset.toStdString()))
        return usageError("unknown preset \"" + options.preset + "\": use one of " + QString::fromStdString(presetNames()));

    if (parser.isSet(viewOption) && !knownViewNames().contains(options.view))
        return usageError("unknown view \"" + options.view + "\": use one of " + knownViewNames().join(", "));

    if (parser.isSet(backendOption)) {
        options.backend = parser.value(backendOption);
        const QStringList backends = splitNames(backendNames());
        if (!backends.contains(options.backend))
            return usageError("unknown backend \"" + options.backend + "\": use one of " + backends.join(", "));
    }

    if (parser.isSet(stepsOption)) {
        bool valid = false;
        const uint steps = parser.value(stepsOption).toUInt(&valid);
        if (!valid || steps == 0)
            return usageError("--steps must be a whole number above 0, not \"" + parser.value(stepsOption) + "\"");
        options.steps = steps;
    }
    return {options, {}, 0};
}

Experiment experimentFromOptions(const GuiOptions& options)
{
    Experiment experiment;
    if (!options.experimentFile.isEmpty()) {
        experiment = loadExperiment(options.experimentFile);
    } else {
        const std::string name = options.preset.isEmpty() ? std::string(kDefaultPreset) : options.preset.toStdString();
        const auto preset = presetExperiment(name);
        if (!preset)
            throw Error("unknown preset \"" + name + "\": use one of " + presetNames());
        experiment = *preset;
    }
    if (!options.dataDirectory.isEmpty())
        experiment.data.directory = options.dataDirectory.toStdString();
    return experiment;
}

BackendChoice backendFromOptions(const GuiOptions& options)
{
    BackendChoice choice;
    choice.name = options.backend.toStdString();
    return choice;
}

} // namespace fxlab::gui
