#pragma once

#include <cstddef>
#include <string>

namespace fxlab {

// The shape of one sample's tensor: channels, height and width. Dense outputs are C x 1 x 1.
struct Shape {
    int channels = 0;
    int height = 0;
    int width = 0;

    size_t size() const { return size_t(channels) * size_t(height) * size_t(width); }
    bool operator==(const Shape&) const = default;
};

// "8x24x24", or "64" for a vector.
std::string toString(const Shape& shape);

} // namespace fxlab
