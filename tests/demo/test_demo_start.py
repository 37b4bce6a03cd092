"""Demo mode's start-up caches: the far ends' spoken prompts and the demo PBX's merged Wazo contract are made
once and kept in the app's cache directory, and what is read back is what would have been made."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import callclient.demo
from callclient.demo import PACKAGED_CONTRACT, load_contract, prompt_audio, specs_digest
from callclient.demo.pbx_server.contract import PACKAGED_SPECS, WazoContract


def documents(contract: WazoContract) -> dict:
    return {prefix: spec.document for prefix, spec in contract.services.items()}


@pytest.fixture(scope="module")
def validated() -> dict:
    """The documents WazoContract.load merges and validates from the vendored specs (seconds of YAML)."""
    return documents(WazoContract.load())


def _no_rebuild(*_args: object) -> WazoContract:
    raise AssertionError("the specs were merged and validated again")


def test_the_shipped_contract_is_the_one_the_packaged_specs_make(validated: dict) -> None:
    shipped = json.loads(PACKAGED_CONTRACT.read_text())
    assert shipped["specs_sha256"] == specs_digest(PACKAGED_SPECS), "the specs changed: run scripts/demo-contract"
    assert shipped["documents"] == validated, "run scripts/demo-contract"


def test_a_first_demo_launch_reads_the_shipped_contract_without_merging_the_specs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, validated: dict) -> None:
    monkeypatch.setattr(WazoContract, "load", classmethod(_no_rebuild))
    contract = load_contract(tmp_path / "empty-cache")
    assert documents(contract) == validated
    assert not (tmp_path / "empty-cache").exists(), "nothing to keep: the shipped copy serves every launch"


@pytest.fixture
def shipped_for_other_specs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A shipped contract made from other specs (CALLCLIENT_WAZO_SPECS pointing at newer ones): not used."""
    other = tmp_path / "shipped-for-other-specs.json"
    other.write_text(json.dumps({"specs_sha256": "0" * 64, "documents": {}}))
    monkeypatch.setattr(callclient.demo, "PACKAGED_CONTRACT", other)


def test_the_pbx_contract_read_from_the_cache_is_the_validated_one_and_is_not_rebuilt(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, validated: dict, shipped_for_other_specs: None) -> None:
    first = load_contract(tmp_path)
    assert documents(first) == validated
    assert len(list(tmp_path.glob("wazo-contract-*.json"))) == 1

    monkeypatch.setattr(WazoContract, "load", classmethod(_no_rebuild))
    cached = load_contract(tmp_path)
    assert documents(cached) == validated
    # The server matches requests on the operations built from the documents: the same from either.
    assert [op.template for op in cached.services["/api/auth"].operations] == \
        [op.template for op in first.services["/api/auth"].operations]


def test_a_damaged_contract_cache_is_rebuilt_not_trusted(tmp_path: Path, validated: dict,
                                                         shipped_for_other_specs: None) -> None:
    load_contract(tmp_path)
    cache_file = next(tmp_path.glob("wazo-contract-*.json"))
    cache_file.write_text('{"/api/auth": ')  # cut short, as by a crash or a full disk
    rebuilt = load_contract(tmp_path)
    assert documents(rebuilt) == validated
    assert cache_file.read_text().startswith('{"/api/auth": {')


def test_prompts_are_synthesised_once_and_a_changed_text_makes_a_new_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    real_speech_wav = prompt_audio.speech_wav

    def counting(path: Path, text: str) -> Path:
        made.append(text)
        return real_speech_wav(path, text)

    monkeypatch.setattr(prompt_audio, "speech_wav", counting)
    first = prompt_audio.cached_speech_wav(tmp_path, "greeting", "Please leave a message.")
    again = prompt_audio.cached_speech_wav(tmp_path, "greeting", "Please leave a message.")
    assert first == again and made == ["Please leave a message."]
    assert first.stat().st_size > 44, "a WAV with samples, not an empty header"
    other = prompt_audio.cached_speech_wav(tmp_path, "greeting", "Leave a message after the tone.")
    assert other != first and made[-1] == "Leave a message after the tone."
    assert not list(tmp_path.glob(".*partial*")), "no half-written prompt is left behind"
