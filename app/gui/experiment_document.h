// The experiment being edited in the window: the network and precision plan that the network
// builder and the precision matrix show, with undo and redo. Every edit is one undo command that
// stores the whole network and plan before and after, so undo restores them exactly.
#pragma once

#include "model/experiment.h"

#include <QObject>
#include <QString>

#include <optional>
#include <vector>

class QUndoStack;

namespace fxlab::gui {

// One tensor of a precision plan: a layer's tensor of some kind, or the input of the network.
struct TensorCell {
    static constexpr int kInputLayer = -1;

    int layer = kInputLayer;
    TensorKind kind = TensorKind::Activations;  // unused for the input

    bool isInput() const { return layer == kInputLayer; }
    bool operator==(const TensorCell&) const = default;
};

// A change to some fields of a tensor precision; the fields left empty keep their values.
struct PrecisionChange {
    std::optional<bool> isFloat;
    std::optional<int> wordBits;
    std::optional<int> fractionalLength;
    std::optional<RoundingMode> rounding;
    std::optional<OverflowMode> overflow;
    std::optional<FractionalLengthPolicy> policy;
    std::optional<int> policyInterval;

    // A change that sets every field to those of `precision`.
    static PrecisionChange replacingWith(const TensorPrecision& precision);

    bool empty() const;
    // Whether the change sets a field of the fixed-point format (word bits, fractional length,
    // rounding, overflow, policy or interval).
    bool touchesFixedPoint() const;
    TensorPrecision appliedTo(TensorPrecision precision) const;
    // The fields it sets, for undo entries and messages: "word bits 6, rounding stochastic".
    QString describe() const;
};

class ExperimentDocument : public QObject {
    Q_OBJECT

public:
    explicit ExperimentDocument(QObject* parent = nullptr);
    ~ExperimentDocument() override;

    const Experiment& experiment() const { return experiment_; }
    const NetworkSpec& network() const { return experiment_.network; }
    const PrecisionPlan& plan() const { return experiment_.precision; }
    QUndoStack* undoStack() const { return undoStack_; }

    // The class count of the training data, which the last layer must match. It is 10 until the
    // run's data gives another count.
    int classCount() const { return classCount_; }
    void setClassCount(int classes);

    // Shape inference of the edited network against the class count.
    const ShapeReport& shapes() const { return shapes_; }
    bool isValid() const { return shapes_.valid(); }
    // The problem to show on each layer's row: its own shape error or, for a class count that
    // does not fit, the last layer with weights. Empty strings where a layer is fine.
    const std::vector<QString>& layerProblems() const { return layerProblems_; }
    // A problem of the whole network that belongs to no row, such as a missing output layer.
    const QString& networkProblem() const { return networkProblem_; }
    // The first problem in words, prefixed with the layer's position and name; empty when valid.
    QString firstProblem() const;

    // Replaces the experiment without an undo entry and clears the undo history: used when the
    // run's experiment is replaced from outside the editors (a preset, a file, another run).
    void reset(const Experiment& experiment);

    // Network edits, each one undo step. The softmax cross-entropy output stays the last layer:
    // new layers go before it, and it cannot be moved or removed.
    // Inserts a layer of `type` with a unique name and usable defaults at `position` (clamped to
    // before the output) and returns its index. Its precision is copied from the nearest layer of
    // the same type, or float when there is none.
    int addLayer(LayerType type, int position);
    // Appends a softmax cross-entropy output when the network has none.
    void addOutputLayer();
    void removeLayer(int index);
    // Moves the layer at `from` to `to`; both must be above the output layer.
    void moveLayer(int from, int to);
    // Replaces the parameters of the layer at `index`. Successive edits of the same field of the
    // same layer merge into one undo step, so typing "16" into a spin box is undone at once.
    void editLayer(int index, const LayerSpec& layer);
    // Replaces network and plan in one undo step, e.g. to discard edits not yet applied to the run.
    void replaceNetwork(const NetworkSpec& network, const PrecisionPlan& plan, const QString& description);

    bool canMove(int from, int to) const;
    bool canRemove(int index) const;
    bool isOutputLayer(int index) const;

    // Precision edits, one undo step for all `cells` together. Returns the reason when the change
    // is rejected, in which case nothing changes: a cell without that tensor, a fixed-point field
    // on a float tensor, a fractional length under a data-driven policy, or a format that the
    // core validation rejects.
    std::optional<QString> changePrecision(const std::vector<TensorCell>& cells, const PrecisionChange& change);
    // The reason changePrecision would give, without changing anything.
    std::optional<QString> checkPrecisionChange(const std::vector<TensorCell>& cells,
                                                const PrecisionChange& change) const;

    bool hasTensor(const TensorCell& cell) const;
    const TensorPrecision& precision(const TensorCell& cell) const;
    // "conv1 weights", "input".
    QString tensorName(const TensorCell& cell) const;

signals:
    // Layers were added, removed, moved or edited, or the input shape or class count changed.
    void networkChanged();
    void planChanged();

private:
    class EditCommand;
    friend class EditCommand;

    void push(const NetworkSpec& network, const PrecisionPlan& plan, const QString& description,
              const QString& mergeKey = {});
    void assign(const NetworkSpec& network, const PrecisionPlan& plan);
    void updateShapes();
    std::optional<QString> planWithChange(const std::vector<TensorCell>& cells, const PrecisionChange& change,
                                          PrecisionPlan& plan) const;
    std::optional<QString> rejectionFor(const TensorCell& cell, const PrecisionChange& change,
                                        TensorPrecision& result) const;

    Experiment experiment_;
    int classCount_ = 10;
    ShapeReport shapes_;
    std::vector<QString> layerProblems_;
    QString networkProblem_;
    QUndoStack* undoStack_ = nullptr;
};

// "relu1 has no activation gradients", with the reason for the first layer.
QString absentTensorReason(const NetworkSpec& network, const TensorCell& cell);
// Names of tensor kinds for people: "activation gradients" rather than "activation-gradients".
QString kindLabel(TensorKind kind);

} // namespace fxlab::gui
