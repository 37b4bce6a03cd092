"""The Qt binding must not leak references on signal emission.

PySide6 6.12.0 dropped one reference to `True` on every `Signal.emit()` made from Python; the bridge emits several
signals per news item, so a long-running app aborted with "Fatal Python error: bool_dealloc" after a few thousand
(a presence flood did it in seconds). pyproject.toml keeps PySide6 below 6.12; this test fails on any binding that
brings the leak back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    with_value = Signal(object)
    bare = Signal()


def test_emitting_signals_leaves_reference_counts_alone(qapp):
    emitter = _Emitter()
    received: list[object] = []
    emitter.with_value.connect(received.append)
    emitter.bare.connect(lambda: received.append(None))
    before = sys.getrefcount(True)
    for i in range(200):
        emitter.with_value.emit(i)
        emitter.bare.emit()
    after = sys.getrefcount(True)
    assert len(received) == 400
    assert after - before == 0, f"{before - after} references to True lost by 400 emits (PySide6 6.12-style leak)"
