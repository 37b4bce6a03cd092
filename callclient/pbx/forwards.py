"""Call forwarding as the phone system stores it: unconditional, on busy, on no answer, each on or off with
its destination, and how long the phone rings before "no answer" applies. Plain values, shared by the PBX
backends (callclient/pbx/wazo/forwards.py), the forwarding service and the windows."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace


class ForwardKind(enum.StrEnum):
    UNCONDITIONAL = "unconditional"
    BUSY = "busy"
    NO_ANSWER = "noanswer"  # confd's name for it


@dataclass(frozen=True)
class Forward:
    enabled: bool = False
    destination: str = ""


@dataclass(frozen=True)
class Forwards:
    unconditional: Forward = Forward()
    busy: Forward = Forward()
    no_answer: Forward = Forward()
    ring_seconds: int | None = None  # how long the phones ring before no-answer forwarding; None: not offered

    def of(self, kind: ForwardKind) -> Forward:
        return {ForwardKind.UNCONDITIONAL: self.unconditional, ForwardKind.BUSY: self.busy,
                ForwardKind.NO_ANSWER: self.no_answer}[kind]

    def with_forward(self, kind: ForwardKind, forward: Forward) -> Forwards:
        field = {ForwardKind.UNCONDITIONAL: "unconditional", ForwardKind.BUSY: "busy",
                 ForwardKind.NO_ANSWER: "no_answer"}[kind]
        return replace(self, **{field: forward})


@dataclass(frozen=True)
class ForwardsChanged:
    """PBX push event: the user's forwards changed on the PBX (from here, a desk phone, the web app).
    `kind` is the forward the PBX named, None when every forward may have changed (a missed-event gap)."""

    kind: ForwardKind | None = None
