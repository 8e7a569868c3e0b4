#include "shader_registry.h"

#include "error.h"

#include <string>

namespace fxlab {

std::span<const uint32_t> shaderCode(std::string_view name)
{
    for (const EmbeddedShader& shader : embeddedShaders())
        if (shader.name == name)
            return shader.code;

    std::string names;
    for (std::string_view known : shaderNames()) {
        if (!names.empty())
            names += ", ";
        names += known;
    }
    throw Error("no shader named \"" + std::string(name) + "\" is embedded: the embedded shaders are " + names
                + "; a shader named NAME is built from shaders/NAME.comp");
}

std::vector<std::string_view> shaderNames()
{
    std::vector<std::string_view> names;
    for (const EmbeddedShader& shader : embeddedShaders())
        names.push_back(shader.name);
    return names;
}

} // namespace fxlab
