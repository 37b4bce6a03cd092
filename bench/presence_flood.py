"""The longest Qt event-loop stall while the PBX floods busy-lamp changes (target: under 50 ms).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/presence_flood.py [RATE_PER_S] [SECONDS] [FAVORITES]

Runs the real app (DesktopApp: Core in demo mode, the demo PBX over HTTPS and its websocket) in a sandbox,
adds FAVORITES colleagues as favorites through the Favorites view, shows that view, then has the demo PBX
change their line states RATE_PER_S times a second for SECONDS (chatd_presence_updated events through
wazo-websocketd, the presence service, the news stream and the bridge, as in use). A 2 ms timer on the GUI
thread records the gap between its ticks. The flood runs twice, side by side: with the view's lamp
coalescing as shipped, and with lamps drawn at every event (the repaint timer at 0 ms), for the ratio.
After each flood the lamps must show each colleague's last state (nothing lost). Prints the lines for
docs/benchmarks.md.
"""

from __future__ import annotations

import contextlib
import os
import platform
import statistics
import sys
import threading
import time

from ui_sandbox import EventLoopGaps, demo_desktop, process_until, sandbox

TICK_MS = 2
LINE_STATES = ("ringing", "talking", "holding", "available")


def main() -> int:
    rate = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
    favorites = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    results = []
    with sandbox(), contextlib.ExitStack() as running:
        from PySide6.QtWidgets import QApplication

        from callclient.services.types import PresenceState
        from ui.favorites_view import LAMP_REPAINT_MS
        from ui.models import VALUE_ROLE

        app = QApplication([sys.argv[0]])
        desktop = running.enter_context(demo_desktop(app))
        window = desktop.window
        core = desktop.core
        server = core.demo.pbx
        server.presence.stop()  # the demo's own lamp changes: this bench makes its own
        process_until(lambda: core.services.pbx.live, 30, "the PBX websocket")
        view = window.favorites_view
        window.show_section("favorites")
        entries = [e for e in server.data.directory if e["backend"] == "wazo" and e["user_uuid"]][1:favorites + 1]
        for entry in entries:
            view.add(entry["name"], entry["number"])
            process_until(lambda e=entry: any(f.target == e["number"] for f in view.favorites), 20, "the favorite")
        rows = {view.model.item(r).data(VALUE_ROLE).target: r for r in range(view.model.rowCount())}
        process_until(lambda: all(view.lamp_state(r) != PresenceState.UNKNOWN for r in rows.values()), 30,
                      "every lamp lit")
        received = [0]
        window.parts.bridge.presence_changed.connect(lambda _e: received.__setitem__(0, received[0] + 1))

        expected = {"ringing": PresenceState.RINGING, "talking": PresenceState.BUSY,
                    "holding": PresenceState.ON_HOLD, "available": PresenceState.AVAILABLE}
        # The time the GUI thread spends on lamps itself (event handler + drawing), apart from the machine's
        # load: the 2 ms timer also measures every other process taking the shared cores.
        handler_ms: list[float] = []

        def timed(method):  # noqa: ANN001, ANN202
            def run(*args):  # noqa: ANN002, ANN202
                began = time.perf_counter()
                try:
                    return method(*args)
                finally:
                    handler_ms.append((time.perf_counter() - began) * 1000)
            return run

        window.parts.bridge.presence_changed.disconnect(view.on_presence)
        window.parts.bridge.presence_changed.connect(timed(view.on_presence))
        view._lamp_timer.timeout.disconnect(view._draw_lamps)
        view._lamp_timer.timeout.connect(timed(view._draw_lamps))
        for label, repaint_ms, flooding in (("no flood (the machine's own stalls)", LAMP_REPAINT_MS, False),
                                            ("coalesced (shipped)", LAMP_REPAINT_MS, True),
                                            ("drawn per event", 0, True)):
            view._lamp_timer.setInterval(repaint_ms)
            handler_ms.clear()
            final: dict[str, str] = {}
            sent = [0]
            done = threading.Event()

            def flood() -> None:
                start = time.perf_counter()
                total = int(rate * seconds) if flooding else 0
                if not flooding:
                    time.sleep(seconds)  # the same span with nothing pushed
                for n in range(total):
                    due = start + n / rate
                    pause = due - time.perf_counter()
                    if pause > 0:
                        time.sleep(pause)  # pacing the PBX's pushes, not synchronising the test
                    entry = entries[n % len(entries)]
                    state = LINE_STATES[(n // len(entries)) % len(LINE_STATES)]
                    server.presence.set(entry["user_uuid"], line_state=state)
                    final[entry["number"]] = state
                    sent[0] += 1
                done.set()

            received[0] = 0
            meter = EventLoopGaps(TICK_MS)
            meter.start()
            began = time.perf_counter()
            thread = threading.Thread(target=flood, name="flood", daemon=True)
            thread.start()
            process_until(done.is_set, seconds * 4 + 30, "the flood")
            elapsed = time.perf_counter() - began
            process_until(lambda: all(view.lamp_state(rows[number]) == expected[state]
                                      for number, state in final.items()), 30, "the last states drawn")
            settled = time.perf_counter() - began - elapsed
            meter.stop()
            gaps_ms = meter.gaps_ms
            longest = max(gaps_ms)
            p99 = statistics.quantiles(gaps_ms, n=100)[98]
            busy = sum(handler_ms)
            worst = max(handler_ms, default=0.0)
            results.append((label, sent[0], sent[0] / elapsed, received[0], longest, p99, settled, busy / elapsed,
                            worst))
            print(f"{label}: {sent[0]} changes in {elapsed:.1f} s ({sent[0] / elapsed:.0f}/s), lamp events "
                  f"reaching the view {received[0]}, longest stall {longest:.1f} ms, p99 gap {p99:.1f} ms, "
                  f"last states drawn {settled * 1000:.0f} ms after the flood; lamp work on the GUI thread "
                  f"{busy / elapsed:.1f} ms/s, longest single {worst:.2f} ms; load {os.getloadavg()[0]:.1f}",
                  flush=True)
    machine = f"{platform.node()}, {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    for label, sent, per_s, received, longest, p99, settled, busy, worst in results:
        print(f"| {label}: {sent} lamp changes at {per_s:.0f}/s to {favorites} favorites | stall {longest:.1f} ms "
              f"(p99 gap {p99:.1f} ms) | lamp work {busy:.1f} ms/s, longest {worst:.2f} ms | last states drawn "
              f"{settled * 1000:.0f} ms after | {machine} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
