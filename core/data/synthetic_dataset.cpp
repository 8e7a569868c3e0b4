#include "data/dataset.h"

#include "error.h"
#include "numeric/philox.h"

namespace fxlab {

namespace {

// Class c is bright in its own c-th slice of the sample's elements and dark elsewhere, so a layer
// connected to the whole sample can separate the classes. Noise keeps the values varied.
constexpr uint8_t kPatternBrightness = 192;
constexpr int kNoiseBitShift = 26;  // 6 random bits: noise 0 to 63, so no value exceeds 255

void checkSyntheticArguments(int count, Shape shape, int classes, const std::string& name)
{
    const std::string prefix = "synthetic data set " + name + ": ";
    if (count < 0)
        throw Error(prefix + "the sample count is " + std::to_string(count) + ", but it must be 0 or more");
    if (shape.channels < 1 || shape.height < 1 || shape.width < 1)
        throw Error(prefix + "the shape is " + toString(shape) + ", but every dimension must be at least 1");
    if (classes < 1 || classes > 256)
        throw Error(prefix + "classes is " + std::to_string(classes) + ", use 1 to 256 (labels are 8-bit)");
    if (shape.size() < size_t(classes))
        throw Error(prefix + "the shape " + toString(shape) + " has fewer elements than the "
                    + std::to_string(classes) + " classes; each class needs at least one element of its own");
}

void fillSample(uint8_t* sample, size_t size, int label, int classes, const RandomStream& noise)
{
    const size_t patternBegin = size * size_t(label) / size_t(classes);
    const size_t patternEnd = size * size_t(label + 1) / size_t(classes);
    for (size_t element = 0; element < size; ++element) {
        const bool inPattern = element >= patternBegin && element < patternEnd;
        const uint32_t value = (inPattern ? kPatternBrightness : 0) + (noise.bits(uint32_t(element)) >> kNoiseBitShift);
        sample[element] = uint8_t(value);
    }
}

} // namespace

Dataset syntheticDataset(int count, Shape shape, int classes, uint64_t seed, const std::string& name)
{
    checkSyntheticArguments(count, shape, classes, name);

    Dataset dataset;
    dataset.name = name;
    dataset.shape = shape;
    dataset.classes = classes;
    for (int label = 0; label < classes; ++label)
        dataset.classNames.push_back("class " + std::to_string(label));

    const size_t size = shape.size();
    dataset.labels.resize(size_t(count));
    dataset.pixels.resize(size_t(count) * size);
    for (int sample = 0; sample < count; ++sample) {
        // Labels cycle through the classes, so every class has count / classes samples or one more.
        const int label = sample % classes;
        dataset.labels[size_t(sample)] = uint8_t(label);

        // The noise of a sample is step `sample` of the Initialization stream of no layer, which
        // no layer's weight initialization uses.
        const RandomStream noise{seed, uint32_t(sample), kNoLayer, RandomTensor::Initialization};
        fillSample(dataset.pixels.data() + size_t(sample) * size, size, label, classes, noise);
    }
    return dataset;
}

} // namespace fxlab
