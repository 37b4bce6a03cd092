"""The desktop app's entry point: `run(core_options, argv)` builds the QApplication, the Core, the main
window, and runs the event loop. Core starts on a worker thread (keychain, store, engine and PBX sign-in
can take seconds) while a small window says so; the main window appears when the engine runs.

The control socket (single instance, sip:/tel:/callto: links from the desktop) is served here too, so a
second launch hands its link to this window.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QVBoxLayout, QWidget

from callclient import APP_NAME, __version__
from callclient.app import Core, CoreOptions
from callclient.startup import StartupError
from callclient.services.types import AudioDeviceChanged, HotkeyConflict, ShowWindowRequested, UpdateAvailable
from ui import theme
from ui.bridge import EngineBridge, Tasks
from ui.i18n import apply_language
from ui.parts import AppParts, parts_from_core

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)


class ControlRelay(QObject):
    """The control socket's requests (on its own thread) as queued signals for the GUI thread."""

    open_requested = Signal(str)
    show_requested = Signal()


def apply_theme(app: QApplication, choice: str = "system") -> None:
    """Light or dark as ui.theme says ("system": from the system palette, re-applied when it switches)."""
    theme.apply(app, choice)


class DesktopApp(QObject):
    """Owns the Core and the windows for one run of the app; everything here runs on the GUI thread."""

    started = Signal()
    failed = Signal(str)

    def __init__(self, app: QApplication, options: CoreOptions) -> None:
        super().__init__()
        self.app = app
        # A link given at launch is called once the window is up, through the same confirmation as a click.
        self._dial = options.dial
        # The window shows before demo mode's PBX has started (its history and voicemail follow) and before the
        # voice processing is built (a call's media comes later than that).
        self.core = Core(dataclasses.replace(options, dial=None, demo_in_background=True,
                                             processing_in_background=True))
        self.executor = ThreadPoolExecutor(4, thread_name_prefix="ui-work")
        self.tasks = Tasks(self.executor)
        self.bridge: EngineBridge | None = None
        self.parts: AppParts | None = None
        self.window: MainWindow | None = None
        self.control: Any = None
        self.relay = ControlRelay()
        self.splash = _starting_window()
        self._theme = "system"

    @property
    def theme_choice(self) -> str:
        return self._theme

    def start(self) -> None:
        self._serve_control()  # first, as in headless mode: the socket is what makes this the only instance
        self.splash.show()
        self.tasks.run(self.core.start, lambda _: self._core_started(), self._core_failed)
        # The windows' modules load here while Core starts on its worker: much of Core's start waits on
        # D-Bus, SQLCipher and pjsua (GIL released), so the two overlap. Queued, so the splash paints first.
        QTimer.singleShot(0, _import_windows)

    def _core_started(self) -> None:
        self.splash.close()
        services = self.core.services
        assert services is not None
        self.bridge = EngineBridge(services.news.subscribe())
        self.parts = parts_from_core(self.core, self.bridge, self.tasks)
        self._theme = services.settings.config.config.ui.theme
        apply_theme(self.app, self._theme)
        self.bridge.settings_changed.connect(self._settings_changed)
        self.bridge.event.connect(self._desktop_news)
        from ui.main_window import MainWindow

        window = self.window = MainWindow(self.parts)
        self.bridge.fault.connect(window.show_notice)  # e.g. demo mode failing to start after the window
        window.settings_requested.connect(self.show_settings)
        window.sign_in_requested.connect(self.show_sign_in)
        window.sign_out_requested.connect(self.sign_out)
        window.quit_requested.connect(self.app.quit)
        self.relay.open_requested.connect(lambda uri: (window.bring_to_front(), window.call(uri)))
        self.relay.show_requested.connect(window.bring_to_front)
        config = services.settings.config
        # The autostart entry asks for the tray whatever ui.start_minimised says (callclient/desktop/autostart.py).
        minimised = config.config.ui.start_minimised or self.core.options.environ.get("CALLCLIENT_START_MINIMISED") == "1"
        if minimised and window.tray is not None:
            window.hide()
        else:
            window.show()
        window.start()
        self.core.finish_start()  # the demo PBX and the voice processing would have held up the window
        for notice in self.core.notices:
            window.show_notice(notice)
        if not services.accounts.accounts:
            self.show_sign_in()
        elif self._dial:
            window.call(self._dial)
        self._dial = None
        self.started.emit()

    def _core_failed(self, error: BaseException) -> None:
        self.splash.close()
        message = str(error) if isinstance(error, StartupError) else f"{type(error).__name__}: {error}"
        log.error("CallClient could not start: %s", message)
        QMessageBox.critical(None, self.tr("CallClient cannot start"), message)
        self.failed.emit(message)
        self.app.exit(2)

    def _serve_control(self) -> None:
        from callclient.control.protocol import socket_path
        from callclient.control.server import AlreadyRunning, ControlServer, ControlUnavailable

        self.control = ControlServer(socket_path(),
                                     lambda: self.core.services.calls if self.core.services else None,
                                     settings=lambda: self.core.services.settings if self.core.services else None,
                                     directory=lambda: self.core.services.directory if self.core.services else None,
                                     on_open=self.relay.open_requested.emit, on_show=self.relay.show_requested.emit,
                                     extra_status=lambda: {"version": __version__, "demo": self.core.demo is not None})
        try:
            self.control.start()
        except (AlreadyRunning, ControlUnavailable) as error:
            log.warning("links will not reach this window: %s", error)
            self.control = None

    def show_settings(self) -> None:
        assert self.parts is not None and self.window is not None
        from ui.settings import SettingsDialog

        dialog = SettingsDialog(self.parts, self.window)
        dialog.erase_requested.connect(self.erase_everything)
        dialog.sign_out_requested.connect(lambda: (dialog.close(), self.sign_out()))
        dialog.show()

    def show_sign_in(self) -> None:
        assert self.parts is not None and self.window is not None
        from ui.sign_in import SignInWindow

        dialog = SignInWindow(self.parts, self.window)
        dialog.show()  # the window follows the accounts service's news: nothing to tell it here

    def sign_out(self) -> None:
        assert self.parts is not None
        accounts = self.parts.services.accounts
        self.tasks.run(lambda: accounts.sign_out(erase=True), None,
                       lambda error: self.window.show_notice(str(error)) if self.window else None)

    def _settings_changed(self, change: Any) -> None:
        if change.touches("ui.theme"):
            self._theme = change.config.config.ui.theme

    def _desktop_news(self, event: Any) -> None:
        """What the desktop services tell the window: a hotkey asking for it, a conflict, a newer version."""
        if self.window is None:
            return
        if isinstance(event, ShowWindowRequested):
            self.window.bring_to_front()
        elif isinstance(event, HotkeyConflict):
            self.window.show_notice(self.tr("The shortcut %1 for %2 is taken by another program: %3")
                                    .replace("%1", event.shortcut).replace("%2", event.action)
                                    .replace("%3", event.reason))
        elif isinstance(event, AudioDeviceChanged):
            self.window.show_notice(event.message)  # the headset went away (the default stands in) or came back
        elif isinstance(event, UpdateAvailable):
            # The feed is signed, but its text is still shown as plain text (show_notice neutralises it).
            self.window.show_notice(self.tr("CallClient %1 is available: %2").replace("%1", event.version)
                                    .replace("%2", event.download_page))

    def erase_everything(self) -> None:
        if self.window is not None:
            self.window.hide()
        self.stop_bridge()
        self.tasks.run(self.core.erase_all_data, lambda _: self.app.quit(), lambda _: self.app.quit())

    def stop_bridge(self) -> None:
        if self.bridge is not None:
            self.bridge.stop()
            self.bridge = None

    def stop(self) -> None:
        if self.control is not None:
            self.control.stop()
        self.stop_bridge()
        self.core.stop()
        self.executor.shutdown(wait=False, cancel_futures=True)


