// The data module: IDX and CIFAR-10 files written here with known values, every corrupt-file
// error, the seeded shuffle against a reference, the synthetic data set and the installed
// Fashion-MNIST.
#include "data/dataset.h"
#include "error.h"
#include "numeric/philox.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <zlib.h>

#include <algorithm>
#include <array>
#include <functional>
#include <numeric>

using namespace fxlab;

Q_DECLARE_METATYPE(fxlab::Shape)

namespace {

const QString kFashionMnistFolder = "/usr/share/datasets/fashion-mnist";

constexpr int kImageCount = 3;
constexpr int kRows = 5;
constexpr int kColumns = 7;
const QByteArray kLabels("\x09\x00\x04", kImageCount);

constexpr int kCifarRecordBytes = 3073;
constexpr int kCifarRecordsPerFile = 2;
const std::array<QString, 6> kCifarFiles = {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
                                            "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"};

// Awkward, distinct values so that a pixel read from the wrong place shows up.
uint8_t idxPixel(int sample, int element)
{
    return uint8_t((sample * 37 + element * 11 + 5) & 0xFF);
}

uint8_t cifarPixel(int file, int record, int element)
{
    return uint8_t((file * 71 + record * 29 + element * 13 + 1) & 0xFF);
}

uint8_t cifarLabel(int file, int record)
{
    return uint8_t((file * kCifarRecordsPerFile + record * 7) % 10);
}

// The shape as text, which QCOMPARE can print.
QString shapeText(const Shape& shape)
{
    return QString::fromStdString(toString(shape));
}

QByteArray bigEndian32(uint32_t value)
{
    const char bytes[4] = {char(value >> 24), char(value >> 16), char(value >> 8), char(value)};
    return QByteArray(bytes, 4);
}

QByteArray idxImages(uint32_t count, uint32_t rows, uint32_t columns, int pixelBytes, uint32_t magic = 0x00000803)
{
    QByteArray file = bigEndian32(magic) + bigEndian32(count) + bigEndian32(rows) + bigEndian32(columns);
    for (int element = 0; element < pixelBytes; ++element)
        file.append(char(idxPixel(element / (kRows * kColumns), element % (kRows * kColumns))));
    return file;
}

QByteArray validImages()
{
    return idxImages(kImageCount, kRows, kColumns, kImageCount * kRows * kColumns);
}

QByteArray idxLabels(uint32_t count, const QByteArray& labels, uint32_t magic = 0x00000801)
{
    return bigEndian32(magic) + bigEndian32(count) + labels;
}

QByteArray validLabels()
{
    return idxLabels(kImageCount, kLabels);
}

QByteArray gzip(const QByteArray& data)
{
    z_stream stream{};
    if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        qFatal("deflateInit2 failed");

    QByteArray compressed(int(deflateBound(&stream, uLong(data.size()))), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(compressed.data());
    stream.avail_out = uInt(compressed.size());
    if (deflate(&stream, Z_FINISH) != Z_STREAM_END)
        qFatal("deflate did not finish");
    compressed.resize(int(stream.total_out));
    deflateEnd(&stream);
    return compressed;
}

// Two gzip members one after the other, as `cat a.gz b.gz` writes them.
QByteArray gzipTwoMembers(const QByteArray& data)
{
    const qsizetype half = data.size() / 2;
    return gzip(data.left(half)) + gzip(data.mid(half));
}

QByteArray encode(const QByteArray& data, const QString& encoding)
{
    if (encoding == "gzip")
        return gzip(data);
    if (encoding == "gzip, two members")
        return gzipTwoMembers(data);
    return data;
}

QByteArray withByte(QByteArray data, qsizetype index, char value)
{
    data[index] = value;
    return data;
}

void writeFile(const QString& path, const QByteArray& contents)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(contents) != contents.size())
        qFatal("cannot write %s", qPrintable(path));
}

