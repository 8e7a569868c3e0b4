// Saturation and underflow counts of each layer over the whole run, summed over its tensor
// kinds; each cell's tooltip breaks the count down by kind.
#pragma once

#include "train/snapshot.h"

#include <QTableWidget>

namespace fxlab::gui {

class SaturationCountersView : public QTableWidget {
    Q_OBJECT

public:
    enum Column { LayerColumn, SaturatedColumn, UnderflowColumn };

    explicit SaturationCountersView(QWidget* parent = nullptr);

    void showSnapshot(const Snapshot& snapshot);

protected:
    void changeEvent(QEvent* event) override;

private:
    void setLayers(const NetworkSpec& network);
    // Changes only what differs, so unchanged cells cost nothing to draw again.
    void setCell(QTableWidgetItem* cell, const QString& text, const QString& toolTip);
    void fitColumns();

    NetworkSpec network_;
    std::vector<LayerEvents> shownEvents_;
};

} // namespace fxlab::gui
