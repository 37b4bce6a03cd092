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

Its parts: bench/directory_contacts.py (the contacts), bench/directory_gui.py (the desktop app's part),
bench/directory_report.py (the section of docs/benchmarks.md); this script measures the service itself.
"""

from __future__ import annotations

import argparse
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

from bench.directory_contacts import make_contacts  # noqa: E402
from bench.directory_gui import measure_gui  # noqa: E402
from bench.directory_report import SECTION, report  # noqa: E402
from bench.report import percentile, replace_section  # noqa: E402
from callclient.config.model import DialPlanConfig, DirectoryConfig  # noqa: E402
from callclient.directory.cache import DirectoryCache  # noqa: E402
from callclient.directory.sources.local import FavoritesSource, HistorySource  # noqa: E402
from callclient.services.directory import DirectoryService  # noqa: E402
from callclient.storage.store import LocalStore  # noqa: E402


def settings() -> SimpleNamespace:
    app = SimpleNamespace(dialplan=DialPlanConfig("0", ("112",), "FR"),
                          directory=replace(DirectoryConfig(), pbx_enabled=False))
    return SimpleNamespace(config=SimpleNamespace(config=app))


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
        replace_section(SECTION, text)


if __name__ == "__main__":
    main()
