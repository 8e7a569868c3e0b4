// Presentation mode: larger fonts and thicker lines for a projector. Turning it on multiplies the
// application font, fonts set on single widgets, and every pen and font of every plot in the
// window by kScale. Turning it off divides them again. Plots made while it is on get the scale
// from plot_style.
#pragma once

#include <QObject>

class QAction;
class QCustomPlot;
class QMainWindow;

namespace fxlab::gui {

class PresentationMode : public QObject {
    Q_OBJECT

public:
    static constexpr double kScale = 1.5;

    // Adds the checkable "Presentation mode" action to `window`; its View menu lists it.
    explicit PresentationMode(QMainWindow* window);

    QAction* action() const { return action_; }
    bool isOn() const;
    void setOn(bool on);

private:
    void apply(bool on);

    QMainWindow* window_;
    QAction* action_;
    double applicationFontSize_ = 0;  // the application font's point size with the mode off
};

// Multiplies the width of every pen, the size of every font and the legend icons of `plot` by
// `ratio`, then queues a replot.
void rescalePlot(QCustomPlot* plot, double ratio);

} // namespace fxlab::gui
