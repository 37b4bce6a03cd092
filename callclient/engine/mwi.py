"""RFC 3842 message-summary bodies."""

from __future__ import annotations

import re

from callclient.engine.events import MessageSummary

_VOICE = re.compile(r"^voice-message\s*:\s*(\d+)\s*/\s*(\d+)(?:\s*\(\s*(\d+)\s*/\s*(\d+)\s*\))?", re.I | re.M)
_WAITING = re.compile(r"^messages-waiting\s*:\s*(yes|no)", re.I | re.M)


def parse_message_summary(account_id: str, message: str) -> MessageSummary | None:
    """Counts from a whole SIP NOTIFY (headers and body) or just its body; None if it has none.

    RFC 3842 section 5.2: 'Messages-Waiting' is mandatory; the per-class lines are
    'Voice-Message: new/old (new-urgent/old-urgent)'.
    """
    head, sep, body = message.replace("\r\n", "\n").partition("\n\n")
    text = body if sep else head
    waiting = _WAITING.search(text)
    if waiting is None:
        return None
    voice = _VOICE.search(text)
    new = old = urgent_new = urgent_old = 0
    if voice:
        new, old = int(voice.group(1)), int(voice.group(2))
        urgent_new = int(voice.group(3) or 0)
        urgent_old = int(voice.group(4) or 0)
    return MessageSummary(
        account_id=account_id,
        waiting=waiting.group(1).lower() == "yes",
        new=new,
        old=old,
        urgent_new=urgent_new,
        urgent_old=urgent_old,
    )
