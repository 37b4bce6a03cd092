"""Icons, the light and dark palettes, and the few colours CallClient adds to the system style. ui.theme picks
light or dark; "system" follows the system's preference (QStyleHints.colorScheme(), else its palette).

Every text colour here meets WCAG AA against the backgrounds it is drawn on (4.5:1, tests/ui/test_contrast.py):
the white text on the green, red and blue buttons too, which is why they are darker than the usual brand hues."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

ICON_DIR = Path(__file__).resolve().parents[1] / "resources" / "icons"

GREEN = "#15803d"  # call, answer: white text on it 5.0:1
RED = "#c53030"  # hang up, decline, badges: white on it 5.5:1
AMBER = "#d69e2e"  # the notice banner, black text on it
BLUE = "#2563eb"  # selection, checked controls: white on it 5.2:1
GREY = "#8a8f98"
# Text in an accent colour (a missed call's name) on the list's background: the red above is too dark to read
# on a dark list, so dark themes draw it lighter.
MISSED_TEXT = {False: RED, True: "#f87171"}

# The palette roles by name, plus the stylesheet's own: muted text, the navigation card, lines and hover.
PALETTES = {
    False: {"window": "#ffffff", "window_text": "#1f2328", "base": "#ffffff", "text": "#1f2328",
            "button": "#f4f5f7", "button_text": "#1f2328", "highlight": BLUE, "highlighted_text": "#ffffff",
            "placeholder": "#5f6368", "muted": "#5f6368", "card": "#f4f5f7", "line": "#dfe1e5", "hover": "#e8eaed",
            "tooltip": "#1f2328", "tooltip_text": "#ffffff", "link": "#1a56c4"},
    True: {"window": "#1e1f22", "window_text": "#e8eaed", "base": "#232428", "text": "#e8eaed",
           "button": "#2b2d31", "button_text": "#e8eaed", "highlight": BLUE, "highlighted_text": "#ffffff",
           "placeholder": "#9aa0a6", "muted": "#9aa0a6", "card": "#2b2d31", "line": "#3c3f45", "hover": "#35383e",
           "tooltip": "#e8eaed", "tooltip_text": "#1f2328", "link": "#8ab4f8"},
}


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def system_prefers_dark(app: object | None = None, scheme: Qt.ColorScheme | None = None) -> bool:
    """The desktop's light/dark preference: QStyleHints.colorScheme() (or `scheme`) where the platform says it,
    else the lightness of the palette the app started with (kept before ours replaced it)."""
    scheme = QGuiApplication.styleHints().colorScheme() if scheme is None else scheme
    if scheme is not Qt.ColorScheme.Unknown:
        return scheme is Qt.ColorScheme.Dark
    app = app or QGuiApplication.instance()
    started = app.property("callclientSystemDark") if app is not None else None  # type: ignore[attr-defined]
    if started is None:
        started = is_dark(app.palette() if app is not None else None)  # type: ignore[attr-defined]
        if app is not None:
            app.setProperty("callclientSystemDark", started)  # type: ignore[attr-defined]
    return bool(started)


def palette(dark: bool) -> QPalette:
    """The app's palette for light or dark: every text role on its background at 4.5:1 or more."""
    colours = PALETTES[dark]
    result = QPalette()
    role = QPalette.ColorRole
    for name, roles in (("window", (role.Window,)), ("window_text", (role.WindowText,)),
                        ("base", (role.Base, role.AlternateBase)), ("text", (role.Text,)),
                        ("button", (role.Button,)), ("button_text", (role.ButtonText,)),
                        ("highlight", (role.Highlight,)), ("highlighted_text", (role.HighlightedText,)),
                        ("placeholder", (role.PlaceholderText,)), ("tooltip", (role.ToolTipBase,)),
                        ("tooltip_text", (role.ToolTipText,)), ("link", (role.Link,))):
        for each in roles:
            result.setColor(each, QColor(colours[name]))
    result.setColor(role.BrightText, QColor("#ffffff"))
    # Disabled controls are exempt from WCAG's minimum, but still readable: the muted grey.
    for each in (role.WindowText, role.Text, role.ButtonText):
        result.setColor(QPalette.ColorGroup.Disabled, each, QColor(colours["muted"]))
    return result


def icon(name: str, color: str | None = None, size: int = 48) -> QIcon:
    """An SVG icon from resources/icons drawn in `color` (default: the palette's text colour, so it suits
    both light and dark themes). Rendered at `size` px; Qt scales it down for smaller buttons."""
    if color is None:
        color = QGuiApplication.palette().color(QPalette.ColorRole.WindowText).name()
    try:
        text = (ICON_DIR / f"{name}.svg").read_text(encoding="utf-8")
    except OSError:
        return QIcon()
    renderer = QSvgRenderer(QByteArray(text.replace("currentColor", color).encode("utf-8")))
    result = QIcon()
    for scale in (1, 2):
        pixmap = QPixmap(QSize(size * scale, size * scale))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        result.addPixmap(pixmap)
    return result


def app_icon() -> QIcon:
    return QIcon(str(ICON_DIR / "callclient.svg"))


