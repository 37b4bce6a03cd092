"""The Wazo session: sign-in with the password, tokens kept in the token store, renewal with the refresh token.

Thread-safe: the PBX worker thread and the update thread both ask for a fresh session; renewal is serialised
so that one refresh serves both.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import NoReturn

import httpx

from callclient.pbx.errors import PbxBadResponse, PbxError, PbxForbidden, PbxNotFound, PbxUnauthorized, SignInRequired
from callclient.pbx.service import PbxEvent, ServiceState, Session, SessionRenewed, TokenStore
from callclient.pbx.wazo.config import AUTH, WazoConfig
from callclient.pbx.wazo.http import WazoHttp
from callclient.pbx.wazo.mapping import session_from_token

log = logging.getLogger(__name__)


class SessionKeeper:
    """Owns the current session and every token request to wazo-auth."""

    def __init__(
        self,
        config: WazoConfig,
        http: WazoHttp,
        client: httpx.Client,
        tokens: TokenStore,
        *,
        clock: Callable[[], datetime],
        on_secret: Callable[[str], None],
        set_state: Callable[[ServiceState, str], None],
        emit: Callable[[PbxEvent], None],
    ) -> None:
        self._config = config
        self._http = http
        self._client = client
        self._tokens = tokens
        self._clock = clock
        self._on_secret = on_secret
        self._set_state = set_state
        self._emit = emit
        self.host = config.host
        self._lock = threading.Lock()
        self._renew_lock = threading.Lock()
        self._session: Session | None = None
        self._ended = False  # the PBX ended the session: say "has ended", not "not signed in"
        # The renewal schedule (see WazoConfig): due at max(_renew_at, _not_before).
        self._renew_at: datetime | None = None
        self._not_before: datetime | None = None
        self._failed_renewals = 0

    @property
    def current(self) -> Session | None:
        with self._lock:
            return self._session

    def sign_in(self, login: str, password: str) -> Session:
        self._on_secret(password)
        body = {
            "access_type": "offline",
            "client_id": self._config.client_id,
            "expiration": self._config.token_lifetime_s,
        }
        try:
            data = self._http.send(self._client, "POST", AUTH, "/token", what="sign in", token=None,
                                   json_body=body, basic=(login, password))
        except PbxUnauthorized:
            self._set_state(ServiceState.SIGNED_OUT, "wrong credentials")
            raise
        session = self._read_token(data, "sign in", previous_refresh=None)
        self._adopt(session)
        return session

    def resume(self) -> bool:
        session = self._tokens.load_session()
        if session is None:
            return False
        self._on_secret(session.access_token)
        if session.refresh_token:
            self._on_secret(session.refresh_token)
        # How long ago it was granted is not kept: assume the lifetime we ask for, so a stored token of a
        # short-lived PBX is renewed at once, and once.
        renew_at = session.expires_at - self._margin(timedelta(seconds=self._config.token_lifetime_s))
        with self._lock:
            self._session, self._ended = session, False
            self._renew_at, self._not_before, self._failed_renewals = renew_at, None, 0
        self._set_state(ServiceState.ONLINE, "")
        return True

    def sign_out(self) -> None:
        with self._lock:
            session, self._session, self._ended = self._session, None, False
        self._tokens.clear_session()
        if session is not None:
            # Revoke on the PBX too, best effort: signing out must work offline.
            for path in (f"/users/me/tokens/{self._config.client_id}", f"/token/{session.access_token}"):
                try:
                    self._http.send(self._client, "DELETE", AUTH, path, what="sign out",
                                    token=session.access_token, expect="none", attempts=1)
                except PbxError as error:
                    log.warning("Could not revoke the session on %s: %s", self.host, error)
        self._set_state(ServiceState.SIGNED_OUT, "")

    def fresh(self) -> Session:
        """The session to use now, renewed first when its renewal is due; SignInRequired without one."""
        with self._lock:
            session, ended, due_at = self._session, self._ended, self._due_at()
        if session is None:
            if ended:
                raise SignInRequired(self.host)
            raise SignInRequired(self.host, "not signed in")
        now = self._clock()
        if due_at is None or now < due_at:
            return session
        try:
            return self.renew(session)
        except SignInRequired:
            raise
        except PbxError as error:
            if now >= session.expires_at:
                raise
            # Renewing early is a courtesy: while the token is valid, the request can still go through.
            log.warning("Could not renew the session on %s (%s); the current token is valid until %s",
                        self.host, error, session.expires_at.isoformat())
            return session

    def renewal_due_in_s(self) -> float | None:
        """Seconds until the session should be renewed (0 when due); None when there is no session."""
        with self._lock:
            due_at = self._due_at() if self._session is not None else None
        if due_at is None:
            return None
        return max(0.0, (due_at - self._clock()).total_seconds())

    def renew(self, stale: Session) -> Session:
        """A fresh session from the refresh token; SignInRequired when there is none or the PBX refuses it."""
        with self._renew_lock:
            with self._lock:
                current = self._session
            if current is None:
                raise SignInRequired(self.host, "signed out")
            if current.access_token != stale.access_token:
                return current  # another thread renewed it meanwhile
            if not current.refresh_token:
                self.require_sign_in("no refresh token")
            body = {
                "refresh_token": current.refresh_token,
                "client_id": self._config.client_id,
                "expiration": self._config.token_lifetime_s,
            }
            asked_at = self._clock()
            try:
                data = self._http.send(self._client, "POST", AUTH, "/token", what="renew the session", token=None,
                                       json_body=body)
                session = self._read_token(data, "renew the session", previous_refresh=current.refresh_token)
            except (PbxUnauthorized, PbxForbidden, PbxNotFound) as error:
                self.require_sign_in(str(error))
            except PbxError as error:
                # Older wazo-auth versions answer 400 to an unknown refresh token.
                if isinstance(error, PbxBadResponse) and error.status == 400:
                    self.require_sign_in("the refresh token was refused")
                self._renewal_failed(asked_at)
                raise
            self._adopt(session)
            log.info("Renewed the session on %s until %s", self.host, session.expires_at.isoformat())
            self._emit(SessionRenewed(session.expires_at))
            return session

    def require_sign_in(self, reason: str) -> NoReturn:
        """The session cannot be renewed: forget it everywhere, say so, and raise SignInRequired."""
        with self._lock:
            self._session = None
            self._ended = True
        self._tokens.clear_session()
        self._set_state(ServiceState.SIGN_IN_REQUIRED, reason)
        raise SignInRequired(self.host)

    def _read_token(self, data: object, what: str, previous_refresh: str | None) -> Session:
        return session_from_token(data, host=self.host, what=what, now=self._clock(),
                                  asked_lifetime_s=self._config.token_lifetime_s, previous_refresh=previous_refresh)

    def _adopt(self, session: Session) -> None:
        self._on_secret(session.access_token)
        if session.refresh_token:
            self._on_secret(session.refresh_token)
        now = self._clock()
        with self._lock:
            self._session = session
            self._ended = False
            self._renew_at = session.expires_at - self._margin(session.expires_at - now)
            self._not_before = now + timedelta(seconds=self._config.min_renew_interval_s)
            self._failed_renewals = 0
        self._tokens.save_session(session)
        self._set_state(ServiceState.ONLINE, "")

    def _margin(self, lifetime: timedelta) -> timedelta:
        """How long before expiry to renew: the configured margin, but at most half the lifetime."""
        return min(timedelta(seconds=self._config.renew_margin_s), lifetime / 2)

    def _due_at(self) -> datetime | None:
        """When the next renewal may start (call with the lock held)."""
        if self._renew_at is None:
            return None
        return self._renew_at if self._not_before is None else max(self._renew_at, self._not_before)

    def _renewal_failed(self, asked_at: datetime) -> None:
        with self._lock:
            self._failed_renewals += 1
            pause_s = min(self._config.renew_backoff_max_s,
                          self._config.min_renew_interval_s * 2 ** min(self._failed_renewals, 16))
            self._not_before = asked_at + timedelta(seconds=pause_s)
        log.info("Renewal on %s failed (%d in a row); next attempt in %.0f s at the earliest", self.host,
                 self._failed_renewals, pause_s)
