"""The Opus codec as pjmedia's stream drives it, packet by packet, including packets no encoder made.

pjmedia's stream calls the codec through pjmedia_codec_mgr_alloc_codec and the codec's op table: parse
on the RTP thread, decode or recover on the clock thread. These tests take the same route (pjmedia's
codec manager, the op table pjmedia calls) on a running engine, so a malformed payload from the network
meets exactly the code a call runs."""

from __future__ import annotations

import ctypes
from collections.abc import Iterator

import numpy as np
import pytest

from callclient.engine import EngineSettings, SipEngine
from callclient.engine import pjmedia_abi as abi
from tests.fixtures.pjmedia_codec import PjmediaOpus

RATE_HZ = 16000
FRAME = RATE_HZ // 50  # 20 ms


@pytest.fixture
def codec() -> Iterator[tuple[int, abi.CodecOp]]:
    engine = SipEngine(EngineSettings(log_level=1))
    engine.start()
    opus = PjmediaOpus()
    yield opus.handle, opus.op
    opus.close()
    engine.stop()


def frame_of(buffer: ctypes.Array, size: int) -> abi.Frame:
    return abi.Frame(type=1, buf=ctypes.addressof(buffer), size=size)


def test_speech_goes_through_and_a_lost_packet_is_rebuilt(codec) -> None:  # noqa: ANN001
    handle, op = codec
    t = np.arange(FRAME * 50) / RATE_HZ
    tone = (8000 * np.sin(2 * np.pi * 700 * t)).astype(np.int16)
    pcm, packet, out = ctypes.create_string_buffer(FRAME * 2), ctypes.create_string_buffer(1500), \
        ctypes.create_string_buffer(FRAME * 2 * 6)
    decoded = []
    for k in range(50):
        ctypes.memmove(pcm, tone[k * FRAME:(k + 1) * FRAME].tobytes(), FRAME * 2)
        encoded = abi.Frame()
        encoded.buf = ctypes.addressof(packet)
        assert op.encode(handle, ctypes.byref(frame_of(pcm, FRAME * 2)), 1500, ctypes.byref(encoded)) == 0
        assert 0 < encoded.size <= 1275
        result = frame_of(out, len(out))
        if k == 30:
            assert op.recover(handle, len(out), ctypes.byref(result)) == 0  # the jitter buffer lost it
        else:
            assert op.decode(handle, ctypes.byref(frame_of(packet, encoded.size)), len(out), ctypes.byref(result)) == 0
        decoded.append(np.frombuffer(out.raw[:result.size], np.int16))
    heard = np.concatenate(decoded).astype(np.float32)
    spectrum = np.abs(np.fft.rfft(heard[-RATE_HZ // 2:]))
    assert abs(np.argmax(spectrum) * RATE_HZ / (RATE_HZ // 2) - 700) < 10
    assert heard.size >= FRAME * 48, "every frame came out, the lost one included"


@pytest.mark.parametrize("payload", [b"", b"\x03", b"\x03\xff" + b"\x00" * 10, b"\xfb" + b"\xff" * 1400,
                                     bytes(range(256)) * 5])
def test_a_malformed_payload_is_refused_with_a_status_not_a_crash(codec, payload: bytes) -> None:  # noqa: ANN001
    handle, op = codec
    raw = ctypes.create_string_buffer(payload or b"\x00", max(len(payload), 1))
    count = ctypes.c_uint(16)
    frames = (abi.Frame * 16)()
    timestamp = ctypes.c_uint64(960)
    status = op.parse(handle, ctypes.addressof(raw), len(payload), ctypes.byref(timestamp), ctypes.byref(count), frames)
    out = ctypes.create_string_buffer(FRAME * 2 * 6)
    if status == 0:  # it looked like Opus framing: the decoder must then refuse or conceal it
        for i in range(count.value):
            result = frame_of(out, len(out))
            op.decode(handle, ctypes.byref(frames[i]), len(out), ctypes.byref(result))
            assert result.size <= len(out)
    else:
        assert status in (abi.PJMEDIA_CODEC_EFAILED, abi.PJMEDIA_CODEC_EFRMTOOSHORT)
    # The codec still works afterwards.
    result = frame_of(out, len(out))
    assert op.recover(handle, len(out), ctypes.byref(result)) == 0 and result.size > 0