def badged_icon(count: int, size: int = 64) -> QIcon:
    """The app icon with a red badge counting missed calls and new voicemail (the tray shows it)."""
    base = app_icon()
    if count <= 0:
        return base
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QFont

    pixmap = base.pixmap(size, size)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    badge = QRectF(size * 0.45, 0, size * 0.55, size * 0.55)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(RED))
    painter.drawEllipse(badge)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * 0.32))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(count) if count < 100 else "99+")
    painter.end()
    return QIcon(pixmap)


def stylesheet(dark: bool) -> str:
    """Rounded, roomy controls on top of the platform style; colours derive from the palette."""
    colours = PALETTES[dark]
    muted, card, line, hover = colours["muted"], colours["card"], colours["line"], colours["hover"]
    return f"""
    QWidget#navigation {{ background: {card}; border-right: 1px solid {line}; }}
    QListWidget#navigationList {{ background: transparent; border: none; outline: none; }}
    QListWidget#navigationList::item {{ padding: 8px 10px; margin: 2px 6px; border-radius: 8px; }}
    QListWidget#navigationList::item:selected {{ background: {BLUE}; color: white; }}
    QListWidget#navigationList::item:hover:!selected {{ background: {hover}; }}
    QLabel[role="muted"] {{ color: {muted}; }}
    QLabel[role="title"] {{ font-size: 17pt; font-weight: 600; }}
    QLabel[role="heading"] {{ font-size: 12pt; font-weight: 600; }}
    QLabel#registrationDot {{ border-radius: 5px; min-width: 10px; max-width: 10px;
                              min-height: 10px; max-height: 10px; }}
    QLabel#badge {{ background: {RED}; color: white; border-radius: 8px; padding: 0 5px; font-weight: 600; }}
    QLineEdit {{ padding: 6px 10px; border: 1px solid {line}; border-radius: 8px; }}
    QLineEdit#numberField {{ font-size: 20pt; padding: 8px 12px; }}
    QToolButton#dialKey {{ font-size: 13pt; border: 1px solid {line}; border-radius: 34px;
                           min-width: 68px; min-height: 68px; max-width: 68px; max-height: 68px; }}
    QToolButton#dialKey:hover {{ background: {hover}; }}
    QToolButton#dialKey:focus {{ border: 2px solid {BLUE}; }}
    QToolButton#callButton, QPushButton#callButton {{ background: {GREEN}; color: white; border: none;
                           border-radius: 26px; min-width: 52px; min-height: 52px; }}
    QToolButton#hangUpButton, QPushButton#hangUpButton {{ background: {RED}; color: white; border: none;
                           border-radius: 26px; min-width: 52px; min-height: 52px; }}
    QPushButton#answerButton {{ background: {GREEN}; color: white; border: none; border-radius: 8px;
                                padding: 8px 16px; font-weight: 600; }}
    QPushButton#declineButton {{ background: {RED}; color: white; border: none; border-radius: 8px;
                                 padding: 8px 16px; font-weight: 600; }}
    QPushButton#callButton:focus, QPushButton#hangUpButton:focus, QPushButton#answerButton:focus,
    QPushButton#declineButton:focus {{ border: 2px solid {BLUE}; }}
    QToolButton#callControl {{ border: 1px solid {line}; border-radius: 10px; padding: 6px; min-width: 76px; }}
    QToolButton#callControl:checked {{ background: {BLUE}; color: white; border-color: {BLUE}; }}
    QToolButton#callControl:hover:!checked {{ background: {hover}; }}
    QToolButton#callControl:focus {{ border: 2px solid {BLUE}; }}
    QLineEdit:focus {{ border: 2px solid {BLUE}; padding: 5px 9px; }}
    QListView, QTreeView {{ border: none; outline: none; }}
    QWidget#incomingCall {{ border: 1px solid {line}; border-radius: 12px; }}
    QFrame#banner {{ background: {AMBER}; color: black; border-radius: 8px; padding: 6px; }}
    """


def dot_style(color: str) -> str:
    return f"background: {color};"


def registration_color(state: str) -> str:
    return {"registered": GREEN, "not registering": GREEN, "registering": AMBER, "reconnecting": AMBER, "failed": RED}.get(state, GREY)


def presence_color(state: str) -> QColor:
    return QColor({"available": GREEN, "busy": RED, "away": AMBER}.get(state, GREY))


def wants_dark(choice: str, app: object | None = None) -> bool:
    """ui.theme: "light", "dark", or "system" (follow the system's preference)."""
    if choice in ("light", "dark"):
        return choice == "dark"
    return system_prefers_dark(app)


def apply(app: object, choice: str = "system") -> bool:
    """Applies CallClient's palette and style for `choice` (ui.theme) to the QApplication; returns True when dark."""
    dark = wants_dark(choice, app)
    app.setPalette(palette(dark))  # type: ignore[attr-defined]
    app.setStyleSheet(stylesheet(dark))  # type: ignore[attr-defined]
    app.setProperty("callclientTheme", "dark" if dark else "light")  # type: ignore[attr-defined]
    return dark