// Runs `load` and returns the message of the fxlab::Error it throws, or an empty string.
QString errorMessage(const std::function<void()>& load)
{
    try {
        load();
    } catch (const Error& error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

void writeValidIdxFolder(const QString& folder, const QString& suffix = {})
{
    QDir().mkpath(folder);
    const QDir dir(folder);
    const auto content = [&](const QByteArray& data) { return suffix == ".gz" ? gzip(data) : data; };
    writeFile(dir.filePath("train-images-idx3-ubyte" + suffix), content(validImages()));
    writeFile(dir.filePath("train-labels-idx1-ubyte" + suffix), content(validLabels()));
    writeFile(dir.filePath("t10k-images-idx3-ubyte" + suffix), content(validImages()));
    writeFile(dir.filePath("t10k-labels-idx1-ubyte" + suffix), content(validLabels()));
}

QByteArray cifarBatch(int file)
{
    QByteArray batch;
    for (int record = 0; record < kCifarRecordsPerFile; ++record) {
        batch.append(char(cifarLabel(file, record)));
        for (int element = 0; element < kCifarRecordBytes - 1; ++element)
            batch.append(char(cifarPixel(file, record, element)));
    }
    return batch;
}

void writeValidCifarFolder(const QString& folder)
{
    const QDir dir(folder);
    for (int file = 0; file < int(kCifarFiles.size()); ++file)
        writeFile(dir.filePath(kCifarFiles[size_t(file)]), cifarBatch(file));
}

// The Fisher-Yates rule of shuffledOrder written out separately, on philox4x32 directly.
std::vector<uint32_t> referenceShuffle(int count, uint64_t seed, uint32_t epoch)
{
    std::vector<uint32_t> order;
    for (int index = 0; index < count; ++index)
        order.push_back(uint32_t(index));

    const PhiloxKey key{uint32_t(seed), uint32_t(seed >> 32)};
    for (int i = count - 1; i >= 1; --i) {
        const PhiloxCounter counter{uint32_t(i), epoch, kNoLayer, uint32_t(RandomTensor::Shuffle)};
        const uint64_t bits = philox4x32(counter, key)[0];
        const uint64_t j = (bits * uint64_t(i + 1)) >> 32;
        std::swap(order[size_t(i)], order[size_t(j)]);
    }
    return order;
}

QString prefix(const std::vector<uint32_t>& order)
{
    QStringList values;
    for (size_t index = 0; index < std::min<size_t>(order.size(), 10); ++index)
        values << QString::number(order[index]);
    return values.join(' ');
}

// The class whose slice of the sample is brightest on average: the pattern syntheticDataset draws.
int brightestSlice(const Dataset& dataset, int sample)
{
    const size_t size = dataset.shape.size();
    const uint8_t* pixels = dataset.pixels.data() + size_t(sample) * size;
    int best = -1;
    double bestMean = -1;
    for (int label = 0; label < dataset.classes; ++label) {
        const size_t begin = size * size_t(label) / size_t(dataset.classes);
        const size_t end = size * size_t(label + 1) / size_t(dataset.classes);
        const double mean = std::accumulate(pixels + begin, pixels + end, 0.0) / double(end - begin);
        if (mean > bestMean) {
            bestMean = mean;
            best = label;
        }
    }
    return best;
}

QStringList capturedDataMessages;

void captureDataMessages(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (QString(context.category) == "fxlab.data")
        capturedDataMessages << QString::number(int(type)) + " " + message;
}

} // namespace

class DataTest : public QObject {
    Q_OBJECT

private slots:
    void idxReadsEveryValue_data();
    void idxReadsEveryValue();
    void idxRejectsCorruptFile_data();
    void idxRejectsCorruptFile();
    void idxReportsMissingFile();
    void idxFolderReportsMissingFile_data();
    void idxFolderReportsMissingFile();
    void idxFolderClassNames_data();
    void idxFolderClassNames();
    void idxLoadLogsOneInfoLine();
    void copyNormalizedDividesBy255();
    void cifarReadsEveryValue_data();
    void cifarReadsEveryValue();
    void cifarRejectsCorruptFolder_data();
    void cifarRejectsCorruptFolder();
    void dataFolderReportsWhatWasLookedFor();
    void dataFolderMustExist();
    void shuffledOrderIsPermutation_data();
    void shuffledOrderIsPermutation();
    void shuffledOrderDependsOnSeedAndEpoch();
    void shuffledOrderMatchesReference_data();
    void shuffledOrderMatchesReference();
    void syntheticPatternsAreSeparable_data();
    void syntheticPatternsAreSeparable();
    void syntheticDatasetIsSeeded();
    void syntheticRejectsInvalidArguments_data();
    void syntheticRejectsInvalidArguments();
    void fashionMnistLoads();
};

void DataTest::idxReadsEveryValue_data()
{
    QTest::addColumn<QString>("imagesEncoding");
    QTest::addColumn<QString>("labelsEncoding");

    QTest::newRow("plain") << "plain" << "plain";
    QTest::newRow("gzip") << "gzip" << "gzip";
    QTest::newRow("gzip images, plain labels") << "gzip" << "plain";
    QTest::newRow("plain images, gzip labels") << "plain" << "gzip";
    QTest::newRow("gzip of two members") << "gzip, two members" << "gzip, two members";
}

void DataTest::idxReadsEveryValue()
{
    QFETCH(QString, imagesEncoding);
    QFETCH(QString, labelsEncoding);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    writeFile(dir.filePath("images"), encode(validImages(), imagesEncoding));
    writeFile(dir.filePath("labels"), encode(validLabels(), labelsEncoding));

    const Dataset dataset = loadIdx(dir.filePath("images").toStdString(), dir.filePath("labels").toStdString(), "tiny");
    QCOMPARE(dataset.name, std::string("tiny"));
    QCOMPARE(shapeText(dataset.shape), QString("1x5x7"));
    QCOMPARE(dataset.classes, 10);
    QCOMPARE(dataset.classNames.size(), size_t(10));
    QCOMPARE(dataset.classNames[0], std::string("0"));
    QCOMPARE(dataset.classNames[9], std::string("9"));
    QCOMPARE(dataset.count(), kImageCount);
    QCOMPARE(dataset.pixels.size(), size_t(kImageCount * kRows * kColumns));

    for (int sample = 0; sample < kImageCount; ++sample) {
        QCOMPARE(int(dataset.labels[size_t(sample)]), int(uint8_t(kLabels[sample])));
        for (int element = 0; element < kRows * kColumns; ++element) {
            const int actual = dataset.pixels[size_t(sample * kRows * kColumns + element)];
            QVERIFY2(actual == idxPixel(sample, element),
                     qPrintable(QString("sample %1 element %2: read %3, expected %4")
                                    .arg(sample).arg(element).arg(actual).arg(idxPixel(sample, element))));
        }
    }
}

void DataTest::idxRejectsCorruptFile_data()
{
    QTest::addColumn<QByteArray>("images");
    QTest::addColumn<QByteArray>("labels");
    QTest::addColumn<QString>("namedFile");
    QTest::addColumn<QStringList>("fragments");

    const QByteArray images = validImages();
    const QByteArray labels = validLabels();
    const int pixelBytes = kImageCount * kRows * kColumns;
    const QByteArray gzipImages = gzip(images);

    QTest::newRow("images wrong magic") << idxImages(kImageCount, kRows, kColumns, pixelBytes, 0x00000801) << labels
                                        << "images"
                                        << QStringList{"wrong magic number 0x00000801", "expected 0x00000803"};
    QTest::newRow("labels wrong magic") << images << idxLabels(kImageCount, kLabels, 0x00000803) << "labels"
                                        << QStringList{"wrong magic number 0x00000803", "expected 0x00000801"};
    QTest::newRow("images are text") << QByteArray("hello, this is not an IDX file\n") << labels << "images"
                                     << QStringList{"wrong magic number 0x68656C6C", "expected 0x00000803"};
    QTest::newRow("float32 images") << idxImages(kImageCount, kRows, kColumns, pixelBytes, 0x00000D03) << labels
                                    << "images"
                                    << QStringList{"unsupported IDX element type 0x0D (float32)", "0x00000803"};
    QTest::newRow("int32 labels") << images << idxLabels(kImageCount, kLabels, 0x00000C01) << "labels"
                                  << QStringList{"unsupported IDX element type 0x0C (int32)", "0x00000801"};
    QTest::newRow("empty images") << QByteArray() << labels << "images"
                                  << QStringList{"0 bytes long", "too short for an IDX header", "16 bytes expected"};
    QTest::newRow("images header cut") << images.left(10) << labels << "images"
                                       << QStringList{"ends inside the IDX header", "16 bytes expected, 10 found"};
    QTest::newRow("truncated images") << images.left(16 + 100) << labels << "images"
                                      << QStringList{"truncated", "3 images of 5x7 pixels, 105 bytes after the header",
                                                     "only 100 bytes follow"};
    QTest::newRow("truncated gzip images") << gzip(images.left(16 + 100)) << labels << "images"
                                           << QStringList{"truncated", "105 bytes after the header",
                                                          "only 100 bytes follow after decompression"};
    QTest::newRow("truncated labels") << images << labels.left(8 + 2) << "labels"
                                      << QStringList{"truncated", "3 labels, 3 bytes after the header",
                                                     "only 2 bytes follow"};
    QTest::newRow("counts disagree") << images << idxLabels(4, kLabels + QByteArray(1, '\x01')) << "labels"
                                     << QStringList{"has 4 labels", "has 3 images"};
    QTest::newRow("2^31 images in 100 bytes") << idxImages(0x80000000u, kRows, kColumns, 100 - 16) << labels << "images"
                                              << QStringList{"image count 2147483648", "limit of 10000000"};
    QTest::newRow("2^31 images, gzip") << gzip(idxImages(0x80000000u, kRows, kColumns, 100 - 16)) << labels << "images"
                                       << QStringList{"image count 2147483648", "limit of 10000000"};
    QTest::newRow("2^31 labels") << images << idxLabels(0x80000000u, kLabels) << "labels"
                                 << QStringList{"label count 2147483648", "limit of 10000000"};
    QTest::newRow("10 million images in a small file")
        << idxImages(10'000'000, 4096, 4096, 84) << labels << "images"
        << QStringList{"truncated", "10000000 images of 4096x4096 pixels", "only 84 bytes follow"};
    QTest::newRow("10 million images, gzip")
        << gzip(idxImages(10'000'000, 4096, 4096, 84)) << labels << "images"
        << QStringList{"truncated", "167772160000000 bytes after the header",
                       "only 84 bytes follow after decompression"};
    QTest::newRow("zero images") << idxImages(0, kRows, kColumns, 0) << idxLabels(0, {}) << "images"
                                 << QStringList{"image count 0", "at least 1"};
    QTest::newRow("zero rows") << idxImages(kImageCount, 0, kColumns, 0) << labels << "images"
                               << QStringList{"rows 0", "at least 1"};
    QTest::newRow("zero columns") << idxImages(kImageCount, kRows, 0, 0) << labels << "images"
                                  << QStringList{"columns 0", "at least 1"};
    QTest::newRow("zero labels") << images << idxLabels(0, {}) << "labels"
                                 << QStringList{"label count 0", "at least 1"};
    QTest::newRow("rows above limit") << idxImages(kImageCount, 5000, kColumns, 0) << labels << "images"
                                      << QStringList{"rows 5000", "limit of 4096"};
    QTest::newRow("label 10") << images << idxLabels(kImageCount, QByteArray("\x01\x0A\x02", 3)) << "labels"
                              << QStringList{"label 10 of sample 1 is out of range", "0 to 9 for 10 classes"};
    QTest::newRow("label 255") << images << idxLabels(kImageCount, QByteArray("\x01\x02\xFF", 3)) << "labels"
                               << QStringList{"label 255 of sample 2 is out of range"};
    QTest::newRow("trailing images") << images + QByteArray(5, '\x7F') << labels << "images"
                                     << QStringList{"unexpected trailing data", "105 bytes after the header",
                                                    "5 more bytes follow"};
    QTest::newRow("trailing gzip labels") << images << gzip(labels + QByteArray(9, '\x01')) << "labels"
                                          << QStringList{"unexpected trailing data",
                                                         "9 more bytes follow after decompression"};
    QTest::newRow("gzip invalid block type") << withByte(gzipImages, 10, '\xFF') << labels << "images"
                                             << QStringList{"gzip data is corrupt", "invalid block type"};
    const qsizetype crcOffset = gzipImages.size() - 8;
    QTest::newRow("gzip wrong CRC") << withByte(gzipImages, crcOffset, char(~gzipImages[crcOffset]))
                                    << labels << "images"
                                    << QStringList{"gzip data is corrupt", "incorrect data check"};
    QTest::newRow("gzip stream cut") << gzipImages.left(gzipImages.size() / 2) << labels << "images"
                                     << QStringList{"gzip data ends early", "truncated"};
    QTest::newRow("gzip magic only") << QByteArray("\x1f\x8b", 2) << labels << "images"
                                     << QStringList{"gzip data ends early"};
}

void DataTest::idxRejectsCorruptFile()
{
    QFETCH(QByteArray, images);
    QFETCH(QByteArray, labels);
    QFETCH(QString, namedFile);
    QFETCH(QStringList, fragments);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString imagesPath = dir.filePath("images");
    const QString labelsPath = dir.filePath("labels");
    writeFile(imagesPath, images);
    writeFile(labelsPath, labels);

    const QString message = errorMessage(
        [&] { loadIdx(imagesPath.toStdString(), labelsPath.toStdString(), "corrupt"); });
    QVERIFY2(!message.isEmpty(), "loadIdx threw no fxlab::Error");

    const QString namedPath = namedFile == "images" ? imagesPath : labelsPath;
    QVERIFY2(message.startsWith(namedPath + ": "),
             qPrintable("message does not start with " + namedPath + ": " + message));
    for (const QString& fragment : fragments)
        QVERIFY2(message.contains(fragment), qPrintable("\"" + fragment + "\" missing from: " + message));
}

void DataTest::idxReportsMissingFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    writeFile(dir.filePath("images"), validImages());
    const QString labelsPath = dir.filePath("no-such-labels");

    const QString message = errorMessage(
        [&] { loadIdx(dir.filePath("images").toStdString(), labelsPath.toStdString(), "missing"); });
    QVERIFY2(message.startsWith(labelsPath + ": cannot open the file"), qPrintable(message));
}

