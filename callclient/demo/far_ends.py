"""Demo far ends: a few numbers to call on loopback, answered by one pjsua2 process of their own.

pjsua2 allows one Endpoint per process, and the app's engine already owns one, so the far ends run in a
child process (`python -m callclient.demo.far_ends`). Once it listens it prints one line,
`far-ends-ready {"port": N}`. It exits when its stdin closes, so it never outlives the app that started it.

The numbers (DEMO_NUMBERS) are local accounts that register nowhere; pjsua routes an INVITE to the account
whose user part matches the request URI, so dialling 100 on the demo account (domain 127.0.0.1:N) reaches
the echo test.

Call slots are scarce: the pjsua2-python wheel is built with PJSUA_MAX_CALLS = 4, and pjsua answers a fifth
INVITE with 486 at once. An attended transfer between two calls to the echo test uses all four at its peak
(the two calls, the far end's call to the target, and the target's side of it, because the target is the far
end itself). So the far end owns every call it takes part in, including the ones pjsua places or answers
for it during a transfer, and ends a call between two of its own numbers as soon as it connects: nobody is
on it. Otherwise each transfer left calls behind and later calls met "486 Busy Here" in 1 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from callclient.demo.prompt_audio import beep_wav, cached_speech_wav, speech_wav, wav_seconds

ECHO_NUMBER = "100"
RECORDING_NUMBER = "200"
VOICEMAIL_NUMBER = "300"
CALL_BACK_NUMBER = "400"

RECORDING_TEXT = (
    "Hello, and welcome to CallClient. This is a recorded message, played by the demo far end. "
    "Try the keypad, hold and mute while you listen. Goodbye."
)
VOICEMAIL_GREETING = "You have reached the demo voicemail box. Please leave a message after the tone."
CALL_BACK_TEXT = "Thanks for calling. I will call you back in a few seconds."
CALL_BACK_DELAY_S = 4.0


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Marks `text` for the translation catalogues (scripts/translations reads this file); the window
    translates it where it shows it. The core itself stays free of Qt."""
    return text


@dataclass(frozen=True)
class DemoNumber:
    number: str
    name: str
    description: str


DEMO_NUMBERS: tuple[DemoNumber, ...] = (
    DemoNumber(ECHO_NUMBER, QT_TRANSLATE_NOOP("DemoNumbers", "Echo test"), "answers and sends back what it hears"),
    DemoNumber(RECORDING_NUMBER, QT_TRANSLATE_NOOP("DemoNumbers", "Recorded message"), "answers and plays a recording"),
    DemoNumber(VOICEMAIL_NUMBER, QT_TRANSLATE_NOOP("DemoNumbers", "Voicemail box"),
               "plays a greeting and records your message"),
    DemoNumber(CALL_BACK_NUMBER, QT_TRANSLATE_NOOP("DemoNumbers", "Call me back"),
               "hangs up and calls you back, to try an incoming call"),
)


_READY = "far-ends-ready "
# What pjsua2-python's wheel is built with (PJSUA_MAX_CALLS); asking for more is silently cut to it.
MAX_CALLS = 4


class FarEndsDidNotStart(RuntimeError):
    pass


