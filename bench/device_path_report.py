"""The device-path bench's section of docs/benchmarks.md: the table of runs, the processing-alone table and
the notes that explain how to read them."""

from __future__ import annotations

import datetime

import numpy as np

from bench.report import machine, replace_section

SECTION = "## Speech quality through the device path (PESQ-WB, single and double talk)"


def summarise(results: dict, configurations: list[str]) -> list[str]:
    """The device table: one row per processing configuration (mean ± s.d. over runs), after the references."""
    def cell(key: tuple) -> str:
        values = [v for v in results.get(key, []) if v == v]
        if not values:
            return "–"
        return f"{np.mean(values):.2f} ± {np.std(values):.2f}" if len(values) > 1 else f"{values[0]:.2f}"

    rows = ["| Processing | single talk: mic → far end | double talk: mic → far end | double talk: far end → "
            "speaker | echo + double talk: mic → far end | echo: ERLE | echo: far end → speaker |",
            "|---|---|---|---|---|---|---|"]
    rows.append(f"| the call without sound devices (codec + network) | {cell(('bridge', 'reference', 'mic'))} | | "
                f"{cell(('bridge', 'reference', 'speaker'))} | | | |")
    rows.append(f"| measuring path (no app) | {cell(('measuring path', 'reference', 'mic'))} | | "
                f"{cell(('measuring path', 'reference', 'speaker'))} | | | |")
    off_levels = results.get(("echo", "all off", "far-only level"), [])
    for name in configurations:
        levels = results.get(("echo", name, "far-only level"), [])
        erle = [o - v for o, v in zip(off_levels, levels)]
        erle_cell = (f"{np.mean(erle):.1f} dB" if erle else "–") if name != "all off" else "0 (reference)"
        rows.append(f"| {name} | {cell(('single talk', name, 'mic'))} | {cell(('double talk', name, 'mic'))} | "
                    f"{cell(('double talk', name, 'speaker'))} | {cell(('echo', name, 'mic'))} | {erle_cell} | "
                    f"{cell(('echo', name, 'speaker'))} |")
    return rows


