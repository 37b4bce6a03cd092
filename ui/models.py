"""Qt item models for the lists: history, voicemail, favorites, directory search results. Views only read roles
from them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTime
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from callclient.services.caller_id import CallerId
from callclient.services.dialplan import DialPlan
from callclient.services.directory import SourceKind
from callclient.services.directory_search import SearchResult
from callclient.services.types import CallRecord, Favorite, VoicemailFolder, VoicemailMessage
from ui import i18n, theme
from ui.lamps import lamp_label
from ui.text import NUMBER_LIMIT, neutralise, plain, plain_name, plain_tooltip

SECONDARY_ROLE = Qt.ItemDataRole.UserRole + 1  # second line under the name
TRAILING_ROLE = Qt.ItemDataRole.UserRole + 2  # right-aligned text (time, duration)
ACCENT_ROLE = Qt.ItemDataRole.UserRole + 3  # colour of the name (missed calls) or None
NUMBER_ROLE = Qt.ItemDataRole.UserRole + 4  # what to dial for this row
VALUE_ROLE = Qt.ItemDataRole.UserRole + 5  # the CallRecord / VoicemailMessage / Favorite itself
DOT_ROLE = Qt.ItemDataRole.UserRole + 6  # a status dot colour (presence, unread) or None
BOLD_ROLE = Qt.ItemDataRole.UserRole + 7
SOURCES_ROLE = Qt.ItemDataRole.UserRole + 8  # where a search result comes from, in the user's words
LAMP_ROLE = Qt.ItemDataRole.UserRole + 40  # a colleague's busy lamp: a PresenceState value (as in Favorites)
LAMP_URI_ROLE = Qt.ItemDataRole.UserRole + 41  # the URI that lamp follows (what pickup dials)


def tr(text: str) -> str:
    # lupdate files a bare tr() call under the empty context, so that is where its translation is looked up.
    return QCoreApplication.translate("", text)


def role_of(index: QModelIndex | QPersistentModelIndex, role: int) -> object:
    """`index.data(role)`, or None when the row has no such role, without asking Qt for a role that is not
    there: PySide6 6.12.0 drops a reference to None every time `data()` answers an unset role (an invalid
    QVariant), so painting lists with optional roles (dots, accents, bold) freed None after a few minutes of
    typing and aborted the app ("none_dealloc", found by bench/directory_search.py). `itemData` returns only
    the roles that are set."""
    model = index.model()
    return model.itemData(index).get(int(role)) if model is not None and index.isValid() else None


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


def source_label(kind: SourceKind, source: str) -> str:
    """Where a contact comes from, as the user knows the place: PBX, LDAP, Personal, Address book..."""
    if kind is SourceKind.DIRECTORY:
        return tr("LDAP") if source.startswith("LDAP") else tr("Directory")
    return {SourceKind.PBX_USER: tr("PBX"), SourceKind.PERSONAL: tr("Personal"),
            SourceKind.ADDRESS_BOOK: tr("Address book"), SourceKind.FAVORITE: tr("Favorite"),
            SourceKind.HISTORY: tr("History")}[kind]


def sources_text(result: SearchResult) -> str:
    """Every place that knows this person, best first, each named once: "PBX · Favorite"."""
    labels: list[str] = []
    for contact in result.contacts:
        label = source_label(contact.kind, contact.source)
        if label not in labels:
            labels.append(label)
    return " · ".join(labels)


def details_text(company: str, title: str) -> str:
    """ "Sales, Example Corp": remote text, neutralised."""
    return ", ".join(p for p in (plain(title, 60), plain(company, 60)) if p)


def named(number: str, fallback_name: str, found: CallerId | None, region: str = "") -> tuple[str, str]:
    """(name, second line) for a history or voicemail row: the directory's name where it knows the number
    (with title and company), else what the PBX said; the number always beside it."""
    # A name from the call records (history) is no better than the one this row already has from the PBX.
    if found is not None and found.name and (found.kind is not SourceKind.HISTORY or not fallback_name
                                             or fallback_name == number):
        details = details_text(found.company, found.title)
        return found.name, " · ".join(p for p in (plain(format_number(number, region), NUMBER_LIMIT), details) if p)
    return fallback_name, plain(format_number(number, region), NUMBER_LIMIT)


class SearchResultsModel(QStandardItemModel):
    """The search box's results as the directory service ranked and merged them. Each update replaces the
    rows (at most `directory.max_results`, so about a millisecond), keeping the view's work bounded however
    many contacts are cached.

    A QStandardItemModel, not a Python `data()`: PySide6 6.12 drops one reference to None each time a Python
    model's `data()` returns None (the answer for every role a row does not have), and a view asks thousands
    of times a second while results stream in, until None itself is freed and the interpreter aborts
    ("none_dealloc"; found by bench/directory_search.py)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.results: tuple[SearchResult, ...] = ()

    def show(self, results: tuple[SearchResult, ...]) -> None:
        if results == self.results:
            return  # a remote source that added nothing: no reset, no repaint, the selection stays
        self.results = results
        self.clear()
        for result in results:
            self.appendRow(self._item(result))

    def set_lamp(self, row: int, uri: str, state: str, note: str, hint: str = "") -> None:
        """A colleague's row shows their lamp (drawn by the view's delegate), its words on the second line
        and in the tooltip, as the favorites do. `hint`: what a click does (pickup while ringing)."""
        item = self.item(row)
        if item is None:
            return
        result = self.results[row]
        label = lamp_label(state)
        words = f"{label} · {plain(note)}" if note else label
        secondary = f"{self._secondary(result)} · {words}"
        item.setData(state, LAMP_ROLE)
        item.setData(uri, LAMP_URI_ROLE)
        item.setData(secondary, SECONDARY_ROLE)
        item.setData(f"{item.text()}, {secondary}, {sources_text(result)}", Qt.ItemDataRole.AccessibleTextRole)
        item.setToolTip(plain_tooltip(f"{result.name}: {words}" + (f" — {hint}" if hint else "")
                                      + f" ({', '.join(result.sources)})"))

    @staticmethod
    def _secondary(result: SearchResult) -> str:
        number = result.numbers[0].number if result.numbers else ""
        return " · ".join(p for p in (plain(number, NUMBER_LIMIT), details_text(result.company, result.title)) if p)

    @staticmethod
    def _item(result: SearchResult) -> QStandardItem:
        number = result.numbers[0].number if result.numbers else ""
        name = plain_name(result.name) or plain(number, NUMBER_LIMIT)
        secondary = SearchResultsModel._secondary(result)
        sources = sources_text(result)
        item = QStandardItem(name)
        item.setEditable(False)
        item.setData(secondary, SECONDARY_ROLE)
        item.setData(sources, TRAILING_ROLE)
        item.setData(neutralise(number), NUMBER_ROLE)
        item.setData(result, VALUE_ROLE)
        item.setData(sources, SOURCES_ROLE)
        item.setData(f"{name}, {secondary}, {sources}", Qt.ItemDataRole.AccessibleTextRole)
        item.setToolTip(plain_tooltip(", ".join(result.sources)))
        return item


