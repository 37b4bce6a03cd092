"""The longest stall of the Qt event loop while calls are set up and torn down (target: under 50 ms).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_stall.py [CALLS]

Runs the real app (DesktopApp: Core in demo mode, real sound devices on a null-sink PulseAudio) in a
sandbox, then places CALLS calls to the echo number through the dialpad and hangs each up with the
hang-up button. A 2 ms timer on the GUI thread records the gap between its ticks; a gap longer than the
interval is time the event loop could not run. Prints the result and the line for docs/benchmarks.md.
"""

from __future__ import annotations

import contextlib
import platform
import statistics
import sys
import time

from ui_sandbox import EventLoopGaps, demo_desktop, process_until, sandbox

TICK_MS = 2


def main() -> int:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    with sandbox(), contextlib.ExitStack() as running:
        from PySide6.QtWidgets import QApplication

        from callclient.engine.events import CallState

        app = QApplication([sys.argv[0]])
        desktop = running.enter_context(demo_desktop(app))
        window = desktop.window
        process_until(lambda: window.registration_label.text().startswith("Ready"), 30, "ready")
        process_until(lambda: window.history_view.model.rowCount() > 0, 30, "the history")

        meter = EventLoopGaps(TICK_MS)
        meter.measuring = False
        meter.start()
        gaps_ms = meter.gaps_ms
        worst_per_call: list[float] = []
        try:
            for _ in range(calls):
                start = len(gaps_ms)
                meter.restart_clock()
                meter.measuring = True
                window.dialpad.number.setText("100")
                window.dialpad.call_button.click()
                process_until(lambda: any(c.state is CallState.CONFIRMED for c in window.call_view.calls.values()),
                              20, "the call")
                window.call_view.hang_up.click()
                process_until(lambda: not window.call_view.has_calls(), 20, "the hang-up")
                meter.measuring = False
                worst_per_call.append(max(gaps_ms[start:]))
        finally:
            meter.stop()
    longest = max(gaps_ms)
    p99 = statistics.quantiles(gaps_ms, n=100)[98]
    print(f"calls: {calls}, ticks: {len(gaps_ms)}")
    print(f"longest stall: {longest:.1f} ms; p99 gap: {p99:.1f} ms; median worst per call: "
          f"{statistics.median(worst_per_call):.1f} ms")
    print(f"| Longest Qt event-loop stall during call set-up + tear-down ({calls} calls to the echo number) | "
          f"{longest:.1f} ms (p99 {p99:.1f} ms) | < 50 ms | {platform.node()}, {platform.processor() or platform.machine()}, "
          f"{time.strftime('%Y-%m-%d')} |")
    return 0 if longest < 50 else 1


if __name__ == "__main__":
    sys.exit(main())
