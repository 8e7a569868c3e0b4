// Sequential reading of data files, plain or gzip-compressed, in bounded chunks.
#pragma once

#include <QFile>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct z_stream_s;

namespace fxlab {

// The bytes of one file in order, decompressed when the file starts with the gzip magic bytes
// 0x1f 0x8b. Throws fxlab::Error naming the file when it cannot be opened or read, or when the
// gzip data is corrupt or ends early.
class ByteSource {
public:
    explicit ByteSource(const std::string& path);
    ~ByteSource();
    ByteSource(const ByteSource&) = delete;
    ByteSource& operator=(const ByteSource&) = delete;

    const std::string& path() const { return path_; }
    bool isGzip() const { return inflater_ != nullptr; }

    // The bytes left in a plain file, or nothing for a gzip file, whose decompressed size is
    // known only once it has been read.
    std::optional<uint64_t> remainingPlainBytes() const;

    // Reads up to `size` bytes into `out` and returns how many were read: fewer than `size` only at
    // the end of the data.
    size_t read(uint8_t* out, size_t size);

private:
    size_t readPlain(uint8_t* out, size_t size);
    size_t readGzip(uint8_t* out, size_t size);
    bool refillCompressed();
    [[noreturn]] void fail(const std::string& problem) const;

    std::string path_;
    QFile file_;
    std::unique_ptr<z_stream_s> inflater_;  // null for plain files
    std::vector<uint8_t> compressed_;       // input buffer of the inflater
    bool memberEnded_ = false;              // the last gzip member was complete
};

// Reads until `limit` bytes or the end of the data. Memory grows with the bytes that really
// arrive, so a `limit` taken from a corrupt header never causes a large allocation by itself.
std::vector<uint8_t> readUpTo(ByteSource& source, uint64_t limit);

// Reads and discards up to `limit` bytes and returns how many there were. Reading on to the end
// of gzip data also checks its CRC-32.
uint64_t skipBytes(ByteSource& source, uint64_t limit);

} // namespace fxlab
