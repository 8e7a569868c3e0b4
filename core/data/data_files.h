// Helpers shared by the readers of the data module. They are not part of its interface.
#pragma once

#include "data/dataset.h"

#include <cstdint>
#include <string>

namespace fxlab {

// Throws fxlab::Error unless `directory` is an existing folder.
void requireDirectory(const std::string& directory);

// The last component of the absolute path of `directory`, e.g. "fashion-mnist".
std::string folderName(const std::string& directory);

// Whether `directory` contains at least one of the four IDX files, plain or gzipped.
bool hasIdxFiles(const std::string& directory);
// The IDX file names that loadIdxDirectory looks for, as a phrase for messages.
std::string idxFileNames();

// Whether `directory` contains at least one of the six CIFAR-10 batch files.
bool hasCifar10Files(const std::string& directory);
// The CIFAR-10 file names that loadCifar10Directory looks for, as a phrase for messages.
std::string cifar10FileNames();

// Writes the one info line of a loaded data set to the "fxlab.data" category.
void logLoaded(const Dataset& dataset, int64_t milliseconds);

} // namespace fxlab