void DataTest::idxFolderReportsMissingFile_data()
{
    QTest::addColumn<QString>("missingFile");

    for (const char* name :
         {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"})
        QTest::newRow(name) << name;
}

void DataTest::idxFolderReportsMissingFile()
{
    QFETCH(QString, missingFile);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    writeValidIdxFolder(dir.path(), ".gz");
    QVERIFY(QFile::remove(dir.filePath(missingFile + ".gz")));

    const QString message = errorMessage([&] { loadIdxDirectory(dir.path().toStdString()); });
    QVERIFY2(message.contains(dir.path()), qPrintable("the folder is not named: " + message));
    const QString lookedFor = missingFile + " (looked for " + missingFile + " and " + missingFile + ".gz)";
    QVERIFY2(message.contains(lookedFor), qPrintable("\"" + lookedFor + "\" missing from: " + message));
    QVERIFY2(message.count("looked for") == 1, qPrintable("files that exist are reported: " + message));
}

void DataTest::idxFolderClassNames_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<bool>("fashion");

    QTest::newRow("fashion-mnist, gzip") << "fashion-mnist" << ".gz" << true;
    QTest::newRow("Fashion_MNIST, plain") << "Fashion_MNIST" << "" << true;
    QTest::newRow("MY-FASHION-DATA, trailing slash") << "MY-FASHION-DATA/" << ".gz" << true;
    QTest::newRow("mnist, plain") << "mnist" << "" << false;
    QTest::newRow("digits, gzip") << "digits" << ".gz" << false;
}

void DataTest::idxFolderClassNames()
{
    QFETCH(QString, folder);
    QFETCH(QString, suffix);
    QFETCH(bool, fashion);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(folder);
    writeValidIdxFolder(path, suffix);

    const DatasetPair pair = loadDataDirectory(path.toStdString());
    const std::string baseName = QDir(path).dirName().toStdString();
    QCOMPARE(pair.train.name, baseName + " train");
    QCOMPARE(pair.test.name, baseName + " test");
    QCOMPARE(pair.train.count(), kImageCount);
    QCOMPARE(pair.test.count(), kImageCount);
    QCOMPARE(pair.train.pixels, pair.test.pixels);

    const std::vector<std::string> expected = fashion
        ? std::vector<std::string>{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                                   "Sneaker", "Bag", "Ankle boot"}
        : std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    QCOMPARE(pair.train.classNames, expected);
    QCOMPARE(pair.test.classNames, expected);
}

void DataTest::idxLoadLogsOneInfoLine()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    writeFile(dir.filePath("images"), gzip(validImages()));
    writeFile(dir.filePath("labels"), validLabels());

    capturedDataMessages.clear();
    const QtMessageHandler previous = qInstallMessageHandler(captureDataMessages);
    loadIdx(dir.filePath("images").toStdString(), dir.filePath("labels").toStdString(), "tiny");
    qInstallMessageHandler(previous);

    QCOMPARE(capturedDataMessages.size(), 1);
    const QRegularExpression expected(QString("^%1 loaded tiny: 3 samples of 1x5x7 in 10 classes, in \\d+ ms$")
                                          .arg(int(QtInfoMsg)));
    QVERIFY2(expected.match(capturedDataMessages[0]).hasMatch(), qPrintable(capturedDataMessages[0]));
}

