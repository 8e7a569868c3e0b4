// Two panes that share a dock: side by side when it is wide enough for both, one above the other
// when it is tall enough, and as two tabs when it is too small for both at a readable size.
#pragma once

#include <QSize>
#include <QString>
#include <QWidget>

class QSplitter;
class QStackedLayout;
class QTabWidget;

namespace fxlab::gui {

class AdaptivePanes : public QWidget {
    Q_OBJECT

public:
    enum class Mode { SideBySide, Stacked, Tabs };

    // `readable` is the smallest size at which each pane still reads well.
    AdaptivePanes(QWidget* first, const QString& firstTitle, QSize firstReadable, QWidget* second,
                  const QString& secondTitle, QSize secondReadable, QWidget* parent = nullptr);

    Mode mode() const { return mode_; }
    // Brings `pane` to the front when the panes are tabs.
    void showPane(QWidget* pane);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void setMode(Mode mode);

    QWidget* first_;
    QWidget* second_;
    QString firstTitle_;
    QString secondTitle_;
    QSize firstReadable_;
    QSize secondReadable_;
    QStackedLayout* pages_;
    QSplitter* splitter_;
    QTabWidget* tabs_;
    Mode mode_ = Mode::Tabs;
    bool placed_ = false;
};

} // namespace fxlab::gui
