"""The jitter buffer the app ships with (chosen in docs/benchmarks.md, "Call quality on real networks")
reaches pjsua's media configuration, including the discard algorithm SWIG cannot assign directly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Its own process: one pjsua2 Endpoint per process, and other engine tests hold theirs.
_READ_BACK = """
import json, pjsua2 as pj
from callclient.engine.endpoint import configure_media
from callclient.engine.settings import EngineSettings, JitterBufferSettings
ep = pj.Endpoint(); ep.libCreate()
out = {}
for name, settings in (("shipped", EngineSettings()),
                       ("progressive", EngineSettings(jitter_buffer=JitterBufferSettings(discard="progressive")))):
    config = pj.EpConfig()
    configure_media(config.medConfig, settings)
    doc = pj.JsonDocument(); doc.writeObject(config.medConfig)
    out[name] = json.loads(doc.saveString())["MediaConfig"]
print("RESULT" + json.dumps(out))
ep.libDestroy()
"""


def test_shipped_jitter_buffer_prefetches_60_ms_and_never_discards() -> None:
    done = subprocess.run([sys.executable, "-c", _READ_BACK], cwd=REPO, capture_output=True, text=True, timeout=60)
    line = next((l for l in done.stdout.splitlines() if l.startswith("RESULT")), None)
    assert line is not None, done.stderr[-2000:]
    media = json.loads(line[len("RESULT"):])
    shipped, progressive = media["shipped"], media["progressive"]
    assert (shipped["jbInit"], shipped["jbMinPre"], shipped["jbDiscardAlgo"]) == (60, 60, 0)  # PJMEDIA_JB_DISCARD_NONE
    assert progressive["jbDiscardAlgo"] == 2  # PJMEDIA_JB_DISCARD_PROGRESSIVE, pjmedia's own default
    assert shipped["noVad"] is True and shipped["ecTailLen"] == 0 and shipped["clockRate"] == 16000