class DemoFarEnds:
    """The app-side handle: starts the far-end process and stops it."""

    def __init__(self, workdir: Path | None = None, start_timeout_s: float = 20.0, *,
                 prompt_cache: Path | None = None, wait: bool = True) -> None:
        """Starts the process; with `wait` (the default) returns once it listens, else at once (then
        `wait_ready` before using `port`): the app starts the far ends while it opens everything else."""
        self._own_dir = workdir is None
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="callclient-demo-"))
        self.port = 0
        cache = ["--prompt-cache", str(prompt_cache)] if prompt_cache is not None else []
        self._process = subprocess.Popen(
            [sys.executable, "-m", "callclient.demo.far_ends", "--workdir", str(self.workdir), *cache],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=str(Path(__file__).resolve().parents[2]),
        )
        self._lines: queue.SimpleQueue[str] = queue.SimpleQueue()
        threading.Thread(target=self._read_first_line, args=(self._lines,), name="demo-far-ends",
                         daemon=True).start()
        if wait:
            self.wait_ready(start_timeout_s)

    def wait_ready(self, timeout_s: float = 20.0) -> None:
        """Returns once the process listens (then `port` is its SIP port); FarEndsDidNotStart otherwise."""
        if self.port:
            return
        try:
            first = self._lines.get(timeout=timeout_s)
            if not first:
                raise ValueError("it exited")
            self.port = int(json.loads(first)["port"])
        except (queue.Empty, ValueError, KeyError, TypeError) as error:
            self.stop()
            raise FarEndsDidNotStart(f"the demo far ends did not start ({error or 'no answer'})") from None

    def _read_first_line(self, lines: queue.SimpleQueue[str]) -> None:
        assert self._process.stdout is not None
        # pjlib prints a few lines of its own before logging is configured: look for ours.
        for line in self._process.stdout:
            if line.startswith(_READY):
                lines.put(line[len(_READY):])
        lines.put("")

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self._process.poll() is None:
            try:
                assert self._process.stdin is not None
                self._process.stdin.close()
                self._process.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                self._process.kill()
                self._process.wait(5)
        if self._own_dir:
            shutil.rmtree(self.workdir, ignore_errors=True)


# ---------------------------------------------------------------- the far-end process


class Prompts:
    """The far ends' spoken prompts, made on a thread of their own while pjsua starts: the far ends listen
    before the prompts exist, and a call that needs one waits for them (once, only on a first run)."""

    def __init__(self, workdir: Path, cache_dir: Path | None) -> None:
        self.recording = self.greeting = self.call_back = workdir / "missing.wav"
        self.beep = workdir / "beep.wav"
        self._workdir, self._cache_dir = workdir, cache_dir
        self._thread = threading.Thread(target=self._make, name="demo-prompts", daemon=True)
        self._thread.start()

    def _make(self) -> None:
        for attribute, name, text in (("recording", "recording", RECORDING_TEXT),
                                      ("greeting", "greeting", VOICEMAIL_GREETING),
                                      ("call_back", "call-back", CALL_BACK_TEXT)):
            if self._cache_dir is not None:
                path = cached_speech_wav(self._cache_dir, name, text)
            else:
                path = speech_wav(self._workdir / f"{name}.wav", text)
            setattr(self, attribute, path)
        beep_wav(self.beep)

    def wait(self) -> Prompts:
        self._thread.join(60)
        return self


