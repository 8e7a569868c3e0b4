#include "arguments.h"

#include <cerrno>
#include <cstdlib>

namespace fxlab::cli {

std::optional<double> parseNumber(const std::string& text)
{
    if (text.empty())
        return std::nullopt;
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size())
        return std::nullopt;
    return value;
}

Arguments::Arguments(const std::string& command, const std::vector<std::string>& arguments,
                     const std::set<std::string>& valueOptions, const std::set<std::string>& flags)
    : command_(command)
{
    const auto known = [&] {
        std::string list;
        for (const auto* names : {&valueOptions, &flags})
            for (const std::string& name : *names)
                list += (list.empty() ? "--" : ", --") + name;
        return list;
    };

    for (size_t i = 0; i < arguments.size(); ++i) {
        const std::string& argument = arguments[i];
        if (argument.rfind("--", 0) != 0 || parseNumber(argument)) {
            positional_.push_back(argument);
            continue;
        }
        std::string name = argument.substr(2);
        std::optional<std::string> inlineValue;
        if (const size_t equals = name.find('='); equals != std::string::npos) {
            inlineValue = name.substr(equals + 1);
            name = name.substr(0, equals);
        }
        if (flags.count(name)) {
            if (inlineValue)
                throw UsageError("--" + name + " takes no value");
            flags_.insert(name);
        } else if (valueOptions.count(name)) {
            if (!inlineValue && i + 1 >= arguments.size())
                throw UsageError("--" + name + " needs a value");
            values_[name] = inlineValue ? *inlineValue : arguments[++i];
        } else {
            throw UsageError("unknown option --" + name + " for '" + command_ + "': valid options are " + known());
        }
    }
}

std::optional<std::string> Arguments::value(const std::string& name) const
{
    const auto found = values_.find(name);
    if (found == values_.end())
        return std::nullopt;
    return found->second;
}

long long Arguments::integer(const std::string& name, long long fallback, long long minimum, long long maximum) const
{
    const auto text = value(name);
    if (!text)
        return fallback;
    char* end = nullptr;
    errno = 0;
    const long long number = std::strtoll(text->c_str(), &end, 10);
    if (text->empty() || end != text->c_str() + text->size() || errno == ERANGE)
        throw UsageError("--" + name + " must be an integer, not \"" + *text + "\"");
    if (number < minimum || number > maximum)
        throw UsageError("--" + name + " " + *text + " is out of range: use " + std::to_string(minimum) + " to "
                         + std::to_string(maximum));
    return number;
}

double Arguments::number(const std::string& name, double fallback) const
{
    const auto text = value(name);
    if (!text)
        return fallback;
    const auto number = parseNumber(*text);
    if (!number)
        throw UsageError("--" + name + " must be a number, not \"" + *text + "\"");
    return *number;
}

} // namespace fxlab::cli
