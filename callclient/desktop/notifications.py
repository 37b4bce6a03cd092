"""Notifications you can act on: an incoming call (Answer / Decline), a missed call (Call back) and new
voicemail (Listen), through the desktop's notification service (org.freedesktop.Notifications, the
Desktop Notifications Specification 1.2).

This lives in Core, not in a window: it follows the news stream and acts through the call-actions service,
so a notification works the same with the window hidden, minimised to the tray, or never opened.

Do-not-disturb: with CallClient's own do-not-disturb on, the engine refuses calls before they ring, and
this service shows nothing for them nor for missed calls and voicemail while it stays on (they are in the
history). The desktop's own do-not-disturb is the notification server's to apply: we send normal urgency,
never the critical urgency that servers let through it.
"""

from __future__ import annotations

import html
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jeepney import DBusAddress, MatchRule, new_method_call
from jeepney.wrappers import DBusErrorResponse

from callclient.desktop.bus import SessionBus
from callclient.engine import events as ev
from callclient.services.threads import ANY_THREAD, CALLER, WORKER, runs_on

log = logging.getLogger(__name__)

NOTIFICATIONS = DBusAddress("/org/freedesktop/Notifications", bus_name="org.freedesktop.Notifications",
                            interface="org.freedesktop.Notifications")
APP_NAME = "CallClient"
ICON = "callclient"  # the icon the installed .desktop file names
URGENCY_NORMAL = 1  # the spec's 0 low, 1 normal, 2 critical (critical passes through the desktop's DND)
MISSED_CALL_EXPIRE_MS = -1  # the server's default: the notification stays in its history where it keeps one
RINGING_EXPIRE_MS = 0  # never expires by itself: it closes when the call is answered or ends

# Action keys as the spec's ActionInvoked signal hands them back.
ANSWER, DECLINE, CALL_BACK, LISTEN = "answer", "decline", "call-back", "listen"
DECLINE_CODE = 603  # RFC 3261 §21.6.2 Decline: the user does not want the call


@dataclass(frozen=True)
class Shown:
    """What a notification on screen is about, for when the user acts on it."""

    kind: str  # "incoming", "missed", "voicemail"
    account_id: str
    call_id: str = ""
    target: str = ""  # whom "Call back" / "Listen" dials


def plain(text: str, markup: bool, limit: int = 120) -> str:
    """Network text for a notification body: control characters go, long text is cut, and where the server
    reads markup (capability body-markup) it is escaped so a caller's name cannot carry tags or links."""
    cleaned = "".join(c if c.isprintable() else " " for c in text)
    if len(cleaned) > limit:
        cleaned = cleaned[:limit - 1] + "…"
    return html.escape(cleaned, quote=False) if markup else cleaned


def who(party: ev.Party) -> str:
    if party.display_name and party.display_name != party.number:
        return f"{party.display_name} ({party.number})"
    return party.number or party.uri