def _far_ends_main(workdir: Path, prompt_cache: Path | None = None) -> None:  # noqa: C901 - one small loop
    workdir.mkdir(parents=True, exist_ok=True)
    prompts = Prompts(workdir, prompt_cache)  # before pjsua2's import: espeak-ng runs while it loads
    import pjsua2 as pj

    messages = workdir / "messages"
    messages.mkdir(exist_ok=True)

    # Every call the far ends take part in, by id(call), until it is disconnected. Keyed by the Python
    # object, not the pjsua call id: a call pjsua places for a transfer has no id until it starts.
    calls: dict[int, Any] = {}
    finished: list[Any] = []
    # (due, action, the call it is for or None) run on this thread. A call's own timers go when it ends: they
    # hold the call object, and pjsua2 hangs up whatever call has its old id when that object is freed late.
    timers: list[tuple[float, Any, Any]] = []

    class FarEndCall(pj.Call):
        def __init__(self, account: Any, call_id: int = pj.PJSUA_INVALID_ID, *, to_own_number: bool = False) -> None:
            super().__init__(account, call_id)
            self.account = account
            self.number = account.number
            self.to_own_number = to_own_number
            self.players: list[Any] = []
            self.recorder: Any = None
            self.remote_contact = ""
            # pjsua reuses call ids, and a Call object keeps its id after its call ended: a timer this call
            # left (the end of a recording) would otherwise find "its" call active again and hang up
            # whichever call has the id now (it ended the 400 call-back's call before it could call back).
            self.ended = False
            calls[id(self)] = self

        def onCallState(self, prm: Any) -> None:
            info = self.getInfo()
            if info.state == pj.PJSIP_INV_STATE_CONFIRMED and self.to_own_number:
                # One demo number talking to another: end it on the loop, after pjsua has told the
                # transferor that the transfer worked (its NOTIFY goes out with this state change).
                timers.append((_now(), self.hang_up_if_active, self))
            elif info.state == pj.PJSIP_INV_STATE_DISCONNECTED:
                self.ended = True
                timers[:] = [timer for timer in timers if timer[2] is not self]
                calls.pop(id(self), None)
                finished.append(self)  # released on the loop, not inside pjsua's callback

        def onCallTransferRequest(self, prm: Any) -> None:
            # pjsua places the call to the transfer target itself. Without a Call of ours it has no owner
            # (pjsua2 only logs a warning) and nothing would ever hang it up.
            prm.newCall = FarEndCall(self.account, to_own_number=is_own_number(prm.dstUri))

        def onCallReplaceRequest(self, prm: Any) -> None:
            # An INVITE with Replaces for this call (the target side of an attended transfer): pjsua answers
            # it itself; the new call gets an owner, and this call's number (the echo test keeps echoing).
            prm.newCall = FarEndCall(self.account)

        def onCallMediaState(self, prm: Any) -> None:
            info = self.getInfo()
            for media in info.media:
                if media.type != pj.PJMEDIA_TYPE_AUDIO or media.status != pj.PJSUA_CALL_MEDIA_ACTIVE:
                    continue
                if self.players or self.recorder:
                    return  # re-INVITE (hold/resume): keep what is playing
                audio = self.getAudioMedia(media.index)
                if self.number == ECHO_NUMBER:
                    audio.startTransmit(audio)
                elif self.number == RECORDING_NUMBER:
                    self.play(audio, [prompts.wait().recording], then_hang_up=True)
                elif self.number == VOICEMAIL_NUMBER:
                    self.play(audio, [prompts.wait().greeting, prompts.beep], then_hang_up=False)
                    self.recorder = pj.AudioMediaRecorder()
                    self.recorder.createRecorder(str(messages / f"message-{info.id}-{os.getpid()}.wav"))
                    audio.startTransmit(self.recorder)
                elif self.number == CALL_BACK_NUMBER:
                    contact, account = self.remote_contact, self.account
                    self.play(audio, [prompts.wait().call_back], then_hang_up=True,
                              afterwards=lambda: timers.append(
                                  (_now() + CALL_BACK_DELAY_S, lambda: place_call(account, contact), None)))

        def play(self, audio: Any, files: list[Path], then_hang_up: bool, afterwards: Any = None) -> None:
            player = pj.AudioMediaPlayer()
            names = pj.StringVector()
            for file in files:
                names.append(str(file))
            player.createPlaylist(names, "demo", pj.PJMEDIA_FILE_NO_LOOP)
            player.startTransmit(audio)
            self.players.append(player)
            if then_hang_up:
                duration_s = sum(wav_seconds(file) for file in files) + 0.8
                timers.append((_now() + duration_s, lambda: self.hang_up_if_active(afterwards), self))

        def hang_up_if_active(self, afterwards: Any = None) -> None:
            if not self.ended and self.isActive():
                self.hangup(pj.CallOpParam(True))
                if afterwards is not None:
                    afterwards()

    class FarEndAccount(pj.Account):
        def __init__(self, number: str) -> None:
            super().__init__()
            self.number = number
            self.call_back_name = ""

        def onIncomingCall(self, prm: Any) -> None:
            call = FarEndCall(self, prm.callId)
            call.remote_contact = call.getInfo().remoteContact
            ringing = pj.CallOpParam(True)
            ringing.statusCode = 180
            call.answer(ringing)
            # A moment of ringing, so the caller sees the call progress like a real one.
            timers.append((_now() + 0.6, lambda: answer(call), call))

    def answer(call: Any) -> None:
        if not call.ended and call.isActive():
            ok = pj.CallOpParam(True)
            ok.statusCode = 200
            call.answer(ok)

    def place_call(account: Any, contact: str) -> None:
        target = contact.strip()
        if target.startswith("<") and ">" in target:
            target = target[1:target.index(">")]
        if not target:
            return
        call = FarEndCall(account)
        try:
            call.makeCall(target, pj.CallOpParam(True))
        except pj.Error:
            calls.pop(id(call), None)

    ep = pj.Endpoint()
    ep.libCreate()
    cfg = pj.EpConfig()
    cfg.uaConfig.threadCnt = 0
    cfg.uaConfig.maxCalls = MAX_CALLS
    cfg.uaConfig.userAgent = "CallClient demo far ends"
    cfg.logConfig.consoleLevel = 0
    cfg.logConfig.level = 0
    cfg.medConfig.clockRate = 16000
    cfg.medConfig.sndClockRate = 16000
    ep.libInit(cfg)
    # The demo numbers answer in Opus, as the app offers it first: the demo sounds like a real call would.
    from callclient.engine.endpoint import install_opus
    opus = install_opus()  # kept until after libDestroy, which destroys the factory
    transport_config = pj.TransportConfig()
    transport_config.port = 0
    transport_config.boundAddress = "127.0.0.1"
    transport = ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, transport_config)
    port = int(ep.transportGetInfo(transport).localName.rsplit(":", 1)[1])

    def is_own_number(uri: str) -> bool:
        """Whether `uri` (a Refer-To target, <sip:100@127.0.0.1:N?Replaces=...> included) is one of ours."""
        address = uri.strip().lstrip("<").split(">", 1)[0].split("?", 1)[0].split(";", 1)[0]
        return address.split("@", 1)[-1] == f"127.0.0.1:{port}"

    ep.audDevManager().setNullDev()
    ep.libStart()

    accounts = []
    for entry in DEMO_NUMBERS:
        account = FarEndAccount(entry.number)
        config = pj.AccountConfig()
        config.idUri = f'"{entry.name}" <sip:{entry.number}@127.0.0.1:{port}>'
        config.mediaConfig.transportConfig.port = 0
        config.mediaConfig.transportConfig.boundAddress = "127.0.0.1"
        account.create(config)
        accounts.append(account)

    stdin_closed = threading.Event()

    def watch_stdin() -> None:
        for _ in sys.stdin:
            pass
        stdin_closed.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    sys.stdout.write(_READY + json.dumps({"port": port}) + "\n")
    sys.stdout.flush()

    while not stdin_closed.is_set():
        ep.libHandleEvents(10)
        now = _now()
        due = [action for when, action, _ in timers if when <= now]
        timers[:] = [timer for timer in timers if timer[0] > now]
        for action in due:
            try:
                action()
            except pj.Error:
                pass  # the call went away meanwhile
        finished.clear()

    timers.clear()
    ep.hangupAllCalls()
    for _ in range(100):
        if not any(call.isActive() for call in calls.values()):
            break
        ep.libHandleEvents(10)
    calls.clear()
    finished.clear()
    for account in accounts:
        account.shutdown()
    accounts.clear()
    ep.libDestroy(pj.PJSUA_DESTROY_NO_RX_MSG)  # its accounts register nowhere: no answers to wait a second for
    del opus


def _now() -> float:
    import time

    return time.monotonic()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="CallClient's demo far ends (echo test, recording, voicemail).")
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--prompt-cache", type=Path, help="keep the synthesised prompts here across runs")
    args = parser.parse_args(argv)
    _far_ends_main(args.workdir, args.prompt_cache)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
