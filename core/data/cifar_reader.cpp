// The CIFAR-10 binary version: each batch file is a sequence of 3073-byte records, one label byte
// followed by a 32x32 image as three channel planes (red, green, blue), each row-major.
#include "data/byte_source.h"
#include "data/data_files.h"
#include "data/dataset.h"

#include "error.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <array>

namespace fxlab {

namespace {

constexpr Shape kCifarShape{3, 32, 32};
constexpr uint64_t kCifarPixelBytes = 3 * 32 * 32;
constexpr uint64_t kCifarRecordBytes = 1 + kCifarPixelBytes;
// Far above the 10000 records of a real batch. It bounds what a wrong file can make us read.
constexpr uint64_t kMaxRecordsPerFile = 10'000'000;

constexpr std::array<const char*, 5> kTrainFileNames = {
    "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"};
constexpr const char* kTestFileName = "test_batch.bin";
constexpr const char* kMetaFileName = "batches.meta.txt";

const std::array<const char*, 10> kCifar10ClassNames = {
    "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"};

[[noreturn]] void fail(const std::string& path, const std::string& problem)
{
    throw Error(path + ": " + problem);
}

std::string countOf(uint64_t count, const std::string& noun)
{
    return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

void checkRecordSize(const std::string& path, uint64_t bytes)
{
    const std::string record = std::to_string(kCifarRecordBytes) + "-byte records (1 label byte and "
        + std::to_string(kCifarPixelBytes) + " pixel bytes)";
    if (bytes == 0)
        fail(path, "the file is empty; a CIFAR-10 batch consists of " + record);
    if (bytes % kCifarRecordBytes != 0)
        fail(path, "the file size " + std::to_string(bytes) + " bytes is not a multiple of the CIFAR-10 record "
                       + "size: expected " + record + ", found " + countOf(bytes / kCifarRecordBytes, "whole record")
                       + " and " + countOf(bytes % kCifarRecordBytes, "byte")
                       + " left over; the file is truncated or not a CIFAR-10 binary batch");
}

std::vector<uint8_t> readBatchFile(const std::string& path)
{
    ByteSource source(path);
    if (const auto plainBytes = source.remainingPlainBytes())
        checkRecordSize(path, *plainBytes);

    const uint64_t limit = kMaxRecordsPerFile * kCifarRecordBytes;
    std::vector<uint8_t> bytes = readUpTo(source, limit + 1);
    if (bytes.size() > limit)
        fail(path, "the file has more than " + std::to_string(kMaxRecordsPerFile)
                       + " records; it is not a CIFAR-10 binary batch");
    checkRecordSize(path, bytes.size());
    return bytes;
}

// Appends the records of one batch file to `dataset`, whose classes must be set.
void appendBatch(const std::string& path, Dataset& dataset)
{
    const std::vector<uint8_t> bytes = readBatchFile(path);
    const size_t records = bytes.size() / kCifarRecordBytes;
    dataset.labels.reserve(dataset.labels.size() + records);
    dataset.pixels.reserve(dataset.pixels.size() + records * kCifarPixelBytes);

    for (size_t record = 0; record < records; ++record) {
        const uint8_t* begin = bytes.data() + record * kCifarRecordBytes;
        if (begin[0] >= dataset.classes)
            fail(path, "label " + std::to_string(begin[0]) + " of record " + std::to_string(record)
                           + " is out of range: labels must be 0 to " + std::to_string(dataset.classes - 1) + " for "
                           + std::to_string(dataset.classes) + " classes");
        dataset.labels.push_back(begin[0]);
        dataset.pixels.insert(dataset.pixels.end(), begin + 1, begin + kCifarRecordBytes);
    }
}

// Reads the class names from batches.meta.txt, one per line, or returns the standard CIFAR-10
// names when the file is absent.
std::vector<std::string> readClassNames(const QDir& folder)
{
    const QString path = folder.filePath(kMetaFileName);
    if (!QFileInfo(path).isFile())
        return {kCifar10ClassNames.begin(), kCifar10ClassNames.end()};

    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        fail(path.toStdString(), "cannot open the file: " + file.errorString().toStdString());

    std::vector<std::string> names;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (!line.isEmpty())
            names.push_back(line.toStdString());
    }
    if (names.size() != kCifar10ClassNames.size())
        fail(path.toStdString(), "the file lists " + std::to_string(names.size()) + " class names, expected "
                                     + std::to_string(kCifar10ClassNames.size()) + ", one per line");
    return names;
}

Dataset loadBatches(const QDir& folder, const std::vector<const char*>& fileNames, const std::string& name,
                    const std::vector<std::string>& classNames)
{
    QElapsedTimer timer;
    timer.start();

    Dataset dataset;
    dataset.name = name;
    dataset.shape = kCifarShape;
    dataset.classes = int(classNames.size());
    dataset.classNames = classNames;
    for (const char* fileName : fileNames)
        appendBatch(folder.filePath(fileName).toStdString(), dataset);

    logLoaded(dataset, timer.elapsed());
    return dataset;
}

std::vector<const char*> allBatchFileNames()
{
    std::vector<const char*> names(kTrainFileNames.begin(), kTrainFileNames.end());
    names.push_back(kTestFileName);
    return names;
}

} // namespace

DatasetPair loadCifar10Directory(const std::string& directory)
{
    requireDirectory(directory);
    const QDir folder(QString::fromStdString(directory));

    std::string missing;
    for (const char* fileName : allBatchFileNames())
        if (!QFileInfo(folder.filePath(fileName)).isFile())
            missing += std::string(missing.empty() ? "" : ", ") + fileName;
    if (!missing.empty())
        throw Error("the CIFAR-10 folder " + directory + " is missing " + missing + "; expected "
                    + cifar10FileNames());

    const std::vector<std::string> classNames = readClassNames(folder);
    const std::string dataName = folderName(directory);
    return {loadBatches(folder, {kTrainFileNames.begin(), kTrainFileNames.end()}, dataName + " train", classNames),
            loadBatches(folder, {kTestFileName}, dataName + " test", classNames)};
}

bool hasCifar10Files(const std::string& directory)
{
    const QDir folder(QString::fromStdString(directory));
    for (const char* fileName : allBatchFileNames())
        if (QFileInfo(folder.filePath(fileName)).isFile())
            return true;
    return false;
}

std::string cifar10FileNames()
{
    return std::string(kTrainFileNames.front()) + " to " + kTrainFileNames.back() + " and " + kTestFileName;
}

} // namespace fxlab
