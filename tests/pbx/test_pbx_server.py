"""The test PBX itself: it enforces Wazo's vendored specs on both sides, and runs standalone for the demo."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import ssl
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import websockets

from callclient.demo.pbx_server import SPECS_ENV, ContractViolation, PbxServer, WazoContract, default_specs_dir
from tests.fixtures.net import die_with_parent, free_port
from tests.fixtures.tls import Pki
from tests.pbx.conftest import ALICE_LOGIN, ALICE_PASSWORD

USED_BY_THE_CLIENT = [
    ("/api/auth", "POST", "/0.1/token"),
    ("/api/auth", "DELETE", "/0.1/token/x"),
    ("/api/auth", "DELETE", "/0.1/users/me/tokens/callclient"),
    ("/api/confd", "GET", "/1.1/users/u"),
    ("/api/confd", "GET", "/1.1/lines/1"),
    ("/api/confd", "GET", "/1.1/endpoints/sip/u"),
    ("/api/confd", "GET", "/1.1/conferences"),
    ("/api/call-logd", "GET", "/1.0/users/me/cdr"),
    ("/api/calld", "GET", "/1.0/users/me/voicemails"),
    ("/api/calld", "GET", "/1.0/users/me/voicemails/messages"),
    ("/api/calld", "PUT", "/1.0/users/me/voicemails/messages/m"),
    ("/api/calld", "DELETE", "/1.0/users/me/voicemails/messages/m"),
    ("/api/calld", "GET", "/1.0/users/me/voicemails/messages/m/recording"),
]


def test_every_endpoint_the_client_uses_is_in_the_merged_specs(wazo_contract: WazoContract) -> None:
    for prefix, method, path in USED_BY_THE_CLIENT:
        assert wazo_contract.services[prefix].match(method, path), f"{method} {prefix}{path}"
    literal, _ = wazo_contract.services["/api/call-logd"].match("GET", "/1.0/users/me/cdr")
    assert literal.template == "/1.0/users/me/cdr"  # not /users/{user_uuid}/cdr


def test_specs_with_a_dangling_reference_fail_to_load(tmp_path: Path) -> None:
    copy = tmp_path / "wazo"
    shutil.copytree(default_specs_dir(), copy)
    cdr = copy / "wazo-call-logd" / "cdr.api.yml"
    cdr.write_text(cdr.read_text().replace("$ref: '#/definitions/CDRList'", "$ref: '#/definitions/NoSuchList'"))
    with pytest.raises(ContractViolation, match="wazo-call-logd: the merged spec has a dangling reference "
                                                 "/definitions/NoSuchList"):
        WazoContract.load(copy)


def test_specs_that_are_not_swagger_2_fail_to_load(tmp_path: Path) -> None:
    copy = tmp_path / "wazo"
    shutil.copytree(default_specs_dir(), copy)
    root = copy / "wazo-calld" / "api.api.yml"
    root.write_text(root.read_text().replace("basePath: /1.0", "basePath: 1.0"))
    with pytest.raises(ContractViolation, match="wazo-calld: the merged spec is not valid Swagger 2.0"):
        WazoContract.load(copy)


def test_missing_specs_name_the_variable_to_set(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=SPECS_ENV):
        WazoContract.load(tmp_path / "nowhere")


def _client(pbx: PbxServer, pki: Pki) -> httpx.Client:
    return httpx.Client(base_url=pbx.base_url, verify=ssl.create_default_context(cafile=str(pki.ca_file)))


def _token(http: httpx.Client) -> str:
    answer = http.post("/api/auth/0.1/token", auth=(ALICE_LOGIN, ALICE_PASSWORD), json={"expiration": 60})
    assert answer.status_code == 200
    return answer.json()["data"]["token"]


def test_undocumented_query_parameter_is_a_violation(pbx: PbxServer, pki: Pki) -> None:
    with _client(pbx, pki) as http:
        answer = http.get("/api/call-logd/1.0/users/me/cdr", params={"answered": "false"},
                          headers={"X-Auth-Token": _token(http)})
    assert answer.status_code == 400
    assert pbx.violations == ["wazo-call-logd GET /1.0/users/me/cdr: undocumented query parameter 'answered'"]
    pbx.violations.clear()


def test_wrongly_typed_parameter_and_body_are_violations(pbx: PbxServer, pki: Pki) -> None:
    with _client(pbx, pki) as http:
        token = {"X-Auth-Token": _token(http)}
        assert http.get("/api/call-logd/1.0/users/me/cdr", params={"limit": "ten"}, headers=token).status_code == 400
        message = next(iter(pbx.data.messages))
        put = http.put(f"/api/calld/1.0/users/me/voicemails/messages/{message}", json={"folder": "old"},
                       headers=token)
        assert put.status_code == 400
    assert "'ten' is not a valid integer" in pbx.violations[0]
    assert "'folder_id' is a required property" in pbx.violations[1]
    pbx.violations.clear()


def test_request_without_a_token_is_a_violation(pbx: PbxServer, pki: Pki) -> None:
    with _client(pbx, pki) as http:
        assert http.get("/api/calld/1.0/users/me/voicemails").status_code == 400
    assert pbx.violations == ["wazo-calld GET /1.0/users/me/voicemails: no credentials of kind wazo_auth_token"]
    pbx.violations.clear()


def test_paths_outside_the_specs_are_violations(pbx: PbxServer, pki: Pki) -> None:
    with _client(pbx, pki) as http:
        assert http.get("/api/calld/1.0/users/me/voicemail").status_code == 405
        assert http.get("/api/phonebook/1.0/anything").status_code == 404
    assert len(pbx.violations) == 2
    pbx.violations.clear()


def test_response_that_breaks_the_schema_is_caught(pbx: PbxServer, pki: Pki) -> None:
    pbx.data.cdrs[0]["duration"] = "forty"
    with _client(pbx, pki) as http:
        answer = http.get("/api/call-logd/1.0/users/me/cdr", headers={"X-Auth-Token": _token(http)})
    assert answer.status_code == 500
    assert "response does not match the spec at items/" in pbx.violations[0]
    assert "'forty' is not of type 'integer'" in pbx.violations[0]
    pbx.violations.clear()


def test_websocket_speaks_the_websocketd_protocol(pbx: PbxServer, pki: Pki) -> None:
    with _client(pbx, pki) as http:
        token = _token(http)
    context = ssl.create_default_context(cafile=str(pki.ca_file))

    async def session() -> list[dict]:
        url = pbx.base_url.replace("https", "wss") + f"/api/websocketd/?token={token}&version=2"
        async with websockets.connect(url, ssl=context) as ws:
            frames = [json.loads(await ws.recv())]
            for op in ({"op": "subscribe", "data": {"event_name": "*"}}, {"op": "start"},
                       {"op": "ping", "data": {"payload": "p-1"}}):
                await ws.send(json.dumps(op))
                frames.append(json.loads(await ws.recv()))
            await asyncio.to_thread(pbx.push_event, "anything_happened", {"n": 1})
            frames.append(json.loads(await ws.recv()))
            return frames

    frames = asyncio.run(session())
    assert [f["op"] for f in frames] == ["init", "subscribe", "start", "pong", "event"]
    assert frames[3]["data"] == {"payload": "p-1"}
    assert frames[4]["data"]["name"] == "anything_happened" and frames[4]["data"]["data"] == {"n": 1}


def test_websocket_with_a_bad_token_is_closed_with_4003(pbx: PbxServer, pki: Pki) -> None:
    context = ssl.create_default_context(cafile=str(pki.ca_file))

    async def session() -> int | None:
        url = pbx.base_url.replace("https", "wss") + "/api/websocketd/?token=nope&version=2"
        async with websockets.connect(url, ssl=context) as ws:
            with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
                await ws.recv()
            return closed.value.rcvd.code if closed.value.rcvd else None

    assert asyncio.run(session()) == 4003


def test_server_runs_standalone_with_sample_data(pki: Pki) -> None:
    port = free_port("tcp")
    command = [sys.executable, "-m", "callclient.demo.pbx_server", "--port", str(port),
               "--cert", str(pki.cert_file), "--key", str(pki.key_file)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"}, preexec_fn=die_with_parent)
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()  # blocks until the server is listening (or exits)
        assert f"Test PBX on https://127.0.0.1:{port}" in banner
        context = ssl.create_default_context(cafile=str(pki.ca_file))
        with httpx.Client(base_url=f"https://127.0.0.1:{port}", verify=context) as http:
            token = _token(http)
            rooms = http.get("/api/confd/1.1/conferences", headers={"X-Auth-Token": token}).json()
        assert [room["name"] for room in rooms["items"]] == ["Weekly team", "Sales"]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_packaged_specs_are_a_verbatim_copy_of_the_reference() -> None:
    from callclient.demo.pbx_server import PACKAGED_SPECS, reference_specs_dir

    packaged = {p.relative_to(PACKAGED_SPECS): p.read_bytes() for p in PACKAGED_SPECS.rglob("*") if p.is_file()}
    assert packaged, "the app ships the Wazo specs its demo PBX checks itself against"
    reference_dir = reference_specs_dir()
    if reference_dir.is_dir():  # beside a checkout (CI, developers); an installed app has only its copy
        reference = {p.relative_to(reference_dir): p.read_bytes() for p in reference_dir.rglob("*") if p.is_file()}
        assert packaged == reference, "callclient/demo/wazo_specs drifted from shared/reference/wazo: copy it again"
    WazoContract.load(PACKAGED_SPECS)
