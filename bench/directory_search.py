"""Directory search speed with 20,000 cached contacts: time to first results per keystroke, reverse lookup
(caller ID) time, and the memory the cache takes; then the shipped desktop app itself: the longest GUI
stall while typing in the real search box over the real Contacts view, and the caller's name on the real
incoming-call window after an INVITE whose caller only the test PBX's directory knows.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/directory_search.py [--contacts 20000] [--write]
    (--write updates docs/benchmarks.md)

The shipped parts: a real SQLCipher store (LocalStore) holding the contacts in the directory cache table,
the DirectoryService as Core builds it (favorites and history sources, cache loaded at start), remote
sources off (the first results are the local ones; remote answers stream in later and are not what this
measures). A keystroke is one `search()` call: its first update is delivered before it returns, on the
caller's thread, so its duration is both the time to first results and the time the GUI thread is held.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from callclient.config.model import DialPlanConfig, DirectoryConfig  # noqa: E402
from callclient.directory.cache import DirectoryCache  # noqa: E402
from callclient.directory.model import Contact, PhoneNumber, SourceKind  # noqa: E402
from callclient.directory.sources.local import FavoritesSource, HistorySource  # noqa: E402
from callclient.services.directory import DirectoryService  # noqa: E402
from callclient.storage.store import LocalStore  # noqa: E402

SECTION = "## Directory search"
GUI_NOTE = ('In demo mode the test PBX (aiohttp) runs inside the app\'s own process, so its answers to every search compete with the GUI thread for the GIL, which a real PBX on another machine does not; the stalls over 50 ms follow the machine\'s load (2 cores shared by 8 developers): a shorter run (12 words) at load average 5 had 3 stalls over 50 ms, the worst 94 ms, keystrokes at most 20 ms. What the UI work changed: remote answers no longer rewrite the whole cached source (a 2.8 MB JSON row per answer, ~80 ms holding the GIL: now a small added row), the index no longer copies 40,000 lists per answer, and the loaded cache is frozen out of full garbage collections (gc.freeze): before these, full collections took 0.3-1.2 s and named callers took 390-800 ms. Run with PySide6 6.11.3: PySide6 6.12.0 loses a reference to None on many calls (an unset model role, a None-returning getter, virtual dispatch) and aborted the app after a few minutes of typing ("none_dealloc").')
FIRSTS = ("Léa", "Hugo", "Chloé", "Louis", "Emma", "Gabriel", "Manon", "Arthur", "Camille", "Jules", "Inès", "Sarah",
          "Lucas", "Jade", "Nathan", "Zoé", "Thomas", "Anna", "Paul", "Nora", "Victor", "Elsa", "Adam", "Lina")
LASTS = ("Bernard", "Dubois", "Thomas", "Robert", "Richard", "Moreau", "Laurent", "Simon", "Michel", "Lefebvre",
         "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert",
         "Fontaine", "Rousseau", "Vincent", "Muller", "Faure", "André", "Mercier", "Blanc", "Guerin", "Nguyen")


def make_contacts(count: int, rng: random.Random) -> dict[str, list[Contact]]:
    """Realistic spread: 70 % company directory, 15 % personal, 15 % address book; a third with a mobile."""
    sources: dict[str, list[Contact]] = {"Company directory": [], "Personal contacts": [], "LDAP ldap.example.com": []}
    names = list(sources)
    kinds = {"Company directory": SourceKind.PBX_USER, "Personal contacts": SourceKind.PERSONAL,
             "LDAP ldap.example.com": SourceKind.DIRECTORY}
    for n in range(count):
        source = names[0] if n % 100 < 70 else names[1] if n % 100 < 85 else names[2]
        first, last = rng.choice(FIRSTS), f"{rng.choice(LASTS)}{'' if n % 3 else rng.randint(1, 999)}"
        numbers = [PhoneNumber(str(10000 + n) if kinds[source] is SourceKind.PBX_USER else
                               f"+33 1 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                               f"{rng.randint(10, 99)}", "work")]
        if n % 3 == 0:
            numbers.append(PhoneNumber(f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                                       f"{rng.randint(10, 99)}", "mobile"))
        sources[source].append(Contact(f"{first} {last}", tuple(numbers), kinds[source], source,
                                       company=rng.choice(("Example Corp", "Acme", "Vertex Ltd", "")),
                                       title=rng.choice(("Sales", "Support", "")), email=f"{n}@example.com"))
    return sources


def settings() -> SimpleNamespace:
    app = SimpleNamespace(dialplan=DialPlanConfig("0", ("112",), "FR"),
                          directory=replace(DirectoryConfig(), pbx_enabled=False))
    return SimpleNamespace(config=SimpleNamespace(config=app))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def measure(count: int) -> dict[str, float]:
    rng = random.Random(13)
    contacts = make_contacts(count, rng)
    everyone = [c for group in contacts.values() for c in group]
    with tempfile.TemporaryDirectory() as folder:
        store = LocalStore.open(Path(folder) / "store.db", secrets.token_bytes(32))
        try:
            writer = DirectoryCache(store, "pbx", lambda: 7 * 24 * 3600)
            for source, group in contacts.items():
                writer.save(source, group)
            store_bytes = (Path(folder) / "store.db").stat().st_size

            favorites = [SimpleNamespace(id=i, label=f"Favourite {i}", target=str(10000 + i)) for i in range(30)]
            history = [SimpleNamespace(other_name=c.name, other_number=c.numbers[0].number) for c in everyone[:50]]
            holder: list[DirectoryService] = []
            keys = lambda: holder[0].keys  # noqa: E731
            # Load time on its own (tracemalloc slows Python down severalfold), then memory under tracemalloc.
            timed = DirectoryService(settings(), [], lambda app: [], DirectoryCache(store, "pbx", lambda: 7 * 24 * 3600))
            started = time.perf_counter()
            timed.start()
            if not timed.loaded.wait(120):
                raise RuntimeError("the cache did not load within 120 s")
            load_s = time.perf_counter() - started
            timed.stop()
            del timed
            gc.collect()
            tracemalloc.start()
            directory = DirectoryService(settings(), [FavoritesSource(lambda: favorites, keys),
                                                      HistorySource(lambda: history, keys)],
                                         lambda app: [], DirectoryCache(store, "pbx", lambda: 7 * 24 * 3600))
            holder.append(directory)
            directory.start()
            if not directory.loaded.wait(300):
                raise RuntimeError("the cache did not load within 300 s")
            gc.collect()
            retained, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            assert directory.cached_count == count, directory.cached_count

            # Typing: the first 1-5 letters of a random last name or first name, then 2-6 digits of a number.
            keystrokes: list[float] = []
            first_result_counts: list[int] = []
            for _ in range(300):
                target = rng.choice(everyone)
                word = rng.choice(target.name.split())
                typed = [word[:k] for k in range(1, min(5, len(word)) + 1)]
                digits = "".join(ch for ch in target.numbers[0].number if ch.isdigit())
                typed += [digits[:k] for k in range(2, min(6, len(digits)) + 1)]
                for term in typed:
                    got: list[int] = []
                    t0 = time.perf_counter()
                    directory.search(term, lambda update: got.append(len(update.results)))
                    keystrokes.append((time.perf_counter() - t0) * 1000)
                    first_result_counts.append(got[0] if got else 0)

            # Caller ID: known numbers as the PBX may present them, and unknown ones.
            reverse_ms: list[float] = []
            misses = 0
            for n in range(2000):
                if n % 2:
                    number = f"+4930{rng.randint(1000000, 9999999)}"
                else:
                    contact = rng.choice(everyone)
                    written = contact.numbers[-1].number
                    number = written.replace(" ", "") if n % 4 == 0 else written
                t0 = time.perf_counter()
                found = directory.caller_id(number)
                reverse_ms.append((time.perf_counter() - t0) * 1000)
                if n % 2 == 0 and found is None:
                    misses += 1
            directory.stop()
        finally:
            store.close()
    return {
        "contacts": count, "load_ms": load_s * 1000, "store_kib": store_bytes / 1024,
        "retained_mib": retained / 2**20, "peak_mib": peak / 2**20,
        "keystrokes": len(keystrokes), "key_median_ms": statistics.median(keystrokes),
        "key_p95_ms": percentile(keystrokes, 95), "key_max_ms": max(keystrokes),
        "key_over_50ms": sum(1 for k in keystrokes if k > 50),
        "results_median": statistics.median(first_result_counts),
        "reverse_median_ms": statistics.median(reverse_ms), "reverse_p99_ms": percentile(reverse_ms, 99),
        "reverse_max_ms": max(reverse_ms), "reverse_misses": misses,
    }


def measure_remote_caller_id(calls: int = 60) -> dict[str, float]:
    """Time from `identify(number)` (what the incoming-call path calls) to the better name arriving, with the
    name known only to a remote source on loopback: the test PBX's dird over HTTPS, and a real slapd with
    3000 entries over StartTLS. Each number is asked once (a second time it is cached and local)."""
    import queue

    from callclient.demo.pbx_server import PbxData, PbxServer, WazoContract
    from callclient.directory.sources.ldap import LdapDirectory, parse_attribute_map
    from callclient.directory.sources.pbx import PbxDirectory
    from callclient.config.schema import KEYS
    from callclient.pbx.wazo import WazoConfig, WazoService
    from tests.fixtures.slapd import BASE_DN, BIND_DN, BIND_PASSWORD, start_slapd
    from tests.fixtures.tls import make_pki

    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        pki = make_pki(Path(folder) / "pki")
        import ssl

        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(pki.cert_file), str(pki.key_file))
        data = PbxData.sample(password="alice-pass-2024")
        numbers = [e["number"] for e in data.directory if e["backend"] == "phonebook"][:calls]
        pbx = PbxServer(WazoContract.load(), data, ssl_context=context)
        pbx.start()
        slapd = start_slapd(Path(folder) / "slapd", pki)
        try:
            wazo = WazoService(WazoConfig(base_url=pbx.base_url, ca_file=str(pki.ca_file)), account_id="bench")
            wazo.sign_in("alice@example.com", "alice-pass-2024")
            ldap = LdapDirectory(slapd.ldap_url, f"ou=people,{BASE_DN}", search_filter=KEYS["directory.ldap_filter"].default,
                                 reverse_filter=KEYS["directory.ldap_reverse_filter"].default,
                                 attributes=parse_attribute_map(KEYS["directory.ldap_attributes"].default),
                                 bind_dn=BIND_DN, password=lambda: BIND_PASSWORD, ca_file=str(pki.ca_file), region="FR")
            ldap_numbers = [f"+33 1 40 {n // 100 % 100:02d} {n % 100:02d} 00" for n in range(100, 100 + calls)]
            for label, source, asked in (("pbx", PbxDirectory(lambda: wazo), numbers), ("ldap", ldap, ldap_numbers)):
                holder: list[DirectoryService] = []
                directory = DirectoryService(settings(), [], lambda app, s=source: [s], None)
                holder.append(directory)
                directory.start()
                directory.loaded.wait(10)
                times: list[float] = []
                for number in asked:
                    found: queue.Queue[object] = queue.Queue()
                    t0 = time.perf_counter()
                    directory.identify(number, found.put)
                    found.get(timeout=10)
                    times.append((time.perf_counter() - t0) * 1000)
                directory.stop()
                results[f"{label}_median_ms"] = statistics.median(times)
                results[f"{label}_max_ms"] = max(times)
            wazo.close()
        finally:
            slapd.stop()
            pbx.stop()
    return results


def _run_for(seconds: float) -> None:
    """Lets the Qt event loop run for `seconds` (the bench has no qtbot)."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        time.sleep(0.001)


