#include "presentation_mode.h"

#include "gui_logging.h"
#include "plot_style.h"

#include <QAction>
#include <QApplication>
#include <QMainWindow>
#include <QMenu>
#include <QMetaProperty>
#include <qcustomplot.h>

#include <cmath>

namespace fxlab::gui {

namespace {

QPen scaledPen(QPen pen, double ratio)
{
    // Width 0 is Qt's cosmetic one-pixel pen: scale it as 1.
    const double width = pen.widthF() > 0 ? pen.widthF() : 1.0;
    pen.setWidthF(width * ratio);
    return pen;
}

QFont scaledFont(QFont font, double ratio)
{
    if (font.pointSizeF() > 0)
        font.setPointSizeF(font.pointSizeF() * ratio);
    else if (font.pixelSize() > 0)
        font.setPixelSize(std::max(1, int(std::lround(font.pixelSize() * ratio))));
    return font;
}

// Scales every writable pen, font and size property of a plot part (a graph, an axis, a legend,
// a legend item, an item such as a line or a text), so that no part type is missed.
void scaleProperties(QObject* object, double ratio)
{
    const QMetaObject* meta = object->metaObject();
    for (int index = 0; index < meta->propertyCount(); ++index) {
        const QMetaProperty property = meta->property(index);
        if (!property.isWritable())
            continue;
        const QMetaType type = property.metaType();
        if (type == QMetaType::fromType<QPen>()) {
            property.write(object, scaledPen(property.read(object).value<QPen>(), ratio));
        } else if (type == QMetaType::fromType<QFont>()) {
            property.write(object, scaledFont(property.read(object).value<QFont>(), ratio));
        } else if (type == QMetaType::fromType<QSize>() && qstrcmp(property.name(), "iconSize") == 0) {
            const QSize size = property.read(object).toSize();
            property.write(object, QSize(int(std::lround(size.width() * ratio)), int(std::lround(size.height() * ratio))));
        }
    }
}

void scaleScatterStyle(QCPGraph* graph, double ratio)
{
    QCPScatterStyle style = graph->scatterStyle();
    if (style.isNone())
        return;
    style.setSize(style.size() * ratio);
    style.setPen(scaledPen(style.pen(), ratio));
    graph->setScatterStyle(style);
}

} // namespace

void rescalePlot(QCustomPlot* plot, double ratio)
{
    for (int index = 0; index < plot->plottableCount(); ++index) {
        QCPAbstractPlottable* plottable = plot->plottable(index);
        scaleProperties(plottable, ratio);
        if (auto* graph = qobject_cast<QCPGraph*>(plottable))
            scaleScatterStyle(graph, ratio);
    }
    for (int index = 0; index < plot->itemCount(); ++index)
        scaleProperties(plot->item(index), ratio);

    // The layout contains the axis rects (with their insets), legends and their items, titles and
    // colour scales, at any depth.
    for (QCPLayoutElement* element : plot->plotLayout()->elements(true)) {
        if (!element)
            continue;
        if (auto* rect = qobject_cast<QCPAxisRect*>(element)) {
            for (QCPAxis* axis : rect->axes())
                scaleProperties(axis, ratio);
        } else if (auto* colourScale = qobject_cast<QCPColorScale*>(element)) {
            scaleProperties(colourScale->axis(), ratio);
        } else if (qobject_cast<QCPAbstractLegendItem*>(element)) {
            // QCPLegend::setFont already gave every item of the legend the legend's new font.
            continue;
        } else {
            scaleProperties(element, ratio);
        }
    }
    plot->replot(QCustomPlot::rpQueuedReplot);
}

PresentationMode::PresentationMode(QMainWindow* window) : QObject(window), window_(window)
{
    action_ = new QAction("&Presentation mode", window);
    action_->setObjectName("presentationModeAction");
    action_->setCheckable(true);
    action_->setShortcuts({QKeySequence(Qt::Key_F11), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P)});
    action_->setToolTip(QString("Larger fonts and thicker lines for a projector (%1)")
                            .arg(action_->shortcut().toString(QKeySequence::NativeText)));
    window->addAction(action_);
    connect(action_, &QAction::toggled, this, &PresentationMode::apply);
    if (auto* viewMenu = window->findChild<QMenu*>("viewMenu")) {
        viewMenu->addSeparator();
        viewMenu->addAction(action_);
    }
}

bool PresentationMode::isOn() const
{
    return action_->isChecked();
}

void PresentationMode::setOn(bool on)
{
    action_->setChecked(on);
}

void PresentationMode::apply(bool on)
{
    const double scale = on ? kScale : 1.0;
    const double ratio = scale / plot_style::presentationScale();
    if (ratio == 1.0)
        return;
    qCInfo(logGui) << "presentation mode" << (on ? "on" : "off");
    plot_style::setPresentationScale(scale);

    QFont applicationFont = QApplication::font();
    if (applicationFontSize_ <= 0)
        applicationFontSize_ = applicationFont.pointSizeF();
    applicationFont.setPointSizeF(applicationFontSize_ * scale);
    QApplication::setFont(applicationFont);

    // Widgets with a font size of their own do not follow the application font.
    for (QWidget* widget : window_->findChildren<QWidget*>()) {
        if (widget->testAttribute(Qt::WA_SetFont) && (widget->font().resolveMask() & QFont::SizeResolved))
            widget->setFont(scaledFont(widget->font(), ratio));
    }
    for (QCustomPlot* plot : window_->findChildren<QCustomPlot*>())
        rescalePlot(plot, ratio);
}

} // namespace fxlab::gui
