"""Qt item models for the lists: history, voicemail, favorites. Views only read roles from them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTime
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from callclient.services.dialplan import DialPlan
from callclient.services.types import CallRecord, Favorite, VoicemailFolder, VoicemailMessage
from ui import i18n, theme
from ui.text import neutralise, plain, plain_name, plain_tooltip

SECONDARY_ROLE = Qt.ItemDataRole.UserRole + 1  # second line under the name
TRAILING_ROLE = Qt.ItemDataRole.UserRole + 2  # right-aligned text (time, duration)
ACCENT_ROLE = Qt.ItemDataRole.UserRole + 3  # colour of the name (missed calls) or None
NUMBER_ROLE = Qt.ItemDataRole.UserRole + 4  # what to dial for this row
VALUE_ROLE = Qt.ItemDataRole.UserRole + 5  # the CallRecord / VoicemailMessage / Favorite itself
DOT_ROLE = Qt.ItemDataRole.UserRole + 6  # a status dot colour (presence, unread) or None
BOLD_ROLE = Qt.ItemDataRole.UserRole + 7


def tr(text: str) -> str:
    # lupdate files a bare tr() call under the empty context, so that is where its translation is looked up.
    return QCoreApplication.translate("", text)


def format_duration(seconds: float) -> str:
    """m:ss or h:mm:ss, digits in the user's locale."""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    locale = QLocale()
    zero = locale.toString(0)
    mm, ss = locale.toString(minutes).rjust(2, zero), locale.toString(secs).rjust(2, zero)
    return f"{locale.toString(hours)}:{mm}:{ss}" if hours else f"{locale.toString(minutes)}:{ss}"


def format_when(moment: datetime, now: datetime | None = None) -> str:
    """Today's time, a weekday and time this week, else the date, in the language the user chose (ui.language
    sets the default QLocale): 14:05 / 2:05 PM, "lun. 14:05", 05/03/2026 / 05.03.26 / 3/5/26."""
    local = moment.astimezone()
    now = (now or datetime.now(local.tzinfo)).astimezone()
    locale = QLocale()
    short = QLocale.FormatType.ShortFormat
    time = locale.toString(QTime(local.hour, local.minute), short)
    if local.date() == now.date():
        return time
    if (now.date() - local.date()).days < 7:
        return f"{locale.dayName(local.isoweekday(), short)} {time}"
    return locale.toString(QDate(local.year, local.month, local.day), short)


def format_time(moment: datetime) -> str:
    """A time of day as the user's locale writes it (14:05, 2:05 PM)."""
    local = moment.astimezone()
    return QLocale().toString(QTime(local.hour, local.minute), QLocale.FormatType.ShortFormat)


def format_number(number: str, region: str) -> str:
    """+E.164 numbers as people of dialplan.region write them (national format at home, international else)."""
    return DialPlan(region=region).display(number) if region else number


def apply_language(language: str) -> None:
    """ui.language ("fr", "de"…; "" or "system" for the system's): the catalogue and the default locale for dates
    and numbers (ui/i18n.py)."""
    i18n.apply_language(language)


def _item(name: str, secondary: str, trailing: str, number: str, value: object) -> QStandardItem:
    """A row of a list; `name`, `secondary` and `number` may come from the far end or the PBX."""
    # The number stays whole (it is what a click dials); only what is drawn is elided.
    name, secondary, number = plain_name(name), plain(secondary), neutralise(number)
    item = QStandardItem(name)
    item.setEditable(False)
    item.setData(secondary, SECONDARY_ROLE)
    item.setData(trailing, TRAILING_ROLE)
    item.setData(number, NUMBER_ROLE)
    item.setData(value, VALUE_ROLE)
    item.setData(f"{name}, {secondary}, {trailing}", Qt.ItemDataRole.AccessibleTextRole)
    return item


class HistoryModel(QStandardItemModel):
    def show(self, records: Iterable[CallRecord], region: str = "") -> None:
        self.clear()
        for record in records:
            if record.missed:
                kind = tr("Missed call")
            elif record.direction.value == "incoming":
                kind = tr("Incoming")
            else:
                kind = tr("Outgoing")
            name = record.other_name or format_number(record.other_number, region) or tr("Unknown")
            details = kind if not record.duration_s else f"{kind} · {format_duration(record.duration_s)}"
            if record.other_name and record.other_number and record.other_number != record.other_name:
                details = f"{record.other_number} · {details}"
            item = _item(name, details, format_when(record.started_at), record.other_number, record)
            if record.missed:
                item.setData(QColor(theme.MISSED_TEXT[theme.is_dark()]), ACCENT_ROLE)
            self.appendRow(item)


