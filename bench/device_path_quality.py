"""Speech quality through the app's real device path, both directions, single and double talk, with an echo.

What the app composes for a call (callclient/app.py): the SIP engine (pjsua2 on its own thread) with
`media.bridge.DeviceAudio` -- real PortAudio streams, the drift-following rings, the capture processing --
on a user-mode PulseAudio's two null sinks (tests/fixtures/pulse.py), registered at a real Kamailio, in a
G.722 call with a pjsua2 far end in its own process (tests/fixtures/sip_peer.py). espeak-ng speech is
played into the `microphone` sink (what the user says) while the far end plays different speech into the
call; the far end records what it receives, `parec` records the `speaker` sink (what the user hears).

Scenarios, each under every processing configuration, all in one call and one run (ratios side by side):
- single talk: only the user talks;
- double talk: both talk at once, no echo path (a headset);
- echo: the far end says its piece twice and the user joins 3 s into the second pass; the speaker's
  output comes back into the microphone through the echo bench's room (40 ms + 150 ms decay, -6 dB)
  after a soft-clipping speaker (bench/echo_erle.py), simulated live between `parec speaker.monitor`
  and `pacat microphone`.
Scores: PESQ-WB (P.862.2) of the user's speech at the far end and of the far end's speech at our speaker,
after aligning by cross-correlation; ERLE = level of the far-end-only stretch at the far end with
processing off minus with it on. The measuring path -- the same paplay/parec through PulseAudio with no
app in between -- is scored too, so the app's own cost is what sits below it.

Its parts: bench/speech_scoring.py (the speech and its scores), bench/pulse_speech.py (playing, recording
and the live echo path on the null sinks), bench/wideband_far_end.py (the far end and the device-less
reference call), bench/device_path_report.py (the section of docs/benchmarks.md); this script runs the call.

Run: .venv/bin/python bench/device_path_quality.py [--runs 2] [--write]   (needs the `bench` extra)
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.device_path_report import summarise, write_section  # noqa: E402
from bench.pulse_speech import EchoPath, measuring_path, play, record  # noqa: E402
from bench.sip_setup import confirmed_call  # noqa: E402
from bench.speech_scoring import PAD_S, PEAK, RATE, align, db, espeak, pesq_wb, read_samples  # noqa: E402
from bench.wideband_far_end import WidebandFarEnd, bridge_reference  # noqa: E402

NEAR_TEXT = ("The birch canoe slid on the smooth planks. Glue the sheet to the dark blue background. "
             "It is easy to tell the depth of a well.")
FAR_TEXT = ("The quarterly numbers are in and they look better than we expected. Sales in the northern region "
            "grew by twelve percent, while the south stayed flat. We should talk about the budget for next year.")
ECHO_JOIN_S = 3.0  # in the echo scenario the user joins this long into the far end's second pass


class ProcessorBefore:
    """The capture processing as shipped before issue 20, for side-by-side figures: one WebRTC module
    from the `livekit` wheel doing AEC3 (always engaged), NS, AGC2 and its high-pass filter."""

    def __init__(self, rate_hz: int, aec: bool = True, ns: bool = True, agc: bool = True,
                 high_pass: bool = True) -> None:
        from livekit import rtc

        self.frame_samples = rate_hz // 100
        self._apm = rtc.AudioProcessingModule(echo_cancellation=aec, noise_suppression=ns,
                                              high_pass_filter=high_pass, auto_gain_control=agc)
        self._render = rtc.AudioFrame(bytearray(self.frame_samples * 2), rate_hz, 1, self.frame_samples)
        self._capture = rtc.AudioFrame(bytearray(self.frame_samples * 2), rate_hz, 1, self.frame_samples)
        self._aec = aec
        self.switches = (aec, ns, agc, high_pass)

    def set_delay_ms(self, delay_ms: int) -> None:
        self._apm.set_stream_delay_ms(int(delay_ms))

    def process_render(self, frame: np.ndarray) -> None:
        if self._aec:
            np.frombuffer(self._render.data, dtype=np.int16)[:] = np.clip(frame * 32767, -32768, 32767)
            self._apm.process_reverse_stream(self._render)

    def process_capture(self, frame: np.ndarray, out: np.ndarray) -> None:
        pcm = np.frombuffer(self._capture.data, dtype=np.int16)
        pcm[:] = np.clip(frame * 32767, -32768, 32767)
        self._apm.process_stream(self._capture)
        out[:] = pcm / 32768


def configurations() -> dict[str, object]:
    from media.processing import ProcessingSettings as P

    return {
        "before: AEC3 always on, alone": ProcessorBefore(RATE, ns=False, agc=False, high_pass=False),
        "before: shipped default (all on)": ProcessorBefore(RATE),
        "all off": P(aec=False, ns=False, agc=False, high_pass=False),
        "high-pass only": P(aec=False, ns=False, agc=False, high_pass=True),
        "noise suppression only": P(aec=False, ns=True, agc=False, high_pass=False),
        "automatic gain only": P(aec=False, ns=False, agc=True, high_pass=False),
        "echo control only": P(aec=True, ns=False, agc=False, high_pass=False),
        "shipped default": P(),
    }


def run_once(run: int, work: Path, results: dict, scenarios: tuple[str, ...] = ("single talk", "double talk", "echo"),
             only: tuple[str, ...] = (), speaker_latency: str = "") -> None:  # noqa: C901 - one scripted call
    """One call through every scenario and configuration (`only`: just those configurations).
    `speaker_latency` overrides the app's PortAudio output latency ("low" as shipped, or "high"), a
    bench-only swap to show what the speaker stream's timing does to the echo path."""
    from callclient.engine import EngineSettings, SipEngine
    from media.bridge import DeviceAudio
    from media.processing import ProcessingSettings
    from tests.conftest import SIP_USERS
    from tests.fixtures.kamailio import Kamailio
    from tests.fixtures.pulse import portaudio_on, running_pulse
    from tests.fixtures.tls import make_pki

    near = espeak(NEAR_TEXT, "en-us", work / "near.wav")
    far = espeak(FAR_TEXT, "en", work / "far.wav")
    from media.wavfile import encode_wav

    # The echo take: the far end says its piece twice (the canceller learns the room on the first pass,
    # as it would in the first seconds of a call), and the user joins during the second.
    (work / "far-twice.wav").write_bytes(encode_wav(np.concatenate(
        [np.zeros(int(PAD_S * RATE), np.float32), far, far]), RATE))
    espeak(NEAR_TEXT, "en-us", work / "near-late.wav", lead_s=len(far) / RATE + ECHO_JOIN_S)
    pki = make_pki(work / "pki")
    pulse_gen = running_pulse()
    pulse = next(pulse_gen)
    kamailio = Kamailio(work / "kamailio", SIP_USERS, pki.cert_file, pki.key_file)
    kamailio.start()
    pa = portaudio_on(pulse)
    next(pa)
    peer = engine = None
    try:
        ref_mic, ref_speaker = measuring_path(pulse, work, work / "near.wav", work / "far.wav", near, far)
        results.setdefault(("measuring path", "reference", "mic"), []).append(ref_mic)
        results.setdefault(("measuring path", "reference", "speaker"), []).append(ref_speaker)
        print(f"run {run}: measuring path: microphone {ref_mic:.2f}, speaker {ref_speaker:.2f}", flush=True)
        if speaker_latency:
            import sounddevice

            shipped_stream = sounddevice.OutputStream

            def output_stream(*args: object, **kwargs: object) -> object:
                kwargs["latency"] = speaker_latency
                return shipped_stream(*args, **kwargs)

            sounddevice.OutputStream = output_stream
        audio = DeviceAudio("pulse", "pulse", processing=ProcessingSettings())
        engine = SipEngine(EngineSettings(tls_ca_file=str(pki.ca_file), log_level=1), audio)
        bridge_mic, bridge_speaker = bridge_reference(kamailio, work, near, far)
        results.setdefault(("bridge", "reference", "mic"), []).append(bridge_mic)
        results.setdefault(("bridge", "reference", "speaker"), []).append(bridge_speaker)
        print(f"run {run}: call without sound devices: one way {bridge_mic:.2f}, the other {bridge_speaker:.2f}",
              flush=True)
        peer = WidebandFarEnd([dict(user="bob", password=SIP_USERS["bob"], domain=kamailio.domain,
                                    registrar=kamailio.address())])
        peer.expect(lambda e: e["ev"] == "registration" and e["code"] == 200, what="bob registered")
        engine.start()
        call_id, peer_call = confirmed_call(engine, kamailio, peer)

        for scenario in scenarios:
            echo_path = EchoPath(pulse.env) if scenario == "echo" else None
            try:
                for name, config in configurations().items():
                    if only and name not in only:
                        continue
                    if isinstance(config, ProcessorBefore):
                        # the old processor, put where DeviceAudio keeps its own (a bench-only swap)
                        audio.set_processing(ProcessingSettings(aec=False, ns=False, agc=False, high_pass=False))
                        audio._processor = config
                    else:
                        audio.set_processing(config)  # a fresh processor: nothing learnt in the last take
                    tag = f"{run}-{scenario.replace(' ', '_')}-{name.replace(' ', '_')}"
                    received, heard = work / f"received-{tag}.wav", work / f"heard-{tag}.wav"
                    overruns_before = audio.stats().playback.overruns
                    peer.send(op="record", call=peer_call, file=str(received))
                    peer.expect(lambda e: e["ev"] == "recording", what="the far end recording")
                    speaker = record(pulse.env, "speaker", heard)
                    mic_wav = work / ("near-late.wav" if scenario == "echo" else "near.wav")
                    if scenario != "single talk":
                        far_wav = work / ("far-twice.wav" if scenario == "echo" else "far.wav")
                        peer.send(op="play", call=peer_call, file=str(far_wav))
                    talking = play(pulse.env, "microphone", mic_wav)
                    assert talking.wait(90) == 0
                    if scenario != "single talk":
                        peer.expect(lambda e: e["ev"] == "play_done", timeout=90, what="the far end finished")
                    time.sleep(0.6)  # the pipeline's buffers (~100 ms) drain into the recordings
                    peer.send(op="stop_media", call=peer_call)
                    peer.expect(lambda e: e["ev"] == "media_stopped", what="the far end's recording closed")
                    speaker.terminate()
                    speaker.wait(10)
                    got = read_samples(received)
                    score = pesq_wb(near, got)
                    results.setdefault((scenario, name, "mic"), []).append(score)
                    line = f"run {run}: {scenario:11s} {name:22s} microphone->far end {score:.2f}"
                    if scenario != "single talk":
                        heard_score = pesq_wb(far, read_samples(heard))  # (the echo take: its first pass)
                        results.setdefault((scenario, name, "speaker"), []).append(heard_score)
                        line += f", far end->speaker {heard_score:.2f}"
                    if scenario == "echo":
                        level = _far_only_level(near, got)
                        results.setdefault((scenario, name, "far-only level"), []).append(level)
                        line += f", far-only level at far end {level:.1f} dB"
                    processor = audio._processor
                    if hasattr(processor, "cancelled_frames"):
                        line += (f", echo gate {'on' if processor.echo_path_heard else 'off'} at the end "
                                 f"(delay {processor.echo_delay_ms} ms), canceller used "
                                 f"{processor.cancelled_frames / 100:.1f} s")
                    overruns = audio.stats().playback.overruns - overruns_before
                    results.setdefault(("overruns", scenario), []).append(overruns)
                    line += f", speaker ring overruns {overruns}"
                    print(line, flush=True)
            finally:
                if echo_path is not None:
                    echo_path.stop()
        engine.hangup(call_id).result(5)
    finally:
        if engine is not None:
            engine.stop()
        if peer is not None:
            peer.close()
        kamailio.stop()
        for generator in (pa, pulse_gen):
            generator.close()