void DataTest::copyNormalizedDividesBy255()
{
    Dataset dataset;
    dataset.name = "two samples";
    dataset.shape = {1, 1, 3};
    dataset.classes = 2;
    dataset.pixels = {0, 51, 255, 128, 1, 254};
    dataset.labels = {0, 1};

    float out[3] = {};
    dataset.copyNormalized(1, out);
    QCOMPARE(out[0], 128.0f / 255.0f);
    QCOMPARE(out[1], 1.0f / 255.0f);
    QCOMPARE(out[2], 254.0f / 255.0f);
    dataset.copyNormalized(0, out);
    QCOMPARE(out[0], 0.0f);
    QCOMPARE(out[1], 0.2f);
    QCOMPARE(out[2], 1.0f);

    const QString message = errorMessage([&] { dataset.copyNormalized(2, out); });
    QVERIFY2(message.contains("sample index 2 is out of range") && message.contains("2 samples"), qPrintable(message));
}

void DataTest::cifarReadsEveryValue_data()
{
    QTest::addColumn<bool>("withMeta");

    QTest::newRow("standard names") << false;
    QTest::newRow("names from batches.meta.txt") << true;
}

void DataTest::cifarReadsEveryValue()
{
    QFETCH(bool, withMeta);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    writeValidCifarFolder(dir.path());
    std::vector<std::string> expectedNames = {"airplane", "automobile", "bird", "cat", "deer",
                                              "dog", "frog", "horse", "ship", "truck"};
    if (withMeta) {
        writeFile(dir.filePath("batches.meta.txt"), "plane\r\ncar\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n");
        expectedNames[0] = "plane";
        expectedNames[1] = "car";
    }

    const DatasetPair pair = loadDataDirectory(dir.path().toStdString());
    QCOMPARE(pair.train.count(), 5 * kCifarRecordsPerFile);
    QCOMPARE(pair.test.count(), kCifarRecordsPerFile);

    for (const Dataset* dataset : {&pair.train, &pair.test}) {
        QCOMPARE(shapeText(dataset->shape), QString("3x32x32"));
        QCOMPARE(dataset->classes, 10);
        QCOMPARE(dataset->classNames, expectedNames);
        QCOMPARE(dataset->pixels.size(), size_t(dataset->count()) * 3072);

        for (int sample = 0; sample < dataset->count(); ++sample) {
            const int file = dataset == &pair.test ? 5 : sample / kCifarRecordsPerFile;
            const int record = sample % kCifarRecordsPerFile;
            QCOMPARE(dataset->labels[size_t(sample)], cifarLabel(file, record));
            for (int element = 0; element < 3072; ++element) {
                const int actual = dataset->pixels[size_t(sample) * 3072 + size_t(element)];
                QVERIFY2(actual == cifarPixel(file, record, element),
                         qPrintable(QString("%1 sample %2 element %3: read %4, expected %5")
                                        .arg(QString::fromStdString(dataset->name)).arg(sample).arg(element)
                                        .arg(actual).arg(cifarPixel(file, record, element))));
            }
        }
    }
}

