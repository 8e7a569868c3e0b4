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
        workers_.emplace_back([this, i] { workerLoop(size_t(i)); });
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
    const size_t parts = size_t(threadCount());
    if (workers_.empty() || count < 2) {
        body(0, count);
        return;
    }
    {
        std::lock_guard lock(mutex_);
        body_ = &body;
        count_ = count;
        pending_ = workers_.size();
        ++generation_;
    }
    wake_.notify_all();

    const auto [begin, end] = chunkOf(count, parts, 0);
    if (begin < end)
        body(begin, end);

    std::unique_lock lock(mutex_);
    done_.wait(lock, [this] { return pending_ == 0; });
    body_ = nullptr;
}

void ThreadPool::workerLoop(size_t workerIndex)
{
    size_t seenGeneration = 0;
    for (;;) {
        const std::function<void(size_t, size_t)>* body;
        size_t count;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || generation_ != seenGeneration; });
            if (stopping_)
                return;
            seenGeneration = generation_;
            body = body_;
            count = count_;
        }

        const auto [begin, end] = chunkOf(count, workers_.size() + 1, workerIndex);
        if (begin < end)
            (*body)(begin, end);

        {
            std::lock_guard lock(mutex_);
            --pending_;
        }
        done_.notify_one();
    }
}

} // namespace fxlab
