"""Directory search and caller names in the shipped desktop app: the real search box over the real Contacts
view, and the real incoming-call window after hand-written INVITEs (bench/directory_search.py's last part)."""

from __future__ import annotations

import random
import secrets
import statistics
import sys
import time

from bench.directory_contacts import FIRSTS, make_contacts
from bench.report import percentile
from bench.ui_sandbox import EventLoopGaps, demo_desktop, process_for, process_until, sandbox


def measure_gui(count: int, words: int = 60, invites: int = 20) -> dict[str, float]:
    """The real app (DesktopApp: Core in demo mode with the demo PBX's dird routes, the real main window) in
    a sandbox. Its directory cache gets `count` contacts, loaded the way Core's start loads it; then the
    bench types into the window's search box as a person does (a key every 110 ms, a pause of 700 ms after
    each word so the PBX's answers stream in) while a 2 ms timer on the GUI thread records every gap in the
    event loop. Then hand-written INVITEs from numbers only the PBX's phonebook knows: the time from sending
    the INVITE to the ringing window, and to the directory's name on it."""
    with sandbox():
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        from callclient.engine.settings import Transport
        from tests.fixtures.raw_sip import RawSipClient, plain_sdp

        app = QApplication.instance() or QApplication([sys.argv[0]])
        results: dict[str, float] = {}
        with demo_desktop(app, window_timeout_s=90) as desktop:
            window, core = desktop.window, desktop.core
            directory = core.services.directory
            process_until(lambda: directory.loaded.is_set(), 60, "the directory cache")
            process_until(lambda: window.registration_label.text().startswith("Ready"), 60, "ready")
            # The contacts go into the encrypted cache, then the same load Core's start runs (on a worker).
            rng = random.Random(29)
            contacts = make_contacts(count, rng)
            for source, group in contacts.items():
                directory._contacts.store.save(source, group)
            directory.loaded.clear()
            directory._workers.submit(directory._load_cache)
            process_until(lambda: directory.loaded.is_set(), 300, "20,000 contacts loaded")
            results["gui_cached"] = directory.cached_count
            everyone = [c for group in contacts.values() for c in group]

            # Caller names first: INVITEs from numbers in the PBX's phonebook that nothing local knows yet (typing
            # would cache them: dird's answers to a search are kept for offline use).
            # Callers only the PBX's phonebook knows (the demo phonebook shares its numbers between entries, like
            # a switchboard's, so the bench adds its own), each number asked once.
            pbx = core.demo.pbx
            unknown = [(f"{FIRSTS[i % len(FIRSTS)]} Appelant-{i}", f"01990{i:05d}") for i in range(invites + 1)]
            with pbx._lock:
                for i, (name, number) in enumerate(unknown):
                    pbx.data.directory.append(
                        {"id": f"bench-{i}", "name": name, "number": number, "mobile": "", "email": "",
                         "company": "Bench Ltd", "title": "", "backend": "phonebook",
                         "source": "phonebook_customers", "user_uuid": ""})
            client = RawSipClient()
            port = core.engine.ports[Transport.UDP]
            ring_ms: list[float] = []
            named_ms: list[float] = []
            unnamed: list[str] = []
            incoming = window.incoming
            # The first call pays one-time costs (pjsua's first incoming call, the first dird connection): a
            # warm-up call, not counted.
            for index, (name, number) in enumerate(unknown[:invites + 1]):
                branch = secrets.token_hex(8)
                body = plain_sdp(41000)
                t0 = time.monotonic()
                client.send(
                    f"INVITE sip:me@127.0.0.1:{port} SIP/2.0\r\n"
                    f"Via: SIP/2.0/UDP 127.0.0.1:{client.port};branch=z9hG4bK{branch};rport\r\n"
                    "Max-Forwards: 70\r\n"
                    f"From: <sip:{number}@127.0.0.1:{client.port}>;tag={branch[:10]}\r\n"
                    f"To: <sip:me@127.0.0.1:{port}>\r\n"
                    f"Call-ID: {branch}@bench\r\nCSeq: 1 INVITE\r\n"
                    f"Contact: <sip:{number}@127.0.0.1:{client.port}>\r\n"
                    f"Content-Type: application/sdp\r\nContent-Length: {len(body.encode())}\r\n\r\n{body}", port)
                try:
                    process_until(lambda: incoming.named_at is not None and incoming.rang_at is not None
                                  and incoming.rang_at >= t0, 5, f"{name} named")
                except TimeoutError:
                    unnamed.append(f"{number} ({name}): showed {incoming.caller.text()!r}")
                    if incoming.call_id is None:
                        continue
                else:
                    if index:
                        ring_ms.append((incoming.rang_at - t0) * 1000)
                        named_ms.append((incoming.named_at - t0) * 1000)
                    if incoming.caller.text() != name:
                        unnamed.append(f"{number}: named {incoming.caller.text()!r}, the phonebook says {name!r}")
                window.answering.decline(incoming.call_id)
                process_until(lambda: not incoming.isVisible(), 10, "the decline")
                process_for(0.3)
            client.close()
            if unnamed:
                print("not named as expected:", *unnamed, sep="\n  ")
            results.update(invites=len(named_ms), unnamed=len(unnamed), ring_median_ms=statistics.median(ring_ms),
                           ring_max_ms=max(ring_ms), named_median_ms=statistics.median(named_ms),
                           named_max_ms=max(named_ms))
            meter = EventLoopGaps(tick_ms=2)
            keystrokes: list[float] = []
            streamed = [0]
            window.contacts_view.update_shown.connect(
                lambda update: streamed.__setitem__(0, streamed[0] + (not update.pending)))
            window.show_section("contacts")
            process_for(0.5)
            meter.start()
            for _ in range(words):
                word = rng.choice(rng.choice(everyone).name.split())[:5]
                for char in word:
                    t0 = time.perf_counter()
                    QTest.keyClick(window.search, char)  # textChanged -> search -> the local results shown
                    keystrokes.append((time.perf_counter() - t0) * 1000)
                    process_for(0.11)
                process_for(0.7)
                window.search.clear()
                process_for(0.2)
            meter.stop()
            gaps = meter.gaps_ms
            results.update(gui_keystrokes=len(keystrokes), gui_key_median_ms=statistics.median(keystrokes),
                           gui_key_max_ms=max(keystrokes), gui_stall_max_ms=max(gaps) - 2,
                           gui_stall_p99_ms=percentile(gaps, 99) - 2,
                           gui_stalls_over_50=sum(1 for g in gaps if g - 2 > 50), gui_remote_updates=streamed[0])
    return results
