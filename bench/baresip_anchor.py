"""baresip <-> baresip on the same impairing relay as our pjsua2 calls: the anchor of bench/call_quality.py.

Debian's baresip 1.0.0: the caller's microphone is the `aufile` module reading the speech WAV; the
callee's speaker is the `alsa` module on ALSA's "pulse" device (a null sink of a user-mode PulseAudio),
which paces its playout. What we score is the `sndfile` module's dump of the decoded audio: baresip 1.0
has no file player, and ALSA's pulse device consumed ~10 % slower than real time here, so a recording of
the sink would measure that, not the call. The dump is taken right after decoding, before the playout
buffer: it shows loss and concealment, not late packets or stalls (docs/benchmarks.md says so next to
the figures).

The relay needs each side to advertise the relay's address in its SDP. baresip has no "public address"
setting for media, but it has STUN: each instance asks our loopback STUN server (below) what its RTP
and RTCP sockets look like from outside, and the server answers "127.0.0.2/.3, port + 1000", the relay's
copy of that side. Each instance runs from its own config directory in a temporary directory.
"""

from __future__ import annotations

import socket
import struct
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench.udp_relay import Condition, Endpoint, UdpRelay

MAGIC_COOKIE = 0x2112A442
STUN_PORT = 23478
CALLEE_SIP_PORT = 25160
CALLER_SIP_PORT = 25162
CALLEE_RTP = 24400
CALLER_RTP = 24500
RELAY_PORT_OFFSET = 1000  # baresip binds RTP on every address: the relay's copies need other ports


class LoopbackStun:
    """Answers STUN Binding requests (RFC 5389) with a mapped address chosen by the asking port."""

    def __init__(self, mapped: Callable[[int], tuple[str, int]], port: int = STUN_PORT) -> None:
        self._mapped = mapped
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", port))
        self._sock.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="loopback-stun", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data, (host, port) = self._sock.recvfrom(2048)
            except (TimeoutError, OSError):
                continue
            if len(data) < 20:
                continue
            kind, _, cookie = struct.unpack("!HHI", data[:8])
            if kind != 0x0001 or cookie != MAGIC_COOKIE:
                continue
            transaction = data[8:20]
            mapped_host, mapped_port = self._mapped(port)
            address = socket.inet_aton(mapped_host)
            x_port = mapped_port ^ (MAGIC_COOKIE >> 16)
            x_address = bytes(a ^ b for a, b in zip(address, struct.pack("!I", MAGIC_COOKIE)))
            attribute = struct.pack("!HHBBH", 0x0020, 8, 0, 1, x_port) + x_address
            self._sock.sendto(struct.pack("!HHI", 0x0101, len(attribute), MAGIC_COOKIE) + transaction + attribute,
                              (host, port))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self._sock.close()


