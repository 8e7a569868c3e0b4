#include "data/dataset.h"

#include "data/data_files.h"
#include "data/data_logging.h"
#include "error.h"
#include "numeric/philox.h"

#include <QDir>
#include <QFileInfo>

#include <numeric>
#include <utility>

namespace fxlab {

Q_LOGGING_CATEGORY(lcData, "fxlab.data")

void Dataset::copyNormalized(int index, float* out) const
{
    if (index < 0 || index >= count())
        throw Error(name + ": sample index " + std::to_string(index) + " is out of range; the data set has "
                    + std::to_string(count()) + " samples");

    const size_t size = shape.size();
    const uint8_t* sample = pixels.data() + size_t(index) * size;
    for (size_t element = 0; element < size; ++element)
        out[element] = float(sample[element]) / 255.0f;
}

void requireDirectory(const std::string& directory)
{
    if (!QFileInfo(QString::fromStdString(directory)).isDir())
        throw Error("the data folder " + directory + " does not exist or is not a folder");
}

std::string folderName(const std::string& directory)
{
    return QDir(QDir(QString::fromStdString(directory)).absolutePath()).dirName().toStdString();
}

void logLoaded(const Dataset& dataset, int64_t milliseconds)
{
    qCInfo(lcData, "loaded %s: %d samples of %s in %d classes, in %lld ms", dataset.name.c_str(), dataset.count(),
           toString(dataset.shape).c_str(), dataset.classes, static_cast<long long>(milliseconds));
}

DatasetPair loadDataDirectory(const std::string& directory)
{
    requireDirectory(directory);
    if (hasIdxFiles(directory))
        return loadIdxDirectory(directory);
    if (hasCifar10Files(directory))
        return loadCifar10Directory(directory);

    throw Error("no data set found in the folder " + directory + ": looked for the IDX files of MNIST or "
                + "Fashion-MNIST (" + idxFileNames() + ") and the CIFAR-10 binary files (" + cifar10FileNames()
                + ")");
}

std::vector<uint32_t> shuffledOrder(int count, uint64_t seed, uint32_t epoch)
{
    if (count < 0)
        throw Error("cannot shuffle a negative number of samples (" + std::to_string(count) + ")");

    std::vector<uint32_t> order(size_t(count), 0);
    std::iota(order.begin(), order.end(), 0u);

    // Multiplying 32 random bits by (i + 1) and keeping the high word maps them onto 0..i without
    // a division, with a bias below count / 2^32.
    const RandomStream stream{seed, epoch, kNoLayer, RandomTensor::Shuffle};
    for (uint32_t i = uint32_t(order.size()); i-- > 1;) {
        const uint32_t j = uint32_t((uint64_t(stream.bits(i)) * (uint64_t(i) + 1)) >> 32);
        std::swap(order[i], order[j]);
    }
    return order;
}

} // namespace fxlab
