from __future__ import annotations

import pjsua2 as pj
import pytest

from callclient.engine.accounts import account_config
from callclient.engine.addresses import party_from_header, request_uri
from callclient.engine.errors import InvalidTarget
from callclient.engine.mwi import parse_message_summary
from callclient.engine.settings import AccountSettings, IceSettings, SrtpPolicy, Transport


@pytest.mark.parametrize(
    ("typed", "uri"),
    [
        ("201", "sip:201@pbx.test"),
        ("+1 (555) 010-0199", "sip:+15550100199@pbx.test"),
        ("tel:+44-20-7946-0018", "sip:+442079460018@pbx.test;user=phone"),
        ("callto:5550100", "sip:5550100@pbx.test"),
        ("callto://alice", "sip:alice@pbx.test"),
        ("sip:bob@example.org", "sip:bob@example.org"),
        ("sips:bob@example.org", "sips:bob@example.org"),
        ("sip:201", "sip:201@pbx.test"),
        ("alice", "sip:alice@pbx.test"),
        ("bob@example.org", "sip:bob@example.org"),
        ("*97", "sip:*97@pbx.test"),
    ],
)
def test_what_users_type_becomes_a_request_uri(typed: str, uri: str) -> None:
    assert request_uri(typed, "pbx.test") == uri


def test_transport_parameter_follows_the_account() -> None:
    assert request_uri("201", "pbx.test", ";transport=tls") == "sip:201@pbx.test;transport=tls"


@pytest.mark.parametrize("typed", ["", "   ", "call me maybe", "tel:abc"])
def test_nonsense_is_refused_with_a_reason(typed: str) -> None:
    with pytest.raises(InvalidTarget):
        request_uri(typed, "pbx.test")


def test_caller_display_name_and_number_come_from_the_header() -> None:
    party = party_from_header('"Smith, Jane \\"JS\\"" <sip:+15550100@pbx.test;user=phone>;tag=abc')
    assert party.display_name == 'Smith, Jane "JS"'
    assert party.number == "+15550100"
    assert party.uri == "sip:+15550100@pbx.test;user=phone"
    assert party_from_header("sip:201@pbx.test;tag=x").number == "201"
    assert party_from_header("<tel:+4930123>").number == "+4930123"


def test_message_summary_variants() -> None:
    summary = parse_message_summary("a", "Messages-Waiting: no\r\nVoice-Message: 0/3\r\n")
    assert (summary.waiting, summary.new, summary.old, summary.urgent_new) == (False, 0, 3, 0)
    assert parse_message_summary("a", "Voice-Message: 1/1") is None  # Messages-Waiting is mandatory


def test_nat_traversal_settings_pass_through_to_pjsua() -> None:
    settings = AccountSettings(
        "a", "alice", "pbx.test", password="pw", transport=Transport.TCP, outbound_proxy="proxy.pbx.test:5070",
        ice=IceSettings(enabled=True, turn_server="turn.pbx.test:3478", turn_username="t", turn_password="tp",
                        turn_transport=Transport.TCP),
        srtp=SrtpPolicy.OPTIONAL,
    )
    cfg = account_config(settings, transport_id=2, stun_enabled=True, keepalive_interval_s=25)
    assert cfg.natConfig.iceEnabled and cfg.natConfig.turnEnabled
    assert (cfg.natConfig.turnServer, cfg.natConfig.turnUserName) == ("turn.pbx.test:3478", "t")
    assert cfg.natConfig.turnConnType == pj.PJ_TURN_TP_TCP
    assert cfg.natConfig.sipStunUse == pj.PJSUA_STUN_USE_DEFAULT
    assert cfg.natConfig.udpKaIntervalSec == 25
    assert list(cfg.sipConfig.proxies) == ["sip:proxy.pbx.test:5070;lr;transport=tcp"]
    assert cfg.regConfig.registrarUri == "sip:pbx.test;transport=tcp"
    assert cfg.mediaConfig.srtpUse == pj.PJMEDIA_SRTP_OPTIONAL
    assert cfg.regConfig.retryIntervalSec == 0, "our backoff is the only retry schedule"


def test_account_repr_hides_the_password() -> None:
    settings = AccountSettings("a", "alice", "pbx.test", password="hunter2-secret",
                               ice=IceSettings(turn_password="turn-secret"))
    assert "hunter2-secret" not in repr(settings) and "turn-secret" not in repr(settings)
