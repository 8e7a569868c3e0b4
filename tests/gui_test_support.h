// What the window tests share: a small synthetic data set and network that train in
// milliseconds a step, the CPU backend on one thread, and accessors for the window's run.
#pragma once

#include "main_window.h"

#include "backend/backend_factory.h"
#include "data/dataset.h"
#include "model/network.h"
#include "train/snapshot.h"

#include <QAction>
#include <QString>
#include <QTest>

#include <memory>

namespace fxlab::gui::test {

// Generous, because ctest may run other tests on the same cores at the same time.
constexpr int kTimeoutMilliseconds = 60000;

const Shape kSampleShape{1, 8, 8};
constexpr int kClasses = 4;

// 256 training and `testSamples` test samples of 1x8x8 in four classes. The test set's seed is
// `trainSeed` + 1.
inline std::shared_ptr<const DatasetPair> syntheticData(uint64_t trainSeed = 21, int testSamples = 64)
{
    auto data = std::make_shared<DatasetPair>();
    data->train = syntheticDataset(256, kSampleShape, kClasses, trainSeed, "synthetic train");
    data->test = syntheticDataset(testSamples, kSampleShape, kClasses, trainSeed + 1, "synthetic test");
    return data;
}

// conv 3x3x4, ReLU, max-pool, flatten, dense 4 and softmax cross-entropy on 1x8x8 samples.
inline NetworkSpec tinyNetwork()
{
    NetworkSpec network;
    network.input = kSampleShape;
    network.layers = {convolution("conv1", 4, 3), relu("relu1"), maxPool("pool1"), flatten("flatten"),
                      dense("dense1", kClasses), softmaxCrossEntropy("loss")};
    return network;
}

inline BackendChoice cpuBackend()
{
    BackendChoice backend;
    backend.name = "cpu";
    backend.threads = 1;
    return backend;
}

// The name of the run state, which QCOMPARE can print.
inline QString stateOf(const MainWindow& window)
{
    return QString::fromLatin1(toString(window.latestSnapshot() ? window.latestSnapshot()->state : RunState::Idle));
}

inline uint32_t stepOf(const MainWindow& window)
{
    return window.latestSnapshot() ? window.latestSnapshot()->step : 0;
}

// Triggers the window's action `actionName`, which must exist and be enabled.
inline void trigger(MainWindow& window, const char* actionName)
{
    QAction* action = window.findChild<QAction*>(actionName);
    QVERIFY2(action, actionName);
    QVERIFY2(action->isEnabled(), actionName);
    action->trigger();
}

} // namespace fxlab::gui::test