class CallNotifications:
    """Owns which desktop notifications CallClient shows and what their buttons do.

    `calls` is the call-actions service; `news` the news feed; `enabled()` reads desktop.notifications;
    `voicemail_number(account_id)` the number that reaches an account's mailbox ("" when none).
    """

    def __init__(self, bus: SessionBus, calls: Any, news: Any, enabled: Callable[[], bool],
                 voicemail_number: Callable[[str], str] = lambda account_id: "",
                 locked: Callable[[], bool] = lambda: False,
                 caller_hidden: Callable[[], bool] = lambda: False,
                 directory_name: Callable[[str], str] = lambda number: "") -> None:
        self._bus = bus
        # The directory's best name for a number, known locally (issue 13), before the SIP display name.
        self._directory_name = directory_name
        # The app lock (issue 18): while locked nobody's name or number is on the desktop for a missed call, and a
        # ringing caller is hidden too where the admin set policy.hide_caller_when_locked.
        self._locked = locked
        self._caller_hidden = caller_hidden
        self._calls = calls
        self._news = news
        self._enabled = enabled
        self._voicemail_number = voicemail_number
        self._shown: dict[int, Shown] = {}  # notification id -> what it is about
        self._by_call: dict[str, int] = {}  # ringing call id -> its notification id
        self._declined: set[str] = set()  # calls the user declined here: not "missed"
        # Calls that rang here. Only they can be missed: a call the engine refused before it rang (do-not-
        # disturb, not from the PBX, too many calls) still ends with a CallEnded, and is not news to the user.
        self._rang: set[str] = set()
        self._mailboxes: dict[str, int] = {}  # account id -> new messages last heard of
        self._lock = threading.Lock()
        self._showing = threading.Lock()  # one Notify at a time, until its id is recorded
        self._signals: queue.Queue[Any] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._stream: Any = None
        self._follows: list[Any] = []
        self._markup = True  # until the server says otherwise: escaping is the safe side
        # Whether a notification server answered the last time we asked (GetCapabilities or Notify): while
        # none does, the window's tray balloon is the only way an incoming call is told.
        self.server_answered = False

    @runs_on(CALLER)
    def server_capabilities(self) -> list[str]:
        """The notification server's capabilities; [] when none runs (checked again at each Notify)."""
        try:
            (capabilities,) = self._bus.call(new_method_call(NOTIFICATIONS, "GetCapabilities"))
        except (DBusErrorResponse, TimeoutError, OSError) as error:
            log.info("no desktop notification service yet: %s", error)
            self.server_answered = False
            return []
        self.server_answered = True
        self._markup = "body-markup" in capabilities
        if "actions" not in capabilities:
            log.info("the desktop's notification service shows no buttons: notifications are for reading only")
        return list(capabilities)

    @runs_on(CALLER)
    def start(self) -> None:
        self.server_capabilities()
        self._stream = self._news.subscribe()
        for member in ("ActionInvoked", "NotificationClosed"):
            rule = MatchRule(type="signal", interface=NOTIFICATIONS.interface, member=member,
                             path=NOTIFICATIONS.object_path)
            self._follows.append(self._bus.follow(rule, self._signals))
        for target, name in ((self._follow_news, "desktop-notifications"), (self._follow_actions, "notification-actions")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    @runs_on(CALLER)
    def stop(self) -> None:
        if self._stream is not None:
            self._stream.put(None)
            self._stream.close()
        self._signals.put(None)
        for handle in self._follows:
            handle.close()
        for thread in self._threads:
            thread.join(5)
        self._threads.clear()

    # ------------------------------------------------------------------ what is shown

    @runs_on(WORKER)
    def _follow_news(self) -> None:
        while True:
            item = self._stream.get()
            if item is None:
                return
            try:
                self.on_news(item)
            except Exception:  # one bad event must not end notifications for the session
                log.exception("desktop notification for %s failed", type(item).__name__)

    @runs_on(WORKER)
    def on_news(self, item: object) -> None:
        if isinstance(item, ev.CallUpdated):
            if item.state is ev.CallState.INCOMING and item.direction is ev.CallDirection.INCOMING:
                with self._lock:
                    if item.call_id in self._by_call:
                        return
                    self._rang.add(item.call_id)
                if self._enabled():
                    self._show_incoming(item)
            else:
                self._close_for_call(item.call_id)
        elif isinstance(item, ev.CallEnded):
            self._close_for_call(item.call_id)
            with self._lock:
                declined = item.call_id in self._declined
                self._declined.discard(item.call_id)
                rang = item.call_id in self._rang
                self._rang.discard(item.call_id)
            if (rang and item.direction is ev.CallDirection.INCOMING and not item.answered and not declined
                    and item.code != DECLINE_CODE and self._enabled() and not self._dnd(item.account_id)):
                if self._locked():  # no caller, and no call back from a locked app
                    self._notify(Shown("missed", item.account_id, item.call_id), "Missed call",
                                 "Unlock CallClient to see who called", [], MISSED_CALL_EXPIRE_MS)
                else:
                    self._notify(Shown("missed", item.account_id, item.call_id, item.remote.uri),
                                 "Missed call", plain(self._who(item.remote), self._markup), [CALL_BACK, "Call back"],
                                 MISSED_CALL_EXPIRE_MS)
        elif isinstance(item, ev.MessageSummary):
            with self._lock:
                before = self._mailboxes.get(item.account_id, 0)
                self._mailboxes[item.account_id] = item.new
            if item.new > before and self._enabled() and not self._dnd(item.account_id):
                number = self._voicemail_number(item.account_id)
                count = "1 new message" if item.new == 1 else f"{item.new} new messages"
                self._notify(Shown("voicemail", item.account_id, target=number), "New voicemail", count,
                             [LISTEN, "Listen"] if number else [], MISSED_CALL_EXPIRE_MS)

    def _who(self, party: ev.Party) -> str:
        try:
            name = self._directory_name(party.number) if party.number else ""
        except Exception:  # a directory problem never costs the user the notification
            log.exception("naming %s from the directory failed", party.number)
            name = ""
        return f"{name} ({party.number})" if name else who(party)

    def _show_incoming(self, call: ev.CallUpdated) -> None:
        summary = "Call waiting" if call.waiting else "Incoming call"
        body = ("Unlock CallClient to see who is calling" if self._caller_hidden()
                else plain(self._who(call.remote), self._markup))
        notification = self._notify(Shown("incoming", call.account_id, call.call_id), summary,
                                    body, [ANSWER, "Answer", DECLINE, "Decline"],
                                    RINGING_EXPIRE_MS)
        if notification:
            with self._lock:
                self._by_call[call.call_id] = notification

    def _notify(self, about: Shown, summary: str, body: str, actions: list[str], expire_ms: int) -> int:
        hints = {"urgency": ("y", URGENCY_NORMAL), "desktop-entry": ("s", "callclient"),
                 "category": ("s", "im.received" if about.kind == "voicemail" else "x-callclient.call")}
        message = new_method_call(NOTIFICATIONS, "Notify", "susssasa{sv}i",
                                  (APP_NAME, 0, ICON, summary, body, actions, hints, expire_ms))
        # Held from Notify until the id is recorded: a quick click's ActionInvoked can overtake us here
        # (the reply and the signal reach different threads), and on_action waits for this record.
        with self._showing:
            try:
                (notification,) = self._bus.call(message)
            except (DBusErrorResponse, TimeoutError, OSError) as error:
                log.warning("the desktop's notification service did not show %r: %s", summary, error)
                self.server_answered = False
                return 0
            self.server_answered = True
            with self._lock:
                self._shown[notification] = about
        return notification

    def _close_for_call(self, call_id: str) -> None:
        with self._lock:
            notification = self._by_call.pop(call_id, None)
            if notification is None:
                return
            self._shown.pop(notification, None)
        try:
            self._bus.call(new_method_call(NOTIFICATIONS, "CloseNotification", "u", (notification,)))
        except (DBusErrorResponse, TimeoutError, OSError) as error:
            log.info("closing notification %d failed: %s", notification, error)

    def _dnd(self, account_id: str) -> bool:
        try:
            accounts = self._calls.status().result(5).accounts
        except Exception as error:  # the engine stopping: err on the side of quiet
            log.info("do-not-disturb state unknown (%s); not notifying", error)
            return True
        return any(a.account_id == account_id and a.dnd for a in accounts)

    # ------------------------------------------------------------------ what the buttons do

    @runs_on(WORKER)
    def _follow_actions(self) -> None:
        while True:
            signal = self._signals.get()
            if signal is None:
                return
            member = signal.header.fields.get(3)  # HeaderFields.member
            try:
                if member == "ActionInvoked":
                    self.on_action(*signal.body)
                elif member == "NotificationClosed":
                    with self._lock:
                        self._shown.pop(signal.body[0], None)
            except Exception:
                log.exception("acting on notification %s failed", signal.body)

    @runs_on(ANY_THREAD)
    def on_action(self, notification: int, action: str) -> None:
        with self._showing, self._lock:
            about = self._shown.get(notification)
        if about is None:
            return  # someone else's notification (the signal is broadcast), or one already dealt with
        log.info("notification %d: %s (%s)", notification, action, about.kind)
        if about.kind == "incoming" and action == ANSWER:
            self._calls.answer(about.call_id)
        elif about.kind == "incoming" and action == DECLINE:
            with self._lock:
                self._declined.add(about.call_id)
            self._calls.decline(about.call_id, DECLINE_CODE)
        elif about.kind in ("missed", "voicemail") and action in (CALL_BACK, LISTEN) and about.target:
            self._calls.place_call(about.target, about.account_id)
