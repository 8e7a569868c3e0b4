// A fixed set of worker threads that split loops into contiguous chunks. Results never depend on
// the number of threads: callers give every output element to exactly one chunk and sum in a fixed
// order. Each thread takes the next chunk when it is done with one, so a thread that the system
// pauses (for the window's drawing, say) delays a step by a chunk, not by a share of the loop.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace fxlab {

class ThreadPool {
public:
    // 0 uses one thread per hardware thread.
    explicit ThreadPool(int threads = 0);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int threadCount() const { return int(workers_.size()) + 1; }

    // Calls body(begin, end) on disjoint ranges that cover [0, count), in parallel, and returns
    // when all are done. The calling thread takes chunks too.
    void parallelFor(size_t count, const std::function<void(size_t begin, size_t end)>& body);

    // Chunks per thread in a loop: enough for a thread to make up for another's pause.
    static constexpr size_t kChunksPerThread = 4;

private:
    void workerLoop();
    void runChunks(const std::function<void(size_t, size_t)>& body, size_t count, size_t parts);

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable done_;
    const std::function<void(size_t, size_t)>* body_ = nullptr;
    size_t count_ = 0;
    size_t parts_ = 0;
    std::atomic<size_t> nextChunk_{0};
    size_t generation_ = 0;
    size_t pending_ = 0;
    bool stopping_ = false;
};

} // namespace fxlab
