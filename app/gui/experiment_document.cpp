#include "experiment_document.h"

#include <QUndoCommand>
#include <QUndoStack>

#include <algorithm>
#include <set>

namespace fxlab::gui {

namespace {

// Parameters a new layer starts with: a 3x3 convolution padded to keep its map size, and a hidden
// dense layer of moderate width.
constexpr int kNewFilters = 8;
constexpr int kNewKernel = 3;
constexpr int kNewPadding = 1;
constexpr int kNewUnits = 32;

QString nameBase(LayerType type)
{
    switch (type) {
    case LayerType::Convolution:
        return "conv";
    case LayerType::ReLU:
        return "relu";
    case LayerType::MaxPool:
        return "pool";
    case LayerType::AveragePool:
        return "avgpool";
    case LayerType::Flatten:
        return "flatten";
    case LayerType::Dense:
        return "dense";
    case LayerType::SoftmaxCrossEntropy:
        return "loss";
    }
    return "layer";
}

// The first of base1, base2, ... that no layer of `network` is called.
std::string uniqueName(const NetworkSpec& network, LayerType type)
{
    std::set<std::string> taken;
    for (const LayerSpec& layer : network.layers)
        taken.insert(layer.name);
    const std::string base = nameBase(type).toStdString();
    for (int number = 1;; ++number) {
        std::string name = base + std::to_string(number);
        if (!taken.count(name))
            return name;
    }
}

LayerSpec newLayer(const NetworkSpec& network, LayerType type)
{
    const std::string name = uniqueName(network, type);
    switch (type) {
    case LayerType::Convolution:
        return convolution(name, kNewFilters, kNewKernel, 1, kNewPadding);
    case LayerType::Dense:
        return dense(name, kNewUnits);
    case LayerType::MaxPool:
        return maxPool(name);
    case LayerType::AveragePool:
        return averagePool(name);
    case LayerType::Flatten:
        return flatten(name);
    case LayerType::SoftmaxCrossEntropy:
        return softmaxCrossEntropy(name);
    case LayerType::ReLU:
        break;
    }
    return relu(name);
}

// The precision of the layer of the same type nearest to `position` (above before below at equal
// distance), or float everywhere when the network has no layer of that type.
LayerPrecision precisionForNewLayer(const NetworkSpec& network, const PrecisionPlan& plan, LayerType type,
                                    int position)
{
    const int count = int(network.layers.size());
    for (int distance = 0; distance < count; ++distance) {
        for (int candidate : {position - 1 - distance, position + distance}) {
            if (candidate < 0 || candidate >= count || size_t(candidate) >= plan.layers.size())
                continue;
            if (network.layers[size_t(candidate)].type == type)
                return plan.layers[size_t(candidate)];
        }
    }
    LayerPrecision floats;
    floats.fill(TensorPrecision::floatingPoint());
    return floats;
}

QString layerLabel(const LayerSpec& layer)
{
    return QString::fromStdString(layer.name);
}

// The name of the one field in which `before` and `after` differ, or empty when they differ in
// none or in several.
QString changedField(const LayerSpec& before, const LayerSpec& after)
{
    QStringList fields;
    if (before.name != after.name)
        fields << "name";
    if (before.filters != after.filters)
        fields << "filters";
    if (before.kernel != after.kernel)
        fields << "kernel";
    if (before.stride != after.stride)
        fields << "stride";
    if (before.padding != after.padding)
        fields << "padding";
    if (before.units != after.units)
        fields << "units";
    if (before.bias != after.bias)
        fields << "bias";
    if (before.type != after.type)
        fields << "type";
    return fields.size() == 1 ? fields.first() : QString();
}

QString fieldValue(const LayerSpec& layer, const QString& field)
{
    if (field == "name")
        return QString::fromStdString(layer.name);
    if (field == "filters")
        return QString::number(layer.filters);
    if (field == "kernel")
        return QString::number(layer.kernel);
    if (field == "stride")
        return QString::number(layer.stride);
    if (field == "padding")
        return QString::number(layer.padding);
    if (field == "units")
        return QString::number(layer.units);
    if (field == "bias")
        return layer.bias ? "on" : "off";
    return {};
}

} // namespace

QString kindLabel(TensorKind kind)
{
    return QString::fromLatin1(toString(kind)).replace('-', ' ');
}

QString absentTensorReason(const NetworkSpec& network, const TensorCell& cell)
{
    if (cell.isInput() || cell.layer >= int(network.layers.size()))
        return "there is no such tensor";
    const LayerSpec& layer = network.layers[size_t(cell.layer)];
    QString reason = QString::fromStdString(layer.name) + " has no " + kindLabel(cell.kind);
    if (cell.layer == 0 && cell.kind == TensorKind::ActivationGradients && fxlab::hasTensor(layer, cell.kind))
        reason += ", because it is the first layer and nothing below it takes an error";
    return reason;
}

PrecisionChange PrecisionChange::replacingWith(const TensorPrecision& precision)
{
    PrecisionChange change;
    change.isFloat = precision.isFloat;
    change.wordBits = precision.spec.format.wordBits;
    change.fractionalLength = precision.spec.format.fractionalLength;
    change.rounding = precision.spec.rounding;
    change.overflow = precision.spec.overflow;
    change.policy = precision.policy;
    change.policyInterval = precision.policyInterval;
    return change;
}

bool PrecisionChange::empty() const
{
    return !isFloat && !touchesFixedPoint();
}

bool PrecisionChange::touchesFixedPoint() const
{
    return wordBits || fractionalLength || rounding || overflow || policy || policyInterval;
}

TensorPrecision PrecisionChange::appliedTo(TensorPrecision precision) const
{
    if (isFloat)
        precision.isFloat = *isFloat;
    if (wordBits)
        precision.spec.format.wordBits = *wordBits;
    if (fractionalLength)
        precision.spec.format.fractionalLength = *fractionalLength;
    if (rounding)
        precision.spec.rounding = *rounding;
    if (overflow)
        precision.spec.overflow = *overflow;
    if (policy)
        precision.policy = *policy;
    if (policyInterval)
        precision.policyInterval = *policyInterval;
    return precision;
}

QString PrecisionChange::describe() const
{
    QStringList parts;
    if (isFloat)
        parts << (*isFloat ? "float" : "fixed point");
    if (wordBits)
        parts << QString("word bits %1").arg(*wordBits);
    if (fractionalLength)
        parts << QString("fractional length %1").arg(*fractionalLength);
    if (policy)
        parts << "policy " + QString::fromLatin1(toString(*policy));
    if (policyInterval)
        parts << (*policyInterval > 0 ? QString("every %1 steps").arg(*policyInterval) : QString("chosen once"));
    if (rounding)
        parts << "rounding " + QString::fromLatin1(toString(*rounding));
    if (overflow)
        parts << "overflow " + QString::fromLatin1(toString(*overflow));
    return parts.join(", ");
}

// One edit: the whole network and plan before and after it.
class ExperimentDocument::EditCommand : public QUndoCommand {
public:
    static constexpr int kMergeableId = 1;

