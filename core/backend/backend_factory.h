// Creates the backend a user asked for, or the best one available.
#pragma once

#include "backend/backend.h"

#include <memory>
#include <string>

namespace fxlab {

struct BackendChoice {
    // "auto": a GPU through Vulkan when one is present, otherwise the CPU backend.
    // "cpu" or "vulkan": that backend, or an error saying why it is not available.
    std::string name = "auto";
    int device = -1;   // Vulkan device index from `fxlab-cli devices`; -1 picks the first GPU
    int threads = 0;   // CPU threads; 0 uses every hardware thread
};

// The backend and a sentence for the user saying which one was chosen and why.
struct CreatedBackend {
    std::unique_ptr<Backend> backend;
    std::string explanation;
};

// Throws fxlab::Error for an unknown name or an explicitly requested backend that cannot start.
CreatedBackend createBackend(const BackendChoice& choice);

std::string backendNames();

} // namespace fxlab
