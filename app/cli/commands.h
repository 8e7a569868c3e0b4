#pragma once

#include <string>
#include <vector>

namespace fxlab::cli {

// Each returns the process exit status: 0 on success, 1 when the work failed, 2 for wrong usage.
int runTrain(const std::vector<std::string>& arguments);
int runQuantize(const std::vector<std::string>& arguments);
int runPresets(const std::vector<std::string>& arguments);
int runDevices(const std::vector<std::string>& arguments);

} // namespace fxlab::cli