def _config(directory: Path, *, sip_port: int, rtp_port: int, source_wav: Path, codec: str, sink: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    name = "callee" if sink == "speaker" else "caller"
    (directory / "config").write_text(f"""poll_method epoll
sip_listen 127.0.0.1:{sip_port}
net_interface 127.0.0.1
rtp_ports {rtp_port}-{rtp_port + 1}
rtcp_mux no
call_max_calls 1
audio_player alsa,pulse
audio_source aufile,{source_wav}
audio_alert alsa,pulse
ausrc_srate 16000
auplay_srate 16000
ausrc_channels 1
auplay_channels 1
audio_buffer 20-160
jitter_buffer_delay 5-10
opus_bitrate 28000
opus_inbandfec yes
opus_packet_loss 10
module_path /usr/lib/baresip/modules
module {"opus.so" if codec == "opus" else "g722.so"}
module aufile.so
module sndfile.so
snd_path {directory}
module alsa.so
module stun.so
module_tmp account.so
module_app menu.so
""")
    # Only the codec under test is loaded: the account's audio_codecs list did not stop PCMU in 1.0.0.
    params = f";regint=0;answermode=auto;medianat=stun;stunserver=stun:127.0.0.1:{STUN_PORT}"
    (directory / "accounts").write_text(f"<sip:{name}@127.0.0.1:{sip_port}>{params}\n")
    (directory / "contacts").write_text("")
    return directory


def one_call(codec: str, condition: Condition, seed: int, workdir: Path, reference_wav_16k: Path, seconds: float,
             pulse_env: dict[str, str]) -> np.ndarray:
    """codec: baresip's name ("G722" or "opus"). Returns what the callee decoded (sndfile's dump), 16 kHz float."""
    from tests.fixtures.pulse import read_wav

    silence = workdir / "silence16k.wav"
    if not silence.exists():
        from media.wavfile import encode_wav
        silence.write_bytes(encode_wav(np.zeros(int(16000 * (seconds + 30)), np.float32), 16000))
    relay = UdpRelay(Endpoint("127.0.0.1", "127.0.0.2", CALLER_RTP, CALLER_RTP + RELAY_PORT_OFFSET),
                     Endpoint("127.0.0.1", "127.0.0.3", CALLEE_RTP, CALLEE_RTP + RELAY_PORT_OFFSET),
                     condition, seed=seed).start()
    stun = LoopbackStun(lambda port: ("127.0.0.2" if port in (CALLER_RTP, CALLER_RTP + 1) else "127.0.0.3",
                                      port + RELAY_PORT_OFFSET))
    callee_dir = _config(workdir / "baresip-callee", sip_port=CALLEE_SIP_PORT, rtp_port=CALLEE_RTP,
                         source_wav=silence, codec=codec, sink="speaker")
    caller_dir = _config(workdir / "baresip-caller", sip_port=CALLER_SIP_PORT, rtp_port=CALLER_RTP,
                         source_wav=reference_wav_16k, codec=codec, sink="microphone")
    logs = []
    processes: list[subprocess.Popen[bytes]] = []
    try:
        # -t: each instance quits on its own once the speech has been played and heard.
        for directory, sink, extra in ((callee_dir, "speaker", ["-t", str(int(seconds + 8))]),
                                       (caller_dir, "microphone",
                                        ["-t", str(int(seconds + 4)),
                                         "-e", f"/dial sip:callee@127.0.0.1:{CALLEE_SIP_PORT}"])):
            log = (directory / "log").open("wb")
            logs.append(log)
            processes.append(subprocess.Popen(["baresip", "-f", str(directory), *extra],
                                              env={**pulse_env, "PULSE_SINK": sink, "HOME": str(directory)},
                                              stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT))
            if sink == "speaker":
                _wait_for_text(directory / "log", "baresip is ready", processes[0])
        for process in processes:
            process.wait(seconds + 30)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                process.wait(10)
        for log in logs:
            log.close()
        stun.stop()
        relay.stop()
    print(f"  baresip relay: {relay.counts.forwarded} forwarded, {relay.counts.dropped} dropped")
    if relay.counts.forwarded < 100:
        raise RuntimeError("no media crossed the relay; callee log:\n" + (callee_dir / "log").read_text()[-3000:])
    dumps = sorted(callee_dir.glob("dump-*-dec.wav"))
    if not dumps:
        raise RuntimeError(f"baresip's sndfile wrote no decoded dump in {callee_dir}")
    samples, rate = read_wav(dumps[-1])
    for dump in callee_dir.glob("dump-*.wav"):
        dump.unlink()
    if rate != 16000:
        import soxr
        samples = soxr.resample(samples, rate, 16000).astype(np.float32)
    return samples


def _wait_for_text(path: Path, text: str, process: subprocess.Popen[bytes], timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if text in path.read_text(errors="replace"):
            return
        if process.poll() is not None:
            break
        time.sleep(0.05)  # a bench waiting on a child's log file: nothing to block on
    raise RuntimeError(f"baresip did not say {text!r}:\n{path.read_text(errors='replace')[-3000:]}")