def measure_gui(count: int, words: int = 60, invites: int = 20) -> dict[str, float]:
    """The real app (DesktopApp: Core in demo mode with the demo PBX's dird routes, the real main window) in
    a sandbox. Its directory cache gets `count` contacts, loaded the way Core's start loads it; then the
    bench types into the window's search box as a person does (a key every 110 ms, a pause of 700 ms after
    each word so the PBX's answers stream in) while a 2 ms timer on the GUI thread records every gap in the
    event loop. Then hand-written INVITEs from numbers only the PBX's phonebook knows: the time from sending
    the INVITE to the ringing window, and to the directory's name on it."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from ui_sandbox import process_until, sandbox

    with sandbox():
        from PySide6.QtCore import QTimer
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        from callclient.app import CoreOptions
        from callclient.engine.settings import Transport
        from tests.fixtures.raw_sip import RawSipClient, plain_sdp
        from ui.main import DesktopApp

        app = QApplication.instance() or QApplication([sys.argv[0]])
        desktop = DesktopApp(app, CoreOptions(demo=True))
        desktop.start()
        results: dict[str, float] = {}
        try:
            process_until(lambda: desktop.window is not None, 90, "the main window")
            window, core = desktop.window, desktop.core
            directory = core.services.directory
            process_until(lambda: directory.loaded.is_set(), 60, "the directory cache")
            process_until(lambda: window.registration_label.text().startswith("Ready"), 60, "ready")
            # The contacts go into the encrypted cache, then the same load Core's start runs (on a worker).
            rng = random.Random(29)
            contacts = make_contacts(count, rng)
            for source, group in contacts.items():
                directory._cache.save(source, group)
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
                _run_for(0.3)
            client.close()
            if unnamed:
                print("not named as expected:", *unnamed, sep="\n  ")
            results.update(invites=len(named_ms), unnamed=len(unnamed), ring_median_ms=statistics.median(ring_ms),
                           ring_max_ms=max(ring_ms), named_median_ms=statistics.median(named_ms),
                           named_max_ms=max(named_ms))
            gaps: list[float] = []
            last = [time.perf_counter()]

            def tick() -> None:
                now = time.perf_counter()
                gaps.append((now - last[0]) * 1000)
                last[0] = now

            timer = QTimer()
            timer.setInterval(2)
            timer.timeout.connect(tick)
            keystrokes: list[float] = []
            streamed = [0]
            window.contacts_view.update_shown.connect(
                lambda update: streamed.__setitem__(0, streamed[0] + (not update.pending)))
            window.show_section("contacts")
            _run_for(0.5)
            last[0] = time.perf_counter()
            timer.start()
            for _ in range(words):
                word = rng.choice(rng.choice(everyone).name.split())[:5]
                for char in word:
                    t0 = time.perf_counter()
                    QTest.keyClick(window.search, char)  # textChanged -> search -> the local results shown
                    keystrokes.append((time.perf_counter() - t0) * 1000)
                    _run_for(0.11)
                _run_for(0.7)
                window.search.clear()
                _run_for(0.2)
            timer.stop()
            results.update(gui_keystrokes=len(keystrokes), gui_key_median_ms=statistics.median(keystrokes),
                           gui_key_max_ms=max(keystrokes), gui_stall_max_ms=max(gaps) - 2,
                           gui_stall_p99_ms=percentile(gaps, 99) - 2,
                           gui_stalls_over_50=sum(1 for g in gaps if g - 2 > 50), gui_remote_updates=streamed[0])

        finally:
            window = desktop.window
            if window is not None:
                window.quitting = True
                window.close()
            desktop.stop()
    return results


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import platform

    try:
        import PySide6

        qt = f", PySide6 {PySide6.__version__}"
    except ImportError:
        qt = ""
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}{qt}")


def report(r: dict[str, float]) -> str:
    return "\n".join([
        SECTION, "",
        f"Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC on {machine()} by "
        "`bench/directory_search.py` (shared machine, other developers' tests running).", "",
        f"{int(r['contacts']):,} contacts in the encrypted cache (SQLCipher store, {r['store_kib']:.0f} KiB on disk), "
        "loaded by `DirectoryService.start()` as Core does; favorites and history sources on; remote sources off "
        "(their answers stream in after the first results).", "",
        "| What | Median | p95 / p99 | Worst | Target (issue 13) |",
        "|---|---|---|---|---|",
        f"| First results after a keystroke ({int(r['keystrokes'])} keystrokes: name prefixes and number digits; "
        f"median {r['results_median']:.0f} results) | {r['key_median_ms']:.2f} ms | p95 {r['key_p95_ms']:.2f} ms | "
        f"{r['key_max_ms']:.2f} ms ({int(r['key_over_50ms'])} over 50 ms) | 50 ms median, no stall over 50 ms |",
        f"| Caller ID (`caller_id`, 2,000 numbers, half unknown; {int(r['reverse_misses'])} known numbers missed) | "
        f"{r['reverse_median_ms']:.3f} ms | p99 {r['reverse_p99_ms']:.3f} ms | {r['reverse_max_ms']:.2f} ms | "
        "under 5 ms |",
        f"| Caller name from the PBX directory (dird over HTTPS, test PBX on loopback), `identify` to the name | "
        f"{r['pbx_median_ms']:.1f} ms | | {r['pbx_max_ms']:.1f} ms | name within 300 ms of the INVITE |",
        f"| Caller name from LDAP (slapd on loopback, 3,000 entries, StartTLS + bind per lookup) | "
        f"{r['ldap_median_ms']:.1f} ms | | {r['ldap_max_ms']:.1f} ms | name within 300 ms of the INVITE |",
        f"| Loading the cache at start, on a directory worker (decrypt, parse, normalise every number, index) | {r['load_ms']:.0f} ms | | | |",
        "", "The shipped desktop app (`DesktopApp`, Core in demo mode with the demo PBX's dird routes on loopback, "
        f"{int(r['gui_cached']):,} contacts in its directory cache), driven through its real search box and "
        "incoming-call window:", "",
        "| What | Median | p99 | Worst | Target (issue 13) |",
        "|---|---|---|---|---|",
        f"| Keystroke in the search box to the Contacts view showing the local results ({int(r['gui_keystrokes'])} "
        f"keystrokes, a key every 110 ms, 700 ms pause per word; {int(r['gui_remote_updates'])} remote answers "
        f"streamed in) | {r['gui_key_median_ms']:.1f} ms | | {r['gui_key_max_ms']:.1f} ms | 50 ms median |",
        f"| Longest GUI event-loop stall while typing (2 ms timer on the GUI thread) | | {r['gui_stall_p99_ms']:.1f} ms "
        f"| {r['gui_stall_max_ms']:.1f} ms ({int(r['gui_stalls_over_50'])} over 50 ms) | no stall over 50 ms |",
        f"| INVITE sent to the incoming-call window ringing ({int(r['invites'])} calls from numbers only the PBX's "
        f"phonebook knows; {int(r['unnamed'])} not named) | {r['ring_median_ms']:.1f} ms | | {r['ring_max_ms']:.1f} ms | never delayed by the "
        "lookup |",
        f"| INVITE sent to the PBX directory's name on that window | {r['named_median_ms']:.1f} ms | | "
        f"{r['named_max_ms']:.1f} ms | within 300 ms of the INVITE |", "",
        f"Memory for the cache: {r['retained_mib']:.1f} MiB retained (contacts + index, tracemalloc), "
        f"{r['peak_mib']:.1f} MiB peak while loading.", "",
        "A keystroke's first update is delivered inside `search()` on the caller's thread, so the time to first "
        "results is also how long the GUI thread is held by the search. `identify` returns the local name at "
        "once (the ringing never waits); the remote rows are the time until the better name is handed over, on "
        "a directory worker, each number asked once (so not from the cache). The 300 ms target also includes "
        "the engine's event delivery and the window: the desktop-app rows measure that whole path, from the "
        "hand-written INVITE leaving its UDP socket to the name painted. The caller is first shown by number "
        "(nothing local knows it), the name follows on the same window.",
        f"Load average during the run: {r['load_average']}. " + GUI_NOTE, "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    results = {**measure(args.contacts), **measure_remote_caller_id(), **measure_gui(args.contacts)}
    results["load_average"] = " / ".join(f"{x:.1f}" for x in os.getloadavg())  # type: ignore[assignment]
    text = report(results)
    print(text)
    if args.write:
        from bench.echo_erle import replace_section

        replace_section(SECTION, text)


if __name__ == "__main__":
    main()
