#include "help_menu.h"

#include "model/presets.h"
#include "presets_view.h"

#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QHeaderView>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QShortcut>
#include <QTableWidget>
#include <QTextBrowser>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>

namespace fxlab::gui {

namespace {

struct ShortcutRow {
    QString place;
    QString name;
    QString keys;
};

QString plainText(QString text)
{
    text.remove(QRegularExpression("&(?!&)"));
    text.remove(QChar(0x2026));  // the ellipsis of actions that open a dialog
    return text.trimmed();
}

// The menus that show `action`, e.g. "Run" or "View". An action of a panel's own buttons is
// placed by the panel's title, and one of the toolbar alone by "toolbar".
QString placeOf(const QAction* action)
{
    QStringList places;
    for (const QObject* object : action->associatedObjects()) {
        if (const auto* menu = qobject_cast<const QMenu*>(object))
            places << plainText(menu->title());
    }
    if (places.isEmpty()) {
        for (const QObject* object = action->parent(); object; object = object->parent()) {
            if (const auto* dock = qobject_cast<const QDockWidget*>(object)) {
                places << dock->windowTitle() + " panel";
                break;
            }
        }
    }
    if (places.isEmpty()) {
        for (const QObject* object : action->associatedObjects())
            if (qobject_cast<const QToolBar*>(object))
                places << "toolbar";
    }
    places.removeDuplicates();
    return places.isEmpty() ? QString("window") : places.join(", ");
}

std::vector<ShortcutRow> shortcutRows(const QMainWindow* window)
{
    std::vector<ShortcutRow> rows;
    for (const QAction* action : window->findChildren<QAction*>()) {
        if (action->shortcuts().isEmpty())
            continue;
        QStringList keys;
        for (const QKeySequence& sequence : action->shortcuts())
            keys << sequence.toString(QKeySequence::NativeText);
        rows.push_back({placeOf(action), plainText(action->text()), keys.join(" or ")});
    }
    // A shortcut without an action is listed with its What's This text as the description.
    for (const QShortcut* shortcut : window->findChildren<QShortcut*>()) {
        if (shortcut->key().isEmpty() || shortcut->whatsThis().isEmpty())
            continue;
        rows.push_back({"window", shortcut->whatsThis(), shortcut->key().toString(QKeySequence::NativeText)});
    }
    std::sort(rows.begin(), rows.end(), [](const ShortcutRow& left, const ShortcutRow& right) {
        return std::tie(left.place, left.name) < std::tie(right.place, right.name);
    });
    return rows;
}

QDialog* textDialog(QWidget* parent, const QString& title, const QString& html, const QSize& size)
{
    auto* dialog = new QDialog(parent);
    dialog->setWindowTitle(title);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto* text = new QTextBrowser;
    text->setOpenExternalLinks(true);
    text->setHtml(html);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(text);
    layout->addWidget(buttons);
    dialog->resize(size);
    return dialog;
}

} // namespace

QDialog* createShortcutsDialog(QMainWindow* window)
{
    const std::vector<ShortcutRow> rows = shortcutRows(window);
    auto* table = new QTableWidget(int(rows.size()), 3);
    table->setObjectName("shortcutTable");
    table->setHorizontalHeaderLabels({"Shortcut", "Action", "Where"});
    table->verticalHeader()->setVisible(false);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    for (size_t row = 0; row < rows.size(); ++row) {
        table->setItem(int(row), 0, new QTableWidgetItem(rows[row].keys));
        table->setItem(int(row), 1, new QTableWidgetItem(rows[row].name));
        table->setItem(int(row), 2, new QTableWidgetItem(rows[row].place));
    }
    table->resizeColumnsToContents();
    table->resizeRowsToContents();
    table->horizontalHeader()->setStretchLastSection(true);

    auto* dialog = new QDialog(window);
    dialog->setObjectName("shortcutsDialog");
    dialog->setWindowTitle("Keyboard shortcuts");
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(table);
    layout->addWidget(buttons);
    // Every row fits without scrolling, up to a height that still fits a small screen.
    const int width = table->horizontalHeader()->length() + 2 * table->frameWidth() + 60;
    const int height = table->verticalHeader()->length() + table->horizontalHeader()->height()
        + 2 * table->frameWidth() + buttons->sizeHint().height() + 40;
    dialog->resize(std::max(width, 480), std::min(height, 760));
    return dialog;
}

QString presetsExplainedHtml()
{
    QString html = "<p>Each preset is a precision plan for the default network. Load one from the Presets "
                   "panel or the toolbar; compare two by starting one as a new run, or with "
                   "Run &gt; Duplicate with one change.</p>";
    for (const Preset& preset : presets()) {
        html += "<h3>" + QString::fromStdString(preset.name).toHtmlEscaped() + "</h3>";
        html += "<p><i>" + QString::fromStdString(preset.summary).toHtmlEscaped() + "</i></p>";
        html += "<p>" + QString::fromStdString(preset.explanation).toHtmlEscaped() + "</p>";
        html += "<p>" + presetPrecisionText(preset.name) + "</p>";
    }
    return html;
}

QString aboutText()
{
    return QString("<h3>fxlab %1</h3>"
                   "<p>A laboratory for fixed-point training of small convolutional networks: set the word "
                   "bits, fractional length, rounding and overflow mode of every tensor and watch the "
                   "network train.</p>"
                   "<p>fxlab follows D. D. Lin and S. S. Talathi, <i>Overcoming Challenges in Fixed Point "
                   "Training of Deep Convolutional Networks</i>, ICML Workshop on On-Device Intelligence, "
                   "2016 (arXiv:1607.02241).</p>"
                   "<p>License: GPL-3.0-or-later. The plots are drawn with QCustomPlot (GPL-3.0) and the "
                   "window with Qt %2.</p>")
        .arg(FXLAB_VERSION, qVersion());
}

void addHelpMenu(QMainWindow* window)
{
    QMenu* menu = window->menuBar()->addMenu("&Help");
    menu->setObjectName("helpMenu");

    QAction* shortcuts = menu->addAction("&Keyboard shortcuts\u2026");
    shortcuts->setObjectName("keyboardShortcutsAction");
    shortcuts->setShortcut(QKeySequence(Qt::Key_F1));
    QObject::connect(shortcuts, &QAction::triggered, window, [window] { createShortcutsDialog(window)->open(); });

    QAction* presetsAction = menu->addAction("&Presets explained\u2026");
    presetsAction->setObjectName("presetsExplainedAction");
    QObject::connect(presetsAction, &QAction::triggered, window, [window] {
        textDialog(window, "Presets explained", presetsExplainedHtml(), QSize(720, 640))->open();
    });

    menu->addSeparator();
    QAction* about = menu->addAction("&About fxlab");
    about->setObjectName("aboutAction");
    QObject::connect(about, &QAction::triggered, window, [window] {
        auto* box = new QMessageBox(QMessageBox::NoIcon, "About fxlab", aboutText(), QMessageBox::Ok, window);
        box->setTextFormat(Qt::RichText);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
}

} // namespace fxlab::gui
