// The toolbar's choice of training backend: automatic, the CPU, or one Vulkan device. Devices that
// cannot run fxlab are listed but disabled, with the reason as their tooltip.
#pragma once

#include "backend/backend_factory.h"

#include <QComboBox>

namespace fxlab::gui {

class BackendSelector : public QComboBox {
    Q_OBJECT

public:
    // Lists the Vulkan devices once; without a Vulkan driver only automatic and CPU are offered.
    explicit BackendSelector(QWidget* parent = nullptr);

    // Shows `choice` without emitting backendChosen; a device that is not listed shows automatic.
    void setChoice(const BackendChoice& choice);
    BackendChoice choice() const;

signals:
    // The user chose another backend.
    void backendChosen(const fxlab::BackendChoice& choice);
};

} // namespace fxlab::gui