def _import_windows() -> None:
    # What _core_started builds (the sign-in window: at once in demo mode). Not the Settings window (~65 ms,
    # opened later if at all): with Core's start now shorter, this import is on the way to the window.
    import ui.main_window  # noqa: F401
    import ui.sign_in  # noqa: F401


def _starting_window() -> QWidget:
    window = QWidget(None, Qt.WindowType.SplashScreen)
    label = QLabel(QApplication.translate("main", "Starting CallClient…"))
    label.setProperty("role", "title")
    layout = QVBoxLayout(window)
    layout.setContentsMargins(32, 24, 32, 24)
    layout.addWidget(label)
    return window


def run(core_options: CoreOptions, argv: list[str]) -> int:
    """The GUI: returns the process's exit code."""
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("callclient")
    app.setWindowIcon(theme.app_icon())
    app.setQuitOnLastWindowClosed(False)  # closing the window keeps the app in the tray
    apply_theme(app)
    # The system's language until the settings are read (the starting window speaks it); MainWindow then applies
    # ui.language before it builds its widgets.
    apply_language("system")
    desktop = DesktopApp(app, core_options)
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_theme(app, desktop.theme_choice))
    desktop.start()
    try:
        return app.exec()
    finally:
        desktop.stop()


if __name__ == "__main__":
    sys.exit(run(CoreOptions(), sys.argv))
