// The error type of the core library: a sentence that names what was wrong (the file, field or
// value) and what would be valid. Callers show it to the user as it is.
#pragma once

#include <stdexcept>
#include <string>

namespace fxlab {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

} // namespace fxlab