void DataTest::cifarRejectsCorruptFolder_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<bool>("remove");
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QStringList>("fragments");

    const QByteArray batch = cifarBatch(2);
    QTest::newRow("one byte short") << "data_batch_3.bin" << false << batch.left(batch.size() - 1)
                                    << QStringList{"file size 6145 bytes is not a multiple", "3073-byte records",
                                                   "1 whole record and 3072 bytes left over"};
    QTest::newRow("one byte extra") << "test_batch.bin" << false << batch + QByteArray(1, '\0')
                                    << QStringList{"file size 6147 bytes is not a multiple",
                                                   "2 whole records and 1 byte left over"};
    QTest::newRow("empty") << "data_batch_1.bin" << false << QByteArray() << QStringList{"the file is empty"};
    QTest::newRow("label 10") << "data_batch_5.bin" << false << withByte(batch, kCifarRecordBytes, '\x0A')
                              << QStringList{"label 10 of record 1 is out of range", "0 to 9"};
    QTest::newRow("nine class names") << "batches.meta.txt" << false << QByteArray("a\nb\nc\nd\ne\nf\ng\nh\ni\n")
                                      << QStringList{"lists 9 class names, expected 10"};
    QTest::newRow("missing test batch") << "test_batch.bin" << true << QByteArray()
                                        << QStringList{"CIFAR-10 folder", "is missing test_batch.bin"};
    QTest::newRow("missing batch 4") << "data_batch_4.bin" << true << QByteArray()
                                     << QStringList{"is missing data_batch_4.bin;", "data_batch_1.bin to"};
}

