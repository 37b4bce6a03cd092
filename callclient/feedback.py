"""Kept for older imports: the ringing and tones policy lives in callclient/services/alerting.py."""

from callclient.services.alerting import BUSY_TONE_S, CallFeedback

__all__ = ["BUSY_TONE_S", "CallFeedback"]