def _far_only_level(near: np.ndarray, got: np.ndarray) -> float:
    """The level at the far end while only the far end talked, in its second pass: the 2.7 s before the
    user's speech starts."""
    _, start = align(near, got)
    stretch = got[max(0, start - int(ECHO_JOIN_S * RATE)):max(0, start - int(0.3 * RATE))]
    return db(stretch)


def processing_alone(work: Path) -> list[str]:
    """Each configuration on the same signals with no devices and no call: the processing's own cost,
    free of this shared machine's scheduling noise (the device table's spread). Mic noise -70 dBFS."""
    from pesq import pesq

    from bench.echo_erle import room
    from media.processing import ProcessingSettings, VoiceProcessor

    near = espeak(NEAR_TEXT, "en-us", work / "near.wav")
    far = espeak(FAR_TEXT, "en", work / "far.wav")
    rng = np.random.default_rng(7)
    frame = RATE // 100

    def noise(n: int) -> np.ndarray:
        return (10 ** (-70 / 20) * rng.standard_normal(n)).astype(np.float32)

    n = max(len(near), len(far))
    near_n, far_n = np.pad(near, (0, n - len(near))), np.pad(far, (0, n - len(far)))
    single = near_n + noise(n)
    twice = np.concatenate([far, far])
    join = len(far) + int(ECHO_JOIN_S * RATE)
    echo = np.convolve(np.tanh(2.5 * twice / PEAK) * PEAK / 2.5, room())[: len(twice)].astype(np.float32)
    talk = slice(join, min(join + len(near), len(twice)))
    echo_mic = echo + noise(len(twice))
    echo_mic[talk] += near[: talk.stop - talk.start]
    far_only = slice(join - int(ECHO_JOIN_S * RATE), join - int(0.3 * RATE))

    def run(config: object, mic: np.ndarray, render: np.ndarray) -> np.ndarray:
        processor = config if not isinstance(config, ProcessingSettings) else VoiceProcessor(RATE, config)
        if isinstance(config, ProcessorBefore):
            processor = ProcessorBefore(RATE, *config.switches)  # fresh state for every take
        out = np.zeros_like(mic)
        for start in range(0, len(mic) - frame + 1, frame):
            processor.process_render(render[start:start + frame])
            processor.process_capture(mic[start:start + frame], out[start:start + frame])
        return out

    rows = ["| Processing | single talk | double talk, no echo path | echo + double talk: near end | echo: ERLE |",
            "|---|---|---|---|---|"]
    off_level = db(echo_mic[far_only])
    for name, config in configurations().items():
        st = pesq(RATE, single, run(config, single, np.zeros(n, np.float32)), "wb")
        dt = pesq(RATE, single, run(config, single, far_n), "wb")
        out = run(config, echo_mic, twice)
        echo_score = pesq(RATE, near[: talk.stop - talk.start], out[talk], "wb")
        erle = "0 (reference)" if name == "all off" else f"{off_level - db(out[far_only]):.1f} dB"
        rows.append(f"| {name} | {st:.2f} | {dt:.2f} | {echo_score:.2f} | {erle} |")
        print(rows[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--speaker-latency", choices=["low", "high"], default="",
                        help="echo takes only, with the app's output stream at this PortAudio latency")
    parser.add_argument("--double-talk-only", action="store_true",
                        help="double-talk takes only, processing off and echo control only (a quick check)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped: still stop PulseAudio and Kamailio
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    results: dict = {}
    if args.double_talk_only:
        with tempfile.TemporaryDirectory(prefix="cc-devpath-") as directory:
            for run in range(1, args.runs + 1):
                work = Path(directory) / f"run{run}"
                work.mkdir()
                run_once(run, work, results, ("double talk",), ("all off", "echo control only"))
        return
    if args.speaker_latency:
        with tempfile.TemporaryDirectory(prefix="cc-devpath-") as directory:
            for run in range(1, args.runs + 1):
                work = Path(directory) / f"run{run}"
                work.mkdir()
                run_once(run, work, results, ("echo",), ("all off", "before: AEC3 always on, alone",
                                                         "echo control only", "shipped default"),
                         args.speaker_latency)
        return
    with tempfile.TemporaryDirectory(prefix="cc-devpath-") as directory:
        alone = processing_alone(Path(directory))
        for run in range(1, args.runs + 1):
            work = Path(directory) / f"run{run}"
            work.mkdir()
            run_once(run, work, results)
            rows = summarise(results, list(configurations()))
            print("\n".join(rows), flush=True)
            if args.write:  # after every run: a long bench stopped early still leaves its figures
                write_section(rows, run, alone, {key[1]: value for key, value in results.items()
                                                 if key[0] == "overruns"})


if __name__ == "__main__":
    main()