class VoicemailModel(QStandardItemModel):
    def show(self, messages: Iterable[VoicemailMessage], region: str = "") -> None:
        self.clear()
        for message in sorted(messages, key=lambda m: m.received_at, reverse=True):
            unread = message.folder is not VoicemailFolder.OLD
            name = message.caller_name or message.caller_number or tr("Unknown caller")
            details = f"{format_number(message.caller_number, region)} · {format_duration(message.duration_s)}"
            if message.folder is VoicemailFolder.URGENT:
                details = tr("Urgent · %1").replace("%1", details)
            item = _item(name, details, format_when(message.received_at), message.caller_number, message)
            if unread:
                item.setData(QColor(theme.BLUE), DOT_ROLE)
                item.setData(True, BOLD_ROLE)
            self.appendRow(item)

    def unread(self) -> int:
        return sum(1 for row in range(self.rowCount()) if self.item(row).data(BOLD_ROLE))


class FavoritesModel(QStandardItemModel):
    """Favorites in the user's order; drag and drop reorders rows (the view persists the new order)."""

    def show(self, favorites: Iterable[Favorite]) -> None:
        self.clear()
        for favorite in favorites:
            item = _item(favorite.label, favorite.target, "", favorite.target, favorite)
            item.setData(theme.presence_color("unknown"), DOT_ROLE)
            item.setDragEnabled(True)
            item.setDropEnabled(False)
            self.appendRow(item)

    def favorite_ids(self) -> list[int]:
        return [self.item(row).data(VALUE_ROLE).id for row in range(self.rowCount())]

    def set_presence(self, uri_of: dict[int, str], uri: str, state: str, note: str) -> None:
        for row in range(self.rowCount()):
            item = self.item(row)
            if uri_of.get(item.data(VALUE_ROLE).id) == uri:
                item.setData(theme.presence_color(state), DOT_ROLE)
                text = note or state
                item.setData(f"{item.data(VALUE_ROLE).target} · {text}", SECONDARY_ROLE)
                item.setToolTip(plain_tooltip(text))


class TwoLineDelegate(QStyledItemDelegate):
    """A name over a muted detail line, an optional status dot on the left and a time on the right."""

    ROW_HEIGHT = 52

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        height = max(self.ROW_HEIGHT, option.fontMetrics.height() * 3)
        return QSize(200, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        painter.save()
        style = option.widget.style() if option.widget else None
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_color = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = QColor(text_color)
        muted.setAlphaF(0.65)
        rect = option.rect.adjusted(12, 6, -12, -6)
        dot = index.data(DOT_ROLE)
        left = rect.left()
        if dot is not None:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(dot)
            painter.drawEllipse(left, rect.center().y() - 5, 10, 10)
        left += 20
        trailing = index.data(TRAILING_ROLE) or ""
        trailing_width = option.fontMetrics.horizontalAdvance(trailing) + 8 if trailing else 0
        half = rect.height() // 2
        name_font = QFont(option.font)
        name_font.setPointSizeF(option.font.pointSizeF() * 1.08)
        if index.data(BOLD_ROLE):
            name_font.setBold(True)
        accent = index.data(ACCENT_ROLE)
        painter.setFont(name_font)
        painter.setPen(accent if (accent is not None and not selected) else text_color)
        name_rect = QRect(left, rect.top(), rect.right() - left - trailing_width, half)
        name = painter.fontMetrics().elidedText(index.data(Qt.ItemDataRole.DisplayRole) or "",
                                               Qt.TextElideMode.ElideRight, name_rect.width())
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, name)
        painter.setFont(option.font)
        painter.setPen(muted)
        detail_rect = QRect(left, rect.top() + half + 2, rect.right() - left, half)
        detail = painter.fontMetrics().elidedText(index.data(SECONDARY_ROLE) or "", Qt.TextElideMode.ElideRight,
                                                 detail_rect.width())
        painter.drawText(detail_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, detail)
        if trailing:
            painter.drawText(QRect(rect.right() - trailing_width, rect.top(), trailing_width, half),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, trailing)
        painter.restore()
