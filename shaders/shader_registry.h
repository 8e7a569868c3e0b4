// The SPIR-V of every compute shader in this folder: shaders/NAME.comp is compiled by glslc at
// build time and embedded in the binary as the shader named NAME.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace fxlab {

struct EmbeddedShader {
    std::string_view name;
    std::span<const uint32_t> code;
};

// Every embedded shader, sorted by name. Defined in the source file that the build generates.
std::span<const EmbeddedShader> embeddedShaders();

// The SPIR-V words of the shader `name`. Throws fxlab::Error naming the shader and listing the
// embedded ones when there is no such shader.
std::span<const uint32_t> shaderCode(std::string_view name);

// The names of all embedded shaders, sorted.
std::vector<std::string_view> shaderNames();

} // namespace fxlab
