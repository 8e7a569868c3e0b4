// fxlab-cli: fxlab without a window, for scripts, servers and classrooms.
#include "arguments.h"
#include "commands.h"

#include "error.h"

#include <QCoreApplication>

#include <cstdio>
#include <iostream>

namespace {

const char* kHelp = R"(usage: fxlab-cli COMMAND [options]

Commands:
  train       train a network in fixed point and write metrics.csv and summary.json
  quantize    quantize values with a fixed-point format, rounding and overflow mode
  presets     list the precision presets
  devices     list the Vulkan devices and the backend that --backend auto chooses
  --version   print the version

'fxlab-cli COMMAND --help' describes each command's options.
)";

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName("fxlab-cli");
    QCoreApplication::setApplicationVersion(FXLAB_VERSION);

    std::vector<std::string> arguments(argv + 1, argv + argc);
    if (arguments.empty() || arguments[0] == "--help" || arguments[0] == "-h") {
        std::cout << kHelp;
        return arguments.empty() ? 2 : 0;
    }
    if (arguments[0] == "--version") {
        std::cout << "fxlab-cli " << FXLAB_VERSION << "\n";
        return 0;
    }

    const std::string command = arguments[0];
    arguments.erase(arguments.begin());
    try {
        if (command == "train")
            return fxlab::cli::runTrain(arguments);
        if (command == "quantize")
            return fxlab::cli::runQuantize(arguments);
        if (command == "presets")
            return fxlab::cli::runPresets(arguments);
        if (command == "devices")
            return fxlab::cli::runDevices(arguments);
        std::fprintf(stderr, "fxlab-cli: unknown command \"%s\"; run 'fxlab-cli --help' for the list\n",
                     command.c_str());
        return 2;
    } catch (const fxlab::cli::UsageError& error) {
        std::fprintf(stderr, "fxlab-cli %s: %s\n", command.c_str(), error.what());
        return 2;
    } catch (const fxlab::Error& error) {
        std::fprintf(stderr, "fxlab-cli %s: %s\n", command.c_str(), error.what());
        return 1;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "fxlab-cli %s: unexpected error: %s\n", command.c_str(), error.what());
        return 1;
    }
}
