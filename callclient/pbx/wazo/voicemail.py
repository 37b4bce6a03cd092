"""Voicemail on Wazo: wazo-calld's box of the signed-in user (counts per folder, the messages, a message's
recording, moving and deleting one), the SIP MWI counts announced as they arrive, and the offline copies of
recordings kept in step with the box (a message gone from the PBX goes from the cache too).

Requests go through the service's authenticated `call` (renewal, retries, errors naming the host). The folder
ids a move needs are learnt from the box and kept, with the last list and MWI counts, in CachedViews.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from callclient.pbx.errors import PbxBadResponse, PbxNotFound
from callclient.pbx.service import PbxEvent, VoicemailChanged, VoicemailCounts, VoicemailFolder, VoicemailMessage
from callclient.pbx.wazo.caches import CachedViews, OfflineRecordings
from callclient.pbx.wazo.config import CALLD
from callclient.pbx.wazo.mapping import folder_of, path_part, shape, voicemail_message


class WazoVoicemail:
    def __init__(self, call: Callable[..., Any], host: str, views: CachedViews, recordings: OfflineRecordings,
                 emit: Callable[[PbxEvent], None]) -> None:
        self._call = call  # WazoService._call(method, base, path, *, what, **kwargs)
        self._host = host
        self._views = views
        self._recordings = recordings
        self._emit = emit

    def counts(self) -> VoicemailCounts:
        box = self._call("GET", CALLD, "/users/me/voicemails", what="fetch your voicemail box")
        with shape(self._host, "your voicemail box"):
            counts = {folder: 0 for folder in VoicemailFolder}
            ids: dict[VoicemailFolder, int] = {}
            for folder in box.get("folders") or []:
                kind = folder_of(folder.get("type"))
                if kind is None:
                    continue
                ids[kind] = int(folder["id"])
                counts[kind] += len(folder.get("messages") or [])
        self._views.keep_folder_ids(ids)
        return VoicemailCounts(counts[VoicemailFolder.NEW], counts[VoicemailFolder.OLD], counts[VoicemailFolder.URGENT])

    def update_mwi(self, new: int, old: int, urgent_new: int = 0) -> None:
        """SIP MWI says the box changed: announce the counts at once (MWI arrives even when the API is offline),
        so views update their badges and refetch the list."""
        if min(new, old, urgent_new) < 0:
            raise ValueError(f"message counts cannot be negative: {new}/{old} ({urgent_new})")
        counts = VoicemailCounts(new=new, old=old, urgent=urgent_new)
        if self._views.mwi_changed(counts):
            self._emit(VoicemailChanged(counts=counts))

    def messages(self, folder: VoicemailFolder | None = None) -> tuple[VoicemailMessage, ...]:
        data = self._call("GET", CALLD, "/users/me/voicemails/messages",
                          params={"order": "timestamp", "direction": "desc"}, what="fetch your voicemail")
        with shape(self._host, "your voicemail"):
            messages = []
            for item in data["items"]:
                kind = folder_of(item["folder"]["type"])
                if kind is None:
                    continue
                self._views.learn_folder_id(kind, int(item["folder"]["id"]))
                messages.append(voicemail_message(item, kind))
        messages.sort(key=lambda m: m.received_at, reverse=True)
        everything = tuple(messages)
        before = self._views.voicemail or ()
        self._views.keep_voicemail(everything)
        # Messages deleted elsewhere (another phone, the PBX's own menu) go from the offline cache too; one moved
        # to a folder we do not list goes as well, which costs at most a download.
        for gone in {m.id for m in before} - {m.id for m in everything}:
            self._recordings.remove(gone)
        return everything if folder is None else tuple(m for m in everything if m.folder is folder)

    def cached(self) -> tuple[VoicemailMessage, ...] | None:
        return self._views.voicemail

    def recording(self, message_id: str) -> bytes:
        """The message's audio (WAV): from the offline cache when it holds it, else from the PBX (and cached)."""
        cached = self._recordings.get(message_id)
        if cached is not None:
            return cached
        path = f"/users/me/voicemails/messages/{path_part(message_id)}/recording"
        audio = self._call("GET", CALLD, path, what="download the voicemail message", expect="bytes")
        if not audio.startswith(b"RIFF"):
            raise PbxBadResponse(self._host, "download the voicemail message", "the recording is not a WAV file")
        self._recordings.put(message_id, audio)
        return audio

    def mark_read(self, message_id: str) -> None:
        self.move(message_id, VoicemailFolder.OLD)

    def move(self, message_id: str, folder: VoicemailFolder) -> None:
        folder_id = self._folder_id(folder)
        self._call("PUT", CALLD, f"/users/me/voicemails/messages/{path_part(message_id)}",
                   json_body={"folder_id": folder_id}, what="move the voicemail message", expect="none")
        self._views.message_moved(message_id, folder)

    def delete(self, message_id: str) -> None:
        """Deletes the message on the PBX and its offline copy (also when the PBX no longer had it)."""
        try:
            self._call("DELETE", CALLD, f"/users/me/voicemails/messages/{path_part(message_id)}",
                       what="delete the voicemail message", expect="none")
        except PbxNotFound:
            self.message_gone(message_id)  # deleted elsewhere already: the user's wish holds either way
            raise
        self.message_gone(message_id)

    def played(self, message_id: str) -> None:
        """The voicemail view calls this when the user has heard the message to the end: the cache policy
        then decides (after-playback, the default, deletes the offline copy at once). No request is made."""
        self._recordings.played(message_id)

    def message_gone(self, message_id: str) -> None:
        self._views.message_deleted(message_id)
        self._recordings.remove(message_id)

    def _folder_id(self, folder: VoicemailFolder) -> int:
        known = self._views.folder_id(folder)
        if known is None:
            self.counts()  # learns the box's folder ids
            known = self._views.folder_id(folder)
        if known is None:
            raise PbxNotFound(self._host, f"find the '{folder.value}' voicemail folder")
        return known
