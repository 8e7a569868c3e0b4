// A small command-line parser for fxlab-cli's subcommands: "--name value", "--name=value" and
// flags. Arguments that read as numbers (such as -0.5) are positional, not options.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace fxlab::cli {

// Wrong usage: the message names what was wrong, and the command exits with status 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Arguments {
public:
    // `valueOptions` take a value, `flags` do not; anything else starting with "--" is rejected.
    Arguments(const std::string& command, const std::vector<std::string>& arguments,
              const std::set<std::string>& valueOptions, const std::set<std::string>& flags);

    bool has(const std::string& name) const { return values_.count(name) > 0 || flags_.count(name) > 0; }
    std::optional<std::string> value(const std::string& name) const;
    // The option as an integer in [minimum, maximum], or `fallback` when absent.
    long long integer(const std::string& name, long long fallback, long long minimum, long long maximum) const;
    double number(const std::string& name, double fallback) const;
    const std::vector<std::string>& positional() const { return positional_; }

private:
    std::string command_;
    std::map<std::string, std::string> values_;
    std::set<std::string> flags_;
    std::vector<std::string> positional_;
};

// Parses a whole decimal number, or inf, -inf and nan; empty when `text` is anything else.
std::optional<double> parseNumber(const std::string& text);

} // namespace fxlab::cli
