// Image classification data sets held in memory as 8-bit pixels, and seeded shuffling.
#pragma once

#include "model/shape.h"

#include <cstdint>
#include <string>
#include <vector>

namespace fxlab {

struct Dataset {
    std::string name;                     // e.g. "fashion-mnist train", for messages and the window
    Shape shape;                          // one sample: channels x height x width
    int classes = 0;
    std::vector<std::string> classNames;  // one per class
    std::vector<uint8_t> pixels;          // sample after sample, each channel after channel, row-major
    std::vector<uint8_t> labels;          // one per sample, below `classes`

    int count() const { return int(labels.size()); }
    // Writes sample `index` as floats pixel / 255 into `out` (shape.size() values).
    void copyNormalized(int index, float* out) const;
};

struct DatasetPair {
    Dataset train;
    Dataset test;
};

// Reads one IDX image file and its IDX label file, gzipped or not. Throws fxlab::Error naming the
// file for a wrong magic number, a truncated file, image and label counts that disagree, labels out
// of range, or a header whose sizes are too large to be true; no allocation is made from a header
// before it is checked against the file's real size. IDX files do not store the number of classes,
// so labels must be below 10, the class count of MNIST and Fashion-MNIST.
Dataset loadIdx(const std::string& imagesPath, const std::string& labelsPath, const std::string& name);

// Reads a folder of IDX files (MNIST or Fashion-MNIST): train-images-idx3-ubyte, train-labels-idx1-ubyte,
// t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each with or without .gz. Class names are
// Fashion-MNIST's when the folder name contains "fashion", digits otherwise.
DatasetPair loadIdxDirectory(const std::string& directory);

// Reads the CIFAR-10 binary version: data_batch_1.bin to data_batch_5.bin and test_batch.bin, with
// batches.meta.txt for class names when present.
DatasetPair loadCifar10Directory(const std::string& directory);

// Detects the format of `directory` (IDX or CIFAR-10 binary) and loads it; the error lists the
// file names that were looked for.
DatasetPair loadDataDirectory(const std::string& directory);

// The sample order of one epoch: a Fisher-Yates shuffle of 0..count-1 driven by the counter-based
// generator keyed by (seed, epoch), so the order is the same on every platform and thread count.
std::vector<uint32_t> shuffledOrder(int count, uint64_t seed, uint32_t epoch);

// A small synthetic data set for tests and demos that need no files: `count` samples of `shape`
// in `classes` classes, each class a distinct pattern plus seeded noise, learnable in a few steps.
Dataset syntheticDataset(int count, Shape shape, int classes, uint64_t seed, const std::string& name);

} // namespace fxlab
