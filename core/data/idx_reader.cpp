// The IDX format of MNIST and Fashion-MNIST: a 4-byte magic number 0x0000TTDD (element type TT,
// DD dimensions), DD big-endian 32-bit sizes, then the elements in row-major order.
#include "data/byte_source.h"
#include "data/data_files.h"
#include "data/dataset.h"

#include "error.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <array>
#include <cstdio>
#include <optional>

namespace fxlab {

namespace {

constexpr uint32_t kImagesMagic = 0x00000803;  // unsigned bytes, 3 dimensions
constexpr uint32_t kLabelsMagic = 0x00000801;  // unsigned bytes, 1 dimension
constexpr uint32_t kUnsignedByteType = 0x08;

// Limits on header sizes far above any real IDX data set. They reject corrupt headers before any
// size taken from them is used.
constexpr uint32_t kMaxSamples = 10'000'000;
constexpr uint32_t kMaxImageSide = 4096;

// Trailing data after the elements is counted up to this many bytes for the message.
constexpr uint64_t kMaxCountedTrailingBytes = uint64_t{1} << 20;

// IDX files do not store the number of classes. MNIST and Fashion-MNIST both have ten.
constexpr int kIdxClasses = 10;

constexpr std::array<const char*, 4> kIdxFileNames = {
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

const std::array<const char*, 10> kFashionMnistClassNames = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};

struct IdxImages {
    uint32_t count = 0;
    uint32_t rows = 0;
    uint32_t columns = 0;
    std::vector<uint8_t> pixels;
};

[[noreturn]] void fail(const std::string& path, const std::string& problem)
{
    throw Error(path + ": " + problem);
}

std::string hex(uint32_t value, int digits)
{
    char text[16];
    std::snprintf(text, sizeof text, "0x%0*X", digits, value);
    return text;
}

// Names the element types of the IDX format, or returns null for an unknown type.
const char* idxElementTypeName(uint32_t type)
{
    switch (type) {
    case 0x08: return "unsigned byte";
    case 0x09: return "signed byte";
    case 0x0B: return "int16";
    case 0x0C: return "int32";
    case 0x0D: return "float32";
    case 0x0E: return "float64";
    default: return nullptr;
    }
}

std::string describeMagic(uint32_t magic)
{
    const uint32_t dimensions = magic & 0xFF;
    return hex(magic, 8) + " (" + idxElementTypeName(magic >> 8) + " elements, " + std::to_string(dimensions)
        + (dimensions == 1 ? " dimension)" : " dimensions)");
}

void checkMagic(const std::string& path, uint32_t found, uint32_t expected)
{
    if (found == expected)
        return;

    const uint32_t type = (found >> 8) & 0xFF;
    const bool otherElementType = (found >> 16) == 0 && (found & 0xFF) == (expected & 0xFF)
        && idxElementTypeName(type) != nullptr;
    if (otherElementType)
        fail(path, "unsupported IDX element type " + hex(type, 2) + " (" + idxElementTypeName(type)
                       + ") in magic number " + hex(found, 8) + ": only unsigned bytes (" + hex(kUnsignedByteType, 2)
                       + ") are supported, as in magic number " + describeMagic(expected));

    fail(path, "wrong magic number " + hex(found, 8) + ", expected " + describeMagic(expected)
                   + "; check that this is an IDX file of the right kind (images or labels)");
}

uint32_t bigEndian32(const uint8_t* bytes)
{
    return uint32_t(bytes[0]) << 24 | uint32_t(bytes[1]) << 16 | uint32_t(bytes[2]) << 8 | uint32_t(bytes[3]);
}

// Reads the magic number and the sizes of the header and checks the magic number.
std::vector<uint32_t> readIdxHeader(ByteSource& source, uint32_t expectedMagic)
{
    const uint64_t headerBytes = 4 + 4 * uint64_t(expectedMagic & 0xFF);
    const std::vector<uint8_t> magic = readUpTo(source, 4);
    if (magic.size() < 4)
        fail(source.path(), "the file is " + std::to_string(magic.size()) + " bytes long, too short for an IDX header ("
                                + std::to_string(headerBytes) + " bytes expected)");
    checkMagic(source.path(), bigEndian32(magic.data()), expectedMagic);

    const std::vector<uint8_t> sizes = readUpTo(source, headerBytes - 4);
    if (sizes.size() < headerBytes - 4)
        fail(source.path(), "the file ends inside the IDX header: " + std::to_string(headerBytes) + " bytes expected, "
                                + std::to_string(4 + sizes.size()) + " found");

    std::vector<uint32_t> dimensions;
    for (size_t offset = 0; offset < sizes.size(); offset += 4)
        dimensions.push_back(bigEndian32(sizes.data() + offset));
    return dimensions;
}

void checkDimension(const std::string& path, const char* field, uint32_t value, uint32_t limit)
{
    if (value == 0)
        fail(path, std::string("the IDX header gives ") + field + " 0; it must be at least 1");
    if (value > limit)
        fail(path, std::string("the IDX header gives ") + field + " " + std::to_string(value) + ", above the limit of "
                       + std::to_string(limit) + "; the header is corrupt");
}

// Describes the bytes after the elements, or returns "" when there are none. Reading gzip data to
// its end also checks its CRC-32.
std::string describeTrailingBytes(ByteSource& source)
{
    if (const auto plainBytes = source.remainingPlainBytes())
        return *plainBytes == 0 ? "" : std::to_string(*plainBytes) + " more bytes follow";

    const uint64_t counted = skipBytes(source, kMaxCountedTrailingBytes + 1);
    if (counted == 0)
        return "";
    if (counted > kMaxCountedTrailingBytes)
        return "more than " + std::to_string(kMaxCountedTrailingBytes) + " bytes follow after decompression";
    return std::to_string(counted) + " more bytes follow after decompression";
}

// Reads the `expected` element bytes after the header and checks that nothing follows them.
// `described` names what the header describes, e.g. "60000 labels".
std::vector<uint8_t> readElements(ByteSource& source, uint64_t expected, const std::string& described)
{
    std::vector<uint8_t> elements = readUpTo(source, expected);
    const std::string expectation = "the header describes " + described + ", " + std::to_string(expected)
        + " bytes after the header";
    if (elements.size() < expected)
        fail(source.path(), "the file is truncated: " + expectation + ", but only " + std::to_string(elements.size())
                                + " bytes follow" + (source.isGzip() ? " after decompression" : ""));

    const std::string trailing = describeTrailingBytes(source);
    if (!trailing.empty())
        fail(source.path(), "unexpected trailing data: " + expectation + ", but " + trailing
                                + "; the header or the file is corrupt");
    return elements;
}

IdxImages readIdxImages(const std::string& path)
{
    ByteSource source(path);
    const std::vector<uint32_t> dimensions = readIdxHeader(source, kImagesMagic);

    IdxImages images;
    images.count = dimensions[0];
    images.rows = dimensions[1];
    images.columns = dimensions[2];
    checkDimension(path, "image count", images.count, kMaxSamples);
    checkDimension(path, "rows", images.rows, kMaxImageSide);
    checkDimension(path, "columns", images.columns, kMaxImageSide);

    const uint64_t expected = uint64_t(images.count) * images.rows * images.columns;
    const std::string described = std::to_string(images.count) + " images of " + std::to_string(images.rows) + "x"
        + std::to_string(images.columns) + " pixels";
    images.pixels = readElements(source, expected, described);
    return images;
}

// Reads the labels of the `imageCount` images in `imagesPath` and checks them against `classes`.
std::vector<uint8_t> readIdxLabels(const std::string& path, uint32_t imageCount, const std::string& imagesPath,
                                   int classes)
{
    ByteSource source(path);
    const uint32_t count = readIdxHeader(source, kLabelsMagic)[0];
    checkDimension(path, "label count", count, kMaxSamples);
    if (count != imageCount)
        fail(path, "the file has " + std::to_string(count) + " labels, but " + imagesPath + " has "
                       + std::to_string(imageCount) + " images; use the label file that belongs to the image file");

    std::vector<uint8_t> labels = readElements(source, count, std::to_string(count) + " labels");
    for (size_t index = 0; index < labels.size(); ++index)
        if (labels[index] >= classes)
            fail(path, "label " + std::to_string(labels[index]) + " of sample " + std::to_string(index)
                           + " is out of range: labels must be 0 to " + std::to_string(classes - 1) + " for "
                           + std::to_string(classes) + " classes");
    return labels;
}

std::vector<std::string> digitClassNames()
{
    std::vector<std::string> names;
    for (int digit = 0; digit < kIdxClasses; ++digit)
        names.push_back(std::to_string(digit));
    return names;
}

std::vector<std::string> idxClassNames(const std::string& folder)
{
    if (!QString::fromStdString(folder).contains("fashion", Qt::CaseInsensitive))
        return digitClassNames();
    return {kFashionMnistClassNames.begin(), kFashionMnistClassNames.end()};
}

// Finds `baseName` in `directory`, plain or with .gz, and prefers the plain file.
std::optional<std::string> findIdxFile(const QDir& directory, const char* baseName)
{
    for (const QString& name : {QString(baseName), QString(baseName) + ".gz"})
        if (QFileInfo(directory.filePath(name)).isFile())
            return directory.filePath(name).toStdString();
    return std::nullopt;
}

} // namespace

Dataset loadIdx(const std::string& imagesPath, const std::string& labelsPath, const std::string& name)
{
    QElapsedTimer timer;
    timer.start();

    IdxImages images = readIdxImages(imagesPath);
    Dataset dataset;
    dataset.name = name;
    dataset.shape = {1, int(images.rows), int(images.columns)};
    dataset.classes = kIdxClasses;
    dataset.classNames = digitClassNames();
    dataset.pixels = std::move(images.pixels);
    dataset.labels = readIdxLabels(labelsPath, images.count, imagesPath, kIdxClasses);

    logLoaded(dataset, timer.elapsed());
    return dataset;
}

DatasetPair loadIdxDirectory(const std::string& directory)
{
    requireDirectory(directory);
    const QDir folder(QString::fromStdString(directory));

    std::array<std::string, 4> paths;
    std::string missing;
    for (size_t file = 0; file < kIdxFileNames.size(); ++file) {
        if (const auto path = findIdxFile(folder, kIdxFileNames[file])) {
            paths[file] = *path;
            continue;
        }
        const std::string name = kIdxFileNames[file];
        missing += (missing.empty() ? "" : ", ") + name + " (looked for " + name + " and " + name + ".gz)";
    }
    if (!missing.empty())
        throw Error("the MNIST-style folder " + directory + " is missing " + missing);

    const std::string dataName = folderName(directory);
    DatasetPair pair{loadIdx(paths[0], paths[1], dataName + " train"), loadIdx(paths[2], paths[3], dataName + " test")};
    pair.train.classNames = idxClassNames(dataName);
    pair.test.classNames = pair.train.classNames;
    return pair;
}

bool hasIdxFiles(const std::string& directory)
{
    const QDir folder(QString::fromStdString(directory));
    for (const char* baseName : kIdxFileNames)
        if (findIdxFile(folder, baseName))
            return true;
    return false;
}

std::string idxFileNames()
{
    std::string names;
    for (const char* baseName : kIdxFileNames)
        names += std::string(names.empty() ? "" : ", ") + baseName;
    return names + ", each with or without .gz";
}

} // namespace fxlab
