#include "data/byte_source.h"

#include "error.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

namespace fxlab {

namespace {

constexpr size_t kChunkBytes = size_t{1} << 20;
constexpr uint8_t kGzipMagic0 = 0x1f;
constexpr uint8_t kGzipMagic1 = 0x8b;
// windowBits for inflateInit2: a 32 KiB window, and +16 accepts only the gzip wrapper.
constexpr int kGzipWindowBits = 15 + 16;

} // namespace

ByteSource::ByteSource(const std::string& path) : path_(path), file_(QString::fromStdString(path))
{
    if (!file_.open(QIODevice::ReadOnly))
        fail("cannot open the file: " + file_.errorString().toStdString());

    char magic[2] = {};
    const bool gzip = file_.peek(magic, 2) == 2 && uint8_t(magic[0]) == kGzipMagic0
        && uint8_t(magic[1]) == kGzipMagic1;
    if (!gzip)
        return;

    auto inflater = std::make_unique<z_stream_s>();
    if (inflateInit2(inflater.get(), kGzipWindowBits) != Z_OK)
        fail("zlib could not start decompressing");
    inflater_ = std::move(inflater);
    compressed_.resize(kChunkBytes);
}

ByteSource::~ByteSource()
{
    if (inflater_)
        inflateEnd(inflater_.get());
}

std::optional<uint64_t> ByteSource::remainingPlainBytes() const
{
    if (isGzip())
        return std::nullopt;
    return uint64_t(file_.size() - file_.pos());
}

size_t ByteSource::read(uint8_t* out, size_t size)
{
    return isGzip() ? readGzip(out, size) : readPlain(out, size);
}

size_t ByteSource::readPlain(uint8_t* out, size_t size)
{
    size_t done = 0;
    while (done < size) {
        const qint64 count = file_.read(reinterpret_cast<char*>(out + done), qint64(size - done));
        if (count < 0)
            fail("reading failed: " + file_.errorString().toStdString());
        if (count == 0)
            break;
        done += size_t(count);
    }
    return done;
}

size_t ByteSource::readGzip(uint8_t* out, size_t size)
{
    z_stream_s& stream = *inflater_;
    size_t done = 0;
    while (done < size) {
        if (stream.avail_in == 0 && !refillCompressed()) {
            if (!memberEnded_)
                fail("the gzip data ends early: the .gz file is truncated; download it again");
            break;
        }

        // More input after a complete member is another member, as in concatenated .gz files.
        if (memberEnded_) {
            inflateReset(&stream);
            memberEnded_ = false;
        }

        const size_t request = std::min<size_t>(size - done, UINT_MAX);
        stream.next_out = out + done;
        stream.avail_out = uInt(request);
        const int status = inflate(&stream, Z_NO_FLUSH);
        done += request - stream.avail_out;

        if (status == Z_STREAM_END) {
            memberEnded_ = true;
        } else if (status != Z_OK) {
            const std::string reason = stream.msg ? stream.msg : "status " + std::to_string(status);
            fail("the gzip data is corrupt (zlib: " + reason + "); download the file again");
        }
    }
    return done;
}

bool ByteSource::refillCompressed()
{
    const qint64 count = file_.read(reinterpret_cast<char*>(compressed_.data()), qint64(compressed_.size()));
    if (count < 0)
        fail("reading failed: " + file_.errorString().toStdString());
    inflater_->next_in = compressed_.data();
    inflater_->avail_in = uInt(count);
    return count > 0;
}

void ByteSource::fail(const std::string& problem) const
{
    throw Error(path_ + ": " + problem);
}

std::vector<uint8_t> readUpTo(ByteSource& source, uint64_t limit)
{
    std::vector<uint8_t> data;
    if (const auto plainBytes = source.remainingPlainBytes())
        data.reserve(size_t(std::min(limit, *plainBytes)));

    while (data.size() < limit) {
        const size_t oldSize = data.size();
        const size_t chunk = size_t(std::min<uint64_t>(kChunkBytes, limit - oldSize));
        // Grow geometrically but never past `limit`, so that gzip data costs amortized linear time.
        if (data.capacity() < oldSize + chunk)
            data.reserve(size_t(std::min<uint64_t>(limit, std::max(2 * data.capacity(), oldSize + chunk))));

        data.resize(oldSize + chunk);
        const size_t count = source.read(data.data() + oldSize, chunk);
        data.resize(oldSize + count);
        if (count < chunk)
            break;
    }
    return data;
}

uint64_t skipBytes(ByteSource& source, uint64_t limit)
{
    std::vector<uint8_t> scratch(size_t(std::min<uint64_t>(kChunkBytes, limit)));
    uint64_t skipped = 0;
    while (skipped < limit) {
        const size_t chunk = size_t(std::min<uint64_t>(scratch.size(), limit - skipped));
        const size_t count = source.read(scratch.data(), chunk);
        skipped += count;
        if (count < chunk)
            break;
    }
    return skipped;
}

} // namespace fxlab
