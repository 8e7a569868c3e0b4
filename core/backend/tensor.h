// A batch of activations or gradients: fixed-point codes with one fractional length, or floats.
#pragma once

#include "model/shape.h"
#include "numeric/quantizer.h"

#include <cstdint>
#include <vector>

namespace fxlab {

struct Tensor {
    int batch = 0;
    Shape shape;  // of one sample
    bool isFixed = false;
    int wordBits = 32;           // when fixed: bounds every code, for accumulator plans
    int fractionalLength = 0;    // when fixed
    std::vector<int32_t> codes;  // when fixed
    std::vector<float> values;   // when float
    // Activations only: 1 where the forward value saturated. No gradient flows back through such
    // an element, because the clamp does not change when its input moves further out.
    std::vector<uint8_t> saturated;

    size_t sampleSize() const { return shape.size(); }
    size_t size() const { return size_t(batch) * shape.size(); }

    void resizeFixed(int batchSize, Shape sampleShape, FixedFormat format)
    {
        batch = batchSize;
        shape = sampleShape;
        isFixed = true;
        wordBits = format.wordBits;
        fractionalLength = format.fractionalLength;
        codes.resize(size());
        values.clear();
        saturated.clear();
    }
    void resizeFloat(int batchSize, Shape sampleShape)
    {
        batch = batchSize;
        shape = sampleShape;
        isFixed = false;
        values.resize(size());
        codes.clear();
        saturated.clear();
    }
    float valueAt(size_t index) const
    {
        return isFixed ? dequantize(codes[index], fractionalLength) : values[index];
    }
    // The values as floats: a copy of `values`, or the dequantized codes.
    std::vector<float> toFloat() const
    {
        if (!isFixed)
            return values;
        std::vector<float> result(codes.size());
        for (size_t i = 0; i < codes.size(); ++i)
            result[i] = dequantize(codes[i], fractionalLength);
        return result;
    }
};

} // namespace fxlab
