"""How a call sounds: the receive-side figures of its audio stream and a MOS estimate from them.

`quality_of` reads pjsua2's RTCP statistics, so it runs on the engine thread; `estimate_mos` is plain
arithmetic any thread (and the benchmarks) may use.
"""

from __future__ import annotations

import pjsua2 as pj

from callclient.engine.calls import SipCall
from callclient.engine.status import CallQuality


def quality_of(call: SipCall) -> CallQuality:
    info = call.getInfo()
    index = next((m.index for m in info.media if m.type == pj.PJMEDIA_TYPE_AUDIO), 0)
    stat = call.getStreamStat(index)
    stream = call.getStreamInfo(index)
    rx = stat.rtcp.rxStat
    received = rx.pkt + rx.loss
    loss = 100.0 * rx.loss / received if received else 0.0
    jitter_ms = rx.jitterUsec.last / 1000.0
    rtt_ms = stat.rtcp.rttUsec.last / 1000.0
    return CallQuality(
        codec=stream.codecName,
        jitter_ms=jitter_ms,
        loss_percent=loss,
        rtt_ms=rtt_ms,
        mos=estimate_mos(loss, jitter_ms, rtt_ms),
    )


def estimate_mos(loss_percent: float, jitter_ms: float, rtt_ms: float) -> float:
    """ITU-T G.107 E-model, simplified the usual way for VoIP monitoring (codec impairment of G.711)."""
    effective_latency = rtt_ms / 2 + 2 * jitter_ms + 10
    r = 93.2 - (effective_latency / 40 if effective_latency < 160 else (effective_latency - 120) / 10)
    r -= 2.5 * loss_percent
    r = max(0.0, min(100.0, r))
    return round(1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r), 2)
