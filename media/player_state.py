"""Where a voicemail or recording player is: its own module, without numpy, so the windows can name the states
(through callclient.services.types) without loading numpy before the app has started (bench/ui_startup.py)."""

from __future__ import annotations

from enum import Enum


class PlayerState(Enum):
    PLAYING = "playing"
    PAUSED = "paused"
    FINISHED = "finished"