void DataTest::cifarRejectsCorruptFolder()
{
    QFETCH(QString, fileName);
    QFETCH(bool, remove);
    QFETCH(QByteArray, contents);
    QFETCH(QStringList, fragments);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    writeValidCifarFolder(dir.path());
    if (remove)
        QVERIFY(QFile::remove(dir.filePath(fileName)));
    else
        writeFile(dir.filePath(fileName), contents);

    const QString message = errorMessage([&] { loadCifar10Directory(dir.path().toStdString()); });
    QVERIFY2(!message.isEmpty(), "loadCifar10Directory threw no fxlab::Error");

    const QString named = remove ? dir.path() : dir.filePath(fileName) + ": ";
    QVERIFY2(message.contains(named), qPrintable("\"" + named + "\" missing from: " + message));
    for (const QString& fragment : fragments)
        QVERIFY2(message.contains(fragment), qPrintable("\"" + fragment + "\" missing from: " + message));
}

void DataTest::dataFolderReportsWhatWasLookedFor()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    writeFile(dir.filePath("readme.txt"), "not a data set");

    const QString message = errorMessage([&] { loadDataDirectory(dir.path().toStdString()); });
    QVERIFY2(message.contains("no data set found in the folder " + dir.path()), qPrintable(message));
    for (const char* name : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                             "t10k-labels-idx1-ubyte", "with or without .gz", "data_batch_1.bin",
                             "data_batch_5.bin", "test_batch.bin"})
        QVERIFY2(message.contains(name), qPrintable(QString("\"%1\" missing from: %2").arg(name, message)));
}