    EditCommand(ExperimentDocument* document, NetworkSpec network, PrecisionPlan plan, const QString& description,
                QString mergeKey)
        : QUndoCommand(description), document_(document), beforeNetwork_(document->network()),
          beforePlan_(document->plan()), afterNetwork_(std::move(network)), afterPlan_(std::move(plan)),
          mergeKey_(std::move(mergeKey))
    {
    }

    void redo() override { document_->assign(afterNetwork_, afterPlan_); }
    void undo() override { document_->assign(beforeNetwork_, beforePlan_); }
    int id() const override { return mergeKey_.isEmpty() ? -1 : kMergeableId; }

    bool mergeWith(const QUndoCommand* other) override
    {
        const auto* next = static_cast<const EditCommand*>(other);
        if (next->mergeKey_ != mergeKey_)
            return false;
        afterNetwork_ = next->afterNetwork_;
        afterPlan_ = next->afterPlan_;
        setText(next->text());
        // Typing a value and then its original back leaves nothing to undo.
        setObsolete(afterNetwork_ == beforeNetwork_ && afterPlan_ == beforePlan_);
        return true;
    }

private:
    ExperimentDocument* document_;
    NetworkSpec beforeNetwork_;
    PrecisionPlan beforePlan_;
    NetworkSpec afterNetwork_;
    PrecisionPlan afterPlan_;
    QString mergeKey_;
};

ExperimentDocument::ExperimentDocument(QObject* parent) : QObject(parent), undoStack_(new QUndoStack(this))
{
    experiment_.network.layers.clear();
    updateShapes();
}

ExperimentDocument::~ExperimentDocument() = default;

void ExperimentDocument::setClassCount(int classes)
{
    if (classes == classCount_ || classes < 1)
        return;
    classCount_ = classes;
    updateShapes();
    emit networkChanged();
}

void ExperimentDocument::reset(const Experiment& experiment)
{
    undoStack_->clear();
    experiment_ = experiment;
    // A plan of the wrong size is shown with its missing layers as float rather than read past
    // its end. The run rejects such a plan with its own message when it starts.
    experiment_.precision.layers.resize(experiment_.network.layers.size(), LayerPrecision{});
    updateShapes();
    emit networkChanged();
    emit planChanged();
}

void ExperimentDocument::assign(const NetworkSpec& network, const PrecisionPlan& plan)
{
    const bool networkDiffers = !(network == experiment_.network);
    const bool planDiffers = !(plan == experiment_.precision);
    experiment_.network = network;
    experiment_.precision = plan;
    if (networkDiffers) {
        updateShapes();
        emit networkChanged();
    }
    if (planDiffers)
        emit planChanged();
}

void ExperimentDocument::push(const NetworkSpec& network, const PrecisionPlan& plan, const QString& description,
                              const QString& mergeKey)
{
    if (network == experiment_.network && plan == experiment_.precision)
        return;
    undoStack_->push(new EditCommand(this, network, plan, description, mergeKey));
}

void ExperimentDocument::updateShapes()
{
    const NetworkSpec& network = experiment_.network;
    shapes_ = inferShapes(network, classCount_);
    layerProblems_.assign(network.layers.size(), QString());
    networkProblem_.clear();
    for (size_t layer = 0; layer < shapes_.errors.size() && layer < layerProblems_.size(); ++layer)
        layerProblems_[layer] = QString::fromStdString(shapes_.errors[layer]);
    if (shapes_.networkError.empty())
        return;

    // A class count that does not fit is the last weighted layer's to fix; a missing output
    // layer belongs to no row.
    const QString problem = QString::fromStdString(shapes_.networkError);
    const bool endsWithOutput = !network.layers.empty()
        && network.layers.back().type == LayerType::SoftmaxCrossEntropy;
    if (endsWithOutput) {
        for (size_t layer = network.layers.size(); layer-- > 0;) {
            if (network.layers[layer].hasWeights()) {
                layerProblems_[layer] = problem;
                return;
            }
        }
        layerProblems_.back() = problem;
        return;
    }
    networkProblem_ = problem;
}

QString ExperimentDocument::firstProblem() const
{
    for (size_t layer = 0; layer < layerProblems_.size(); ++layer)
        if (!layerProblems_[layer].isEmpty())
            return QString("layer %1 (%2): %3")
                .arg(layer + 1)
                .arg(layerLabel(experiment_.network.layers[layer]), layerProblems_[layer]);
    return networkProblem_;
}

bool ExperimentDocument::isOutputLayer(int index) const
{
    const auto& layers = experiment_.network.layers;
    return index >= 0 && index < int(layers.size()) && index == int(layers.size()) - 1
        && layers[size_t(index)].type == LayerType::SoftmaxCrossEntropy;
}

bool ExperimentDocument::canRemove(int index) const
{
    return index >= 0 && index < int(experiment_.network.layers.size()) && !isOutputLayer(index);
}

bool ExperimentDocument::canMove(int from, int to) const
{
    const int count = int(experiment_.network.layers.size());
    if (from < 0 || from >= count || to < 0 || to >= count || from == to)
        return false;
    return !isOutputLayer(from) && !isOutputLayer(to);
}

int ExperimentDocument::addLayer(LayerType type, int position)
{
    if (type == LayerType::SoftmaxCrossEntropy) {
        addOutputLayer();
        return int(experiment_.network.layers.size()) - 1;
    }
    const int count = int(experiment_.network.layers.size());
    const bool hasOutput = count > 0 && isOutputLayer(count - 1);
    position = std::clamp(position, 0, hasOutput ? count - 1 : count);

    NetworkSpec network = experiment_.network;
    PrecisionPlan plan = experiment_.precision;
    const LayerSpec layer = newLayer(network, type);
    const LayerPrecision precision = precisionForNewLayer(network, plan, type, position);
    network.layers.insert(network.layers.begin() + position, layer);
    plan.layers.insert(plan.layers.begin() + position, precision);
    push(network, plan, "Add " + QString::fromLatin1(toString(type)) + " " + layerLabel(layer));
    return position;
}

void ExperimentDocument::addOutputLayer()
{
    const auto& layers = experiment_.network.layers;
    if (!layers.empty() && layers.back().type == LayerType::SoftmaxCrossEntropy)
        return;
    NetworkSpec network = experiment_.network;
    PrecisionPlan plan = experiment_.precision;
    const LayerSpec layer = newLayer(network, LayerType::SoftmaxCrossEntropy);
    plan.layers.push_back(
        precisionForNewLayer(network, plan, LayerType::SoftmaxCrossEntropy, int(network.layers.size())));
    network.layers.push_back(layer);
    push(network, plan, "Add output " + layerLabel(layer));
}

void ExperimentDocument::removeLayer(int index)
{
    if (!canRemove(index))
        return;
    NetworkSpec network = experiment_.network;
    PrecisionPlan plan = experiment_.precision;
    const QString name = layerLabel(network.layers[size_t(index)]);
    network.layers.erase(network.layers.begin() + index);
    plan.layers.erase(plan.layers.begin() + index);
    push(network, plan, "Remove " + name);
}

void ExperimentDocument::moveLayer(int from, int to)
{
    if (!canMove(from, to))
        return;
    NetworkSpec network = experiment_.network;
    PrecisionPlan plan = experiment_.precision;
    const QString name = layerLabel(network.layers[size_t(from)]);

    const LayerSpec layer = network.layers[size_t(from)];
    const LayerPrecision precision = plan.layers[size_t(from)];
    network.layers.erase(network.layers.begin() + from);
    plan.layers.erase(plan.layers.begin() + from);
    network.layers.insert(network.layers.begin() + to, layer);
    plan.layers.insert(plan.layers.begin() + to, precision);
    push(network, plan, QString("Move %1 %2").arg(name, to < from ? "up" : "down"));
}

void ExperimentDocument::editLayer(int index, const LayerSpec& layer)
{
    if (index < 0 || index >= int(experiment_.network.layers.size()))
        return;
    const LayerSpec& before = experiment_.network.layers[size_t(index)];
    if (before == layer)
        return;
    const QString field = changedField(before, layer);
    NetworkSpec network = experiment_.network;
    network.layers[size_t(index)] = layer;

    const QString description = field.isEmpty()
        ? "Edit " + layerLabel(before)
        : QString("Set %1 %2 to %3").arg(layerLabel(before), field, fieldValue(layer, field));
    const QString mergeKey = field.isEmpty() || field == "bias" ? QString() : QString("%1 %2").arg(index).arg(field);
    push(network, experiment_.precision, description, mergeKey);
}

void ExperimentDocument::replaceNetwork(const NetworkSpec& network, const PrecisionPlan& plan,
                                        const QString& description)
{
    push(network, plan, description);
}

bool ExperimentDocument::hasTensor(const TensorCell& cell) const
{
    if (cell.isInput())
        return true;
    return cell.layer >= 0 && cell.layer < int(experiment_.network.layers.size())
        && fxlab::hasTensor(experiment_.network, size_t(cell.layer), cell.kind);
}

const TensorPrecision& ExperimentDocument::precision(const TensorCell& cell) const
{
    if (cell.isInput())
        return experiment_.precision.input;
    return experiment_.precision.at(size_t(cell.layer), cell.kind);
}

QString ExperimentDocument::tensorName(const TensorCell& cell) const
{
    if (cell.isInput())
        return "input";
    return layerLabel(experiment_.network.layers.at(size_t(cell.layer))) + " " + kindLabel(cell.kind);
}

std::optional<QString> ExperimentDocument::rejectionFor(const TensorCell& cell, const PrecisionChange& change,
                                                        TensorPrecision& result) const
{
    if (!cell.isInput() && (cell.layer < 0 || cell.layer >= int(experiment_.network.layers.size())))
        return QString("layer %1 does not exist").arg(cell.layer + 1);
    if (!hasTensor(cell))
        return absentTensorReason(experiment_.network, cell) + " to edit";

    const QString name = tensorName(cell);
    const TensorPrecision& current = precision(cell);
    if (current.isFloat && !change.isFloat.value_or(false) && change.touchesFixedPoint())
        return name + " is float: it has no fixed-point format to edit; make it fixed point first";

    result = change.appliedTo(current);
    if (change.fractionalLength && !change.policy && !result.isFloat
        && result.policy != FractionalLengthPolicy::Manual)
        return name + ": the fractional length is chosen by the " + QString::fromLatin1(toString(result.policy))
            + " policy, so it can only be set when the policy is manual";
    if (auto error = result.validationError())
        return name + ": " + QString::fromStdString(*error);
    return std::nullopt;
}

std::optional<QString> ExperimentDocument::planWithChange(const std::vector<TensorCell>& cells,
                                                          const PrecisionChange& change, PrecisionPlan& plan) const
{
    if (cells.empty())
        return QString("no tensor is selected");
    if (change.empty())
        return QString("no field is set");

    plan = experiment_.precision;
    for (const TensorCell& cell : cells) {
        TensorPrecision result;
        if (auto reason = rejectionFor(cell, change, result))
            return reason;
        if (cell.isInput())
            plan.input = result;
        else
            plan.at(size_t(cell.layer), cell.kind) = result;
    }
    if (auto error = validatePlan(plan, experiment_.network))
        return QString::fromStdString(*error);
    return std::nullopt;
}

std::optional<QString> ExperimentDocument::checkPrecisionChange(const std::vector<TensorCell>& cells,
                                                                const PrecisionChange& change) const
{
    PrecisionPlan plan;
    return planWithChange(cells, change, plan);
}

std::optional<QString> ExperimentDocument::changePrecision(const std::vector<TensorCell>& cells,
                                                           const PrecisionChange& change)
{
    PrecisionPlan plan;
    if (auto reason = planWithChange(cells, change, plan))
        return reason;
    const QString description = cells.size() == 1
        ? "Set " + tensorName(cells.front()) + ": " + change.describe()
        : QString("Set %1 on %2 tensors").arg(change.describe()).arg(cells.size());
    push(experiment_.network, plan, description);
    return std::nullopt;
}

} // namespace fxlab::gui