class HistoryModel(QStandardItemModel):
    def show(self, records: Iterable[CallRecord], names: dict[str, CallerId] | None = None,
             region: str = "") -> None:
        """`names`: what the directory knows of each number, for the best name on each row; `region`
        (dialplan.region) writes numbers the way people there do."""
        self.clear()
        names = names or {}
        for record in records:
            if record.missed:
                kind = tr("Missed call")
            elif record.direction.value == "incoming":
                kind = tr("Incoming")
            else:
                kind = tr("Outgoing")
            name = record.other_name or format_number(record.other_number, region) or tr("Unknown")
            details = kind if not record.duration_s else f"{kind} · {format_duration(record.duration_s)}"
            found = names.get(record.other_number)
            if found is not None:
                name, who = named(record.other_number, name, found, region)
                details = f"{who} · {details}"
            elif record.other_name and record.other_number and record.other_number != record.other_name:
                details = f"{record.other_number} · {details}"
            item = _item(name, details, format_when(record.started_at), record.other_number, record)
            if record.missed:
                item.setData(QColor(theme.MISSED_TEXT[theme.is_dark()]), ACCENT_ROLE)
            self.appendRow(item)


class VoicemailModel(QStandardItemModel):
    def show(self, messages: Iterable[VoicemailMessage], names: dict[str, CallerId] | None = None,
             region: str = "") -> None:
        self.clear()
        names = names or {}
        for message in sorted(messages, key=lambda m: m.received_at, reverse=True):
            unread = message.folder is not VoicemailFolder.OLD
            name = message.caller_name or message.caller_number or tr("Unknown caller")
            name, who = named(message.caller_number, name, names.get(message.caller_number), region)
            details = " · ".join(p for p in (who, format_duration(message.duration_s)) if p)
            if message.folder is VoicemailFolder.URGENT:
                details = tr("Urgent · %1").replace("%1", details)
            item = _item(name, details, format_when(message.received_at), message.caller_number, message)
            if unread:
                item.setData(QColor(theme.BLUE), DOT_ROLE)
                item.setData(True, BOLD_ROLE)
            self.appendRow(item)

    def unread(self) -> int:
        return sum(1 for row in range(self.rowCount()) if role_of(self.index(row, 0), BOLD_ROLE))


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
        roles = index.model().itemData(index)  # never index.data() for an optional role: see role_of
        dot = roles.get(int(DOT_ROLE))
        left = rect.left()
        if dot is not None:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(dot)
            painter.drawEllipse(left, rect.center().y() - 5, 10, 10)
        left += 20
        trailing = roles.get(int(TRAILING_ROLE)) or ""
        trailing_width = option.fontMetrics.horizontalAdvance(trailing) + 8 if trailing else 0
        half = rect.height() // 2
        name_font = QFont(option.font)
        name_font.setPointSizeF(option.font.pointSizeF() * 1.08)
        if roles.get(int(BOLD_ROLE)):
            name_font.setBold(True)
        accent = roles.get(int(ACCENT_ROLE))
        painter.setFont(name_font)
        painter.setPen(accent if (accent is not None and not selected) else text_color)
        name_rect = QRect(left, rect.top(), rect.right() - left - trailing_width, half)
        name = painter.fontMetrics().elidedText(roles.get(int(Qt.ItemDataRole.DisplayRole)) or "",
                                               Qt.TextElideMode.ElideRight, name_rect.width())
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, name)
        painter.setFont(option.font)
        painter.setPen(muted)
        detail_rect = QRect(left, rect.top() + half + 2, rect.right() - left, half)
        detail = painter.fontMetrics().elidedText(roles.get(int(SECONDARY_ROLE)) or "", Qt.TextElideMode.ElideRight,
                                                 detail_rect.width())
        painter.drawText(detail_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, detail)
        if trailing:
            painter.drawText(QRect(rect.right() - trailing_width, rect.top(), trailing_width, half),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, trailing)
        painter.restore()