void DataTest::dataFolderMustExist()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString missing = dir.filePath("no-such-folder");

    for (const auto& load : {loadDataDirectory, loadIdxDirectory, loadCifar10Directory}) {
        const QString message = errorMessage([&] { load(missing.toStdString()); });
        QVERIFY2(message.contains(missing + " does not exist"), qPrintable(message));
    }
}

void DataTest::shuffledOrderIsPermutation_data()
{
    QTest::addColumn<int>("count");

    for (int count : {0, 1, 2, 13, 127, 1000, 60000})
        QTest::addRow("%d samples", count) << count;
}

void DataTest::shuffledOrderIsPermutation()
{
    QFETCH(int, count);

    const std::vector<uint32_t> order = shuffledOrder(count, 0x5EED, 3);
    QCOMPARE(order.size(), size_t(count));

    std::vector<int> seen(size_t(count), 0);
    for (uint32_t index : order) {
        QVERIFY2(index < uint32_t(count), qPrintable(QString("index %1 out of range").arg(index)));
        ++seen[index];
    }
    for (int index = 0; index < count; ++index) {
        const int times = seen[size_t(index)];
        QVERIFY2(times == 1, qPrintable(QString("index %1 appears %2 times").arg(index).arg(times)));
    }
}

void DataTest::shuffledOrderDependsOnSeedAndEpoch()
{
    const std::vector<uint32_t> order = shuffledOrder(1000, 42, 7);
    QCOMPARE(shuffledOrder(1000, 42, 7), order);
    QVERIFY2(shuffledOrder(1000, 42, 8) != order, "another epoch gives the same order");
    QVERIFY2(shuffledOrder(1000, 43, 7) != order, "another seed gives the same order");
    QVERIFY2(shuffledOrder(1000, 42 + (uint64_t{1} << 32), 7) != order, "the high word of the seed is ignored");

    std::vector<uint32_t> identity(order.size());
    std::iota(identity.begin(), identity.end(), 0u);
    QVERIFY2(order != identity, "the order is not shuffled");
}

void DataTest::shuffledOrderMatchesReference_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<qulonglong>("seed");
    QTest::addColumn<uint>("epoch");

    QTest::newRow("13 samples, seed 1, epoch 0") << 13 << qulonglong(1) << 0u;
    QTest::newRow("127 samples, seed 2^40+5, epoch 9") << 127 << qulonglong((uint64_t{1} << 40) + 5) << 9u;
    QTest::newRow("60000 samples, seed 12345, epoch 2") << 60000 << qulonglong(12345) << 2u;
}

void DataTest::shuffledOrderMatchesReference()
{
    QFETCH(int, count);
    QFETCH(qulonglong, seed);
    QFETCH(uint, epoch);

    const std::vector<uint32_t> order = shuffledOrder(count, seed, epoch);
    const std::vector<uint32_t> expected = referenceShuffle(count, seed, epoch);
    QVERIFY2(order == expected,
             qPrintable("order starts " + prefix(order) + ", the reference starts " + prefix(expected)));
}

void DataTest::syntheticPatternsAreSeparable_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<Shape>("shape");
    QTest::addColumn<int>("classes");

    QTest::newRow("MNIST-like") << 100 << Shape{1, 28, 28} << 10;
    QTest::newRow("3x13x15, 7 classes") << 37 << Shape{3, 13, 15} << 7;
    QTest::newRow("vector of 16, 4 classes") << 21 << Shape{16, 1, 1} << 4;
    QTest::newRow("one element per class") << 10 << Shape{1, 1, 3} << 3;
    QTest::newRow("one class") << 4 << Shape{2, 3, 3} << 1;
    QTest::newRow("no samples") << 0 << Shape{1, 4, 4} << 2;
}

void DataTest::syntheticPatternsAreSeparable()
{
    QFETCH(int, count);
    QFETCH(Shape, shape);
    QFETCH(int, classes);

    const Dataset dataset = syntheticDataset(count, shape, classes, 99, "synthetic");
    QCOMPARE(dataset.name, std::string("synthetic"));
    QCOMPARE(dataset.count(), count);
    QCOMPARE(shapeText(dataset.shape), shapeText(shape));
    QCOMPARE(dataset.classes, classes);
    QCOMPARE(dataset.classNames.size(), size_t(classes));
    QCOMPARE(dataset.classNames.back(), "class " + std::to_string(classes - 1));
    QCOMPARE(dataset.pixels.size(), size_t(count) * shape.size());

    std::vector<int> perClass(size_t(classes), 0);
    for (int sample = 0; sample < count; ++sample) {
        const int label = dataset.labels[size_t(sample)];
        QVERIFY2(label < classes, qPrintable(QString("sample %1 has label %2").arg(sample).arg(label)));
        ++perClass[size_t(label)];
        QVERIFY2(brightestSlice(dataset, sample) == label,
                 qPrintable(QString("sample %1 of class %2 is brightest in slice %3")
                                .arg(sample).arg(label).arg(brightestSlice(dataset, sample))));
    }
    const auto [fewest, most] = std::minmax_element(perClass.begin(), perClass.end());
    QVERIFY2(*most - *fewest <= 1, qPrintable(QString("class sizes range from %1 to %2").arg(*fewest).arg(*most)));
}