NOTES = [
    "**Reading the figures.** The device-path PESQ is dominated by this shared machine: a pjsua2-to-pjsua2 call "
    "with no sound devices at all scores 1.6-2.9 from run to run, where every 250 ms of the recording is intact "
    "(correlation 0.999) but the jitter buffers, fed by late bridge clocks, shift the delay by 10-160 ms dozens "
    "of times a take; a configuration's figure moves by ±0.5 between runs for that reason alone (the far end → "
    "speaker column, which no capture setting touches, shows the spread). Differences the size of the targets "
    "(0.1-0.2) are therefore judged on the deterministic table, and the device table shows what survives the "
    "noise: the old always-on AEC3 crushing double talk (1.1-1.2 in every run, against 1.8-3.0 with processing "
    "off). The new echo control scattered between 1.4 and 3.0 in double talk, lower than processing off in most "
    "runs, yet its canceller was used for 0.0 s in every such take (`--double-talk-only` logs it): its figures "
    "are the path's, not the gate's. tests/media/test_double_talk.py therefore judges what the app sends, before "
    "the network: processing off 0.99, the new default 0.96-0.97, the old 0.59-0.81 (spectrogram match).",
    "",
    "**Why AEC3 ate the near end.** Not the feeding: with no devices at all (capture = the user's speech only, "
    "render = the far end's speech, or even -60 dBFS noise) the livekit wheel's AEC3 took PESQ-WB from 4.64 to "
    "1.3 while keeping the level: it suppresses the bands it believes carry echo and refills them with comfort "
    "noise. Setting the stream delay on every frame, feeding render after capture, or 50 s of settling changed "
    "nothing; its transparent mode for headsets never engaged, and the wheel exposes none of its "
    "configuration. So media/echo_path.py decides whether the speaker is heard in the microphone (running "
    "correlations of band energies at every delay up to 800 ms) and AEC3's output is used only then.",
    "",
    "**Targets** (deterministic table): double talk without an echo path, echo control 4.64 = processing off "
    "(was 1.71; target within 0.2: met); echo + double talk, near end 1.15 against 1.21 with processing off "
    "(within 0.5: met) with ERLE 34.5 dB for echo control (≥ 30: met), 29.2 dB for the whole shipped chain, "
    "whose gain control lifts what is left of the echo along with the user's voice (the echo-to-voice ratio "
    "still improves by ~41 dB); single talk, echo control costs 0.00 (within 0.15: met). Noise suppression "
    "costs 0.13 (was 0.91) and gain control 0.05 (within 0.15 each: met); the high-pass filter 0.08 (was "
    "0.79). All stages together cost 0.30 on clean speech (was 0.95). Device pipeline within 0.1 of the "
    "measuring path: not met and not measurable here: the measuring path scores 4.62 and even the "
    "device-less call 1.6-2.9 (above). Echo through the device path: not met: no canceller converges on it, "
    "the old always-on AEC3 included (ERLE ~0 dB), because the speaker ring overflows (overruns above: the "
    "PortAudio ALSA 'pulse' output consumes slower than the bridge produces, the drift loop pinned at +2000 "
    "ppm), and every overrun moves the echo by the audio dropped.",
    "",
    "**The speaker stream's timing** (2026-11-29, this machine under load). A bare sounddevice output stream on "
    "ALSA's 'pulse' device consumed 43.5k samples/s at PortAudio latency 'low' (what media/bridge.py asks for) "
    "and 48.0k at 'high' (40 ms); input kept 48.0k either way. In the app (`--speaker-latency high|low`, echo "
    "takes only) the ring still overran 3-49 times per take at 'high' (20-56 at 'low') with two benches "
    "running, the detected echo delay was ~670-690 ms (a full 400 ms ring plus the simulated path), and "
    "no canceller removed more than 3 dB either way. Cancelling a real speaker's echo needs the speaker ring "
    "to hold its target first: that is media/buffers.py and media/bridge.py's to fix. In the three "
    "`--double-talk-only` runs the speaker ring overran 86-112 times per take with echo control on and 0-42 "
    "with processing off: the processing (~7 % of a core, in Python on the bridge clock, holding the GIL) "
    "seems to delay PortAudio's Python callbacks enough for the 20 ms output to underrun and lose time.",
]


def write_section(rows: list[str], runs: int, alone: list[str], results_overruns: dict) -> None:
    lines = [SECTION, "",
             "**The processing alone** (same speech and echo, no devices, no call; deterministic): PESQ-WB "
             "of the processed microphone against what entered it (single and double talk: the cost of "
             "processing), and of the user's speech in the echo take; ERLE over the far end's "
             "second-pass stretch before the user joins.", "", *alone, "",
             "**Through the device path**:", "",
             f"Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC on {machine()} by "
             f"`bench/device_path_quality.py`, mean ± s.d. over {runs} runs (each run: one G.722 call, every "
             "configuration and scenario in turn, so the columns are side by side). The app's engine and "
             "DeviceAudio (real PortAudio streams on a user-mode PulseAudio's null sinks) against a pjsua2 far "
             "end in its own process via Kamailio; espeak-ng speech (peak -9 dBFS), PESQ-WB after alignment. "
             "Echo: the far end says its piece twice (~25 s) and the user joins 3 s into the second pass, "
             "with the speaker played back into the microphone through a soft-clipping speaker and the echo "
             "bench's room (-6 dB); ERLE is the far-end-only level at the far end, processing off minus on. "
             "Shared 2-core machine: runs are noisy.",
             "", *rows, "",
             f"Speaker ring overruns per take (the playback ring full at its 400 ms, audio dropped), mean: single "
             f"talk {np.mean(results_overruns.get('single talk', [0])):.0f}, double talk "
             f"{np.mean(results_overruns.get('double talk', [0])):.0f}, "
             f"echo {np.mean(results_overruns.get('echo', [0])):.0f}.",
             "", *NOTES, ""]
    replace_section(SECTION, "\n".join(lines))
