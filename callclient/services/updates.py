"""Update checks, as the privacy policy promises: off unless the admin names a feed, at most once a day, and
the app only tells the user — it never downloads or runs anything.

The feed is a small JSON document signed with Ed25519:

    {"feed": "{\\"version\\": \\"0.2.0\\", \\"notes\\": \\"...\\", \\"download_page\\": \\"https://...\\"}",
     "signature": "<base64 of the Ed25519 signature over the UTF-8 bytes of `feed`>"}

The signed text travels as a string so that what is verified is exactly what is parsed (no canonical-JSON
pitfalls). The public key is built in (`RELEASE_PUBLIC_KEY`); the composition root may hand another one in
(CoreOptions.update_public_key) — tests do, with a key they make, so no test key ships in the app.

A bad signature, a version that is not newer, junk, a non-https download page: refused, with one log line
naming the problem; the user hears nothing. The time of the last check lives in the encrypted store's
preferences, so "once a day" holds across restarts.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from callclient import __version__
from callclient.services.threads import ANY_THREAD, CALLER, WORKER, runs_on

log = logging.getLogger(__name__)

# The release signing key's public half (raw 32 bytes, base64); a feed signed with anything else is refused.
# The private half belongs on the release machine only. (This key was made when the feature was written;
# whoever first signs a real feed replaces it with the release machine's own key.)
RELEASE_PUBLIC_KEY = base64.b64decode("99NisNU0gCgQv1bU9jIWZyI+2+0bJEpMaw8A633d86k=")
LAST_CHECK_KEY = "updates.last_check_epoch_s"
CHECK_INTERVAL_S = 24 * 3600
FEED_MAX_BYTES = 64 * 1024  # a version, notes and a link: anything bigger is not our feed
FETCH_TIMEOUT_S = 20.0
_VERSION = re.compile(r"^\d{1,6}(\.\d{1,6}){0,3}$")


@dataclass(frozen=True)
class UpdateAvailable:
    """A newer version exists; the front ends tell the user and link to `download_page`."""

    version: str
    notes: str  # plain text from the feed: show with Qt.PlainText
    download_page: str


class FeedRefused(Exception):
    """The feed was fetched but cannot be trusted or read; the message says why."""


def version_tuple(version: str) -> tuple[int, ...]:
    if not _VERSION.match(version):
        raise FeedRefused(f"{version[:40]!r} is not a version number")
    numbers = tuple(int(part) for part in version.split("."))
    return numbers + (0,) * (4 - len(numbers))


def read_feed(body: bytes, public_key: bytes, running_version: str) -> UpdateAvailable | None:
    """The update the signed feed announces, None when it names the version running; FeedRefused otherwise."""
    if len(body) > FEED_MAX_BYTES:
        raise FeedRefused(f"the feed is {len(body)} bytes, more than {FEED_MAX_BYTES}")
    try:
        outer = json.loads(body)
        signed, signature = outer["feed"], base64.b64decode(outer["signature"], validate=True)
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        raise FeedRefused(f"the feed is not a signed feed ({type(error).__name__})") from None
    if not isinstance(signed, str):
        raise FeedRefused("the feed's signed part is not text")
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, signed.encode())
    except InvalidSignature:
        raise FeedRefused("the feed's signature does not verify with the release key") from None
    try:
        fields = json.loads(signed)
        version, notes, page = fields["version"], fields.get("notes", ""), fields["download_page"]
    except (ValueError, KeyError, TypeError) as error:
        raise FeedRefused(f"the signed feed lacks version or download_page ({type(error).__name__})") from None
    if not all(isinstance(value, str) for value in (version, notes, page)):
        raise FeedRefused("the feed's version, notes and download_page must be text")
    if not page.startswith("https://"):
        raise FeedRefused(f"the download page {page[:80]!r} is not an https:// URL")
    offered, running = version_tuple(version), version_tuple(running_version)
    if offered < running:
        raise FeedRefused(f"the feed offers {version}, older than the running {running_version} (a downgrade)")
    if offered == running:
        return None
    return UpdateAvailable(version=version, notes=notes[:2000], download_page=page)


class UpdateChecks:
    """Owns whether, when and how the app checks for a newer version.

    `policy()` gives (feed URL or "off", CA file or ""), read at each check so an admin change applies;
    `announce(UpdateAvailable)` tells the front ends (Core passes the news stream's publish).
    """

    def __init__(self, policy: Callable[[], tuple[str, str]], preferences: Any,
                 announce: Callable[[UpdateAvailable], None], public_key: bytes = RELEASE_PUBLIC_KEY,
                 running_version: str = __version__, clock: Callable[[], float] = time.time) -> None:
        self._policy = policy
        self._preferences = preferences
        self._announce = announce
        self._public_key = public_key
        self._running_version = running_version
        self._clock = clock
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.latest: UpdateAvailable | None = None  # the last update announced, for a window opened later

    @runs_on(CALLER)
    def start(self) -> None:
        """Starts the daily check only when a feed is configured: off means no thread and no request at all."""
        with self._lock:
            if self._thread is not None or self._policy()[0] == "off":
                return
            self._thread = threading.Thread(target=self._run, name="update-checks", daemon=True)
            self._thread.start()

    @runs_on(CALLER)
    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(FETCH_TIMEOUT_S + 5)

    @runs_on(ANY_THREAD)
    def on_settings_changed(self, change: Any) -> None:
        if change.touches("policy.update_check_url", "policy.update_ca_file"):
            self.start()  # an admin who turns checks on gets them without a restart
            self._wake.set()

    @runs_on(WORKER)
    def _run(self) -> None:
        while not self._stopping.is_set():
            url, ca_file = self._policy()
            if url == "off":
                self._wake.wait()  # an admin may turn checks on again
                self._wake.clear()
                continue
            last = self._preferences.get(LAST_CHECK_KEY, 0.0)
            due_in_s = (last if isinstance(last, (int, float)) else 0.0) + CHECK_INTERVAL_S - self._clock()
            if due_in_s > 0:
                log.info("next update check in %d s (once a day)", due_in_s)
                self._wake.wait(min(due_in_s, CHECK_INTERVAL_S))
                self._wake.clear()
                continue
            self._preferences.set(LAST_CHECK_KEY, self._clock())  # before fetching: a failing feed is not retried
            self.check(url, ca_file)

    @runs_on(WORKER)
    def check(self, url: str, ca_file: str = "") -> UpdateAvailable | None:
        """Fetches and judges the feed once; announces a newer version. Never raises."""
        import httpx  # here, not at start-up: it pulls in rich and click (0.3-0.5 s), and most installs never check

        try:
            verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=ca_file) if ca_file else True
            with httpx.Client(verify=verify, timeout=FETCH_TIMEOUT_S, follow_redirects=False,
                              trust_env=False) as client:
                with client.stream("GET", url, headers={"Accept": "application/json"}) as response:
                    response.raise_for_status()
                    body = b""
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > FEED_MAX_BYTES:  # stop reading: junk of any size costs 64 KiB at most
                            break
            update = read_feed(body, self._public_key, self._running_version)
        except FeedRefused as refused:
            log.warning("update feed %s refused: %s", url, refused)
            return None
        except (httpx.HTTPError, OSError) as error:  # OSError: an unreadable CA file
            log.warning("update feed %s not fetched: %s", url, error)
            return None
        if update is None:
            log.info("update feed %s: %s is the newest version", url, self._running_version)
            return None
        log.info("update feed %s offers %s", url, update.version)
        self.latest = update
        self._announce(update)
        return update
