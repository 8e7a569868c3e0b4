// The layers of the edited network as a table: name, type, parameters, parameter count and output
// shape, or the reason the layer cannot work with its input. Edits go through the
// ExperimentDocument, so each one can be undone.
#pragma once

#include "experiment_document.h"

#include <QAbstractTableModel>

namespace fxlab::gui {

class NetworkBuilderModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        TypeColumn,
        SizeColumn,  // filters of a convolution, units of a dense layer
        KernelColumn,
        StrideColumn,
        PaddingColumn,
        BiasColumn,
        ParametersColumn,
        OutputColumn,  // the output shape, or the layer's problem
        kColumnCount
    };

    enum Role {
        ProblemRole = Qt::UserRole + 1,  // QString: the layer's problem, empty when it is fine
    };

    explicit NetworkBuilderModel(ExperimentDocument* document, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    // Whether the column is a parameter of the layer's type.
    static bool appliesTo(int column, LayerType type);
    // The range a spin box offers for a numeric column.
    static std::pair<int, int> valueRange(int column, LayerType type);

    // Parameters of the layer at `row`, or empty when its input shape is unknown because a layer
    // above it has a problem.
    std::optional<size_t> parameterCount(int row) const;
    // Parameters of the whole network; counts only the layers whose input shape is known.
    size_t totalParameters() const;

    ExperimentDocument* document() const { return document_; }

private:
    void followNetwork();
    std::optional<Shape> inputShapeOf(int row) const;
    QVariant displayValue(const LayerSpec& layer, int row, int column) const;

    ExperimentDocument* document_;
    int shownLayers_ = 0;
};

// Thousands separated with commas: "12,345".
QString groupedNumber(size_t value);

} // namespace fxlab::gui