void DataTest::syntheticDatasetIsSeeded()
{
    const Shape shape{1, 9, 11};
    const Dataset first = syntheticDataset(50, shape, 5, 7, "first");
    QCOMPARE(syntheticDataset(50, shape, 5, 7, "again").pixels, first.pixels);
    QVERIFY2(syntheticDataset(50, shape, 5, 8, "other seed").pixels != first.pixels,
             "another seed gives the same noise");

    const bool noiseVaries = std::any_of(first.pixels.begin(), first.pixels.end(),
                                         [&](uint8_t value) { return value != first.pixels[0]; });
    QVERIFY2(noiseVaries, "every pixel has the same value");
}

void DataTest::syntheticRejectsInvalidArguments_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<Shape>("shape");
    QTest::addColumn<int>("classes");
    QTest::addColumn<QString>("fragment");

    QTest::newRow("negative count") << -1 << Shape{1, 4, 4} << 2 << "sample count is -1";
    QTest::newRow("zero channels") << 10 << Shape{0, 4, 4} << 2 << "the shape is 0x4x4";
    QTest::newRow("zero classes") << 10 << Shape{1, 4, 4} << 0 << "classes is 0, use 1 to 256";
    QTest::newRow("257 classes") << 10 << Shape{1, 32, 32} << 257 << "classes is 257, use 1 to 256";
    QTest::newRow("fewer elements than classes") << 10 << Shape{1, 2, 2} << 5 << "fewer elements than the 5 classes";
}

void DataTest::syntheticRejectsInvalidArguments()
{
    QFETCH(int, count);
    QFETCH(Shape, shape);
    QFETCH(int, classes);
    QFETCH(QString, fragment);

    const QString message = errorMessage([&] { syntheticDataset(count, shape, classes, 1, "invalid"); });
    QVERIFY2(message.contains(fragment), qPrintable("\"" + fragment + "\" missing from: " + message));
}

// Fashion-MNIST is part of the development setup, so a missing folder fails this test.
void DataTest::fashionMnistLoads()
{
    QVERIFY2(QDir(kFashionMnistFolder).exists(),
             qPrintable(kFashionMnistFolder + " does not exist; install the Fashion-MNIST data set there"));

    QElapsedTimer timer;
    timer.start();
    const DatasetPair pair = loadIdxDirectory(kFashionMnistFolder.toStdString());
    qInfo("Fashion-MNIST loaded in %lld ms", static_cast<long long>(timer.elapsed()));

    QCOMPARE(pair.train.count(), 60000);
    QCOMPARE(pair.test.count(), 10000);
    QCOMPARE(pair.train.name, std::string("fashion-mnist train"));
    QCOMPARE(pair.train.classNames.front(), std::string("T-shirt/top"));
    QCOMPARE(pair.train.classNames.back(), std::string("Ankle boot"));

    for (const auto& [dataset, perClassCount] : {std::pair{&pair.train, 6000}, std::pair{&pair.test, 1000}}) {
        QCOMPARE(shapeText(dataset->shape), QString("1x28x28"));
        QCOMPARE(dataset->classes, 10);
        QCOMPARE(dataset->classNames.size(), size_t(10));
        QCOMPARE(dataset->pixels.size(), size_t(dataset->count()) * 28 * 28);

        std::vector<int> perClass(10, 0);
        for (uint8_t label : dataset->labels) {
            QVERIFY2(label < 10, qPrintable(QString("label %1").arg(label)));
            ++perClass[label];
        }
        for (int label = 0; label < 10; ++label)
            QVERIFY2(perClass[size_t(label)] == perClassCount,
                     qPrintable(QString("%1: class %2 has %3 samples, expected %4")
                                    .arg(QString::fromStdString(dataset->name)).arg(label)
                                    .arg(perClass[size_t(label)]).arg(perClassCount)));
    }
}

QTEST_GUILESS_MAIN(DataTest)
#include "test_data.moc"
