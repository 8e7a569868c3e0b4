#include "backend/cpu/thread_pool.h"

#include <algorithm>

namespace fxlab {

namespace {

// The share of `count` items of part `index` out of `parts`.
std::pair<size_t, size_t> chunkOf(size_t count, size_t parts, size_t index)
{
    const size_t base = count / parts, extra = count % parts;
    const size_t begin = index * base + std::min(index, extra);
    return {begin, begin + base + (index < extra ? 1 : 0)};
}

} // namespace

ThreadPool::ThreadPool(int threads)
{
    if (threads <= 0)
        threads = int(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 1; i < threads; ++i)
        workers_.emplace_back([this] { workerLoop(); });
}

ThreadPool::~ThreadPool()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& worker : workers_)
        worker.join();
}

void ThreadPool::parallelFor(size_t count, const std::function<void(size_t, size_t)>& body)
{
    if (workers_.empty() || count < 2) {
        body(0, count);
        return;
    }
    {
        std::lock_guard lock(mutex_);
        body_ = &body;
        count_ = count;
        parts_ = std::min(count, size_t(threadCount()) * kChunksPerThread);
        nextChunk_.store(0);
        pending_ = workers_.size();
        ++generation_;
    }
    wake_.notify_all();

    runChunks(body, count, parts_);

    std::unique_lock lock(mutex_);
    done_.wait(lock, [this] { return pending_ == 0; });
    body_ = nullptr;
}

void ThreadPool::runChunks(const std::function<void(size_t, size_t)>& body, size_t count, size_t parts)
{
    for (size_t index = nextChunk_.fetch_add(1); index < parts; index = nextChunk_.fetch_add(1)) {
        const auto [begin, end] = chunkOf(count, parts, index);
        if (begin < end)
            body(begin, end);
    }
}

void ThreadPool::workerLoop()
{
    size_t seenGeneration = 0;
    for (;;) {
        const std::function<void(size_t, size_t)>* body;
        size_t count, parts;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || generation_ != seenGeneration; });
            if (stopping_)
                return;
            seenGeneration = generation_;
            body = body_;
            count = count_;
            parts = parts_;
        }
        runChunks(*body, count, parts);

        {
            std::lock_guard lock(mutex_);
            --pending_;
        }
        done_.notify_one();
    }
}

} // namespace fxlab
