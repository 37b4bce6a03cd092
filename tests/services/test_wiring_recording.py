"""Recording through the recording service (what the call view's record button calls) writes ciphertext
only, reads back in the app, and sign-out takes it away. Before the wiring the service wrote a plaintext
WAV ("RIFF....WAVE") into the data folder."""

from __future__ import annotations

import io
import wave

from callclient.services.types import AccountSettings
from tests.conftest import SIP_USERS
from tests.fixtures.kamailio import Kamailio
from tests.fixtures.net import wait_until
from tests.fixtures.pulse import PulseServer
from tests.services.conftest import CoreHome

HEADER_BYTES = 19  # storage/recordings.py: magic, version, rate, channels, width, nonce prefix


def test_a_recording_made_through_the_service_is_ciphertext_on_disk_reads_back_and_goes_at_sign_out(
        sound: PulseServer, core_home: CoreHome, kamailio: Kamailio) -> None:
    # `sound` first: fixtures are torn down in reverse, so the Core (and its streams) stops before PortAudio is
    # re-initialised under it (Pa_Terminate with a PulseAudio stream open hangs).
    core_home.config_file.write_text("[policy]\nrecording_allowed = true\n")
    core = core_home.start(use_sound_devices=True)
    # an account the user set up (sign-out removes the user's own accounts and their data)
    core.services.accounts.add_sip_account(AccountSettings(
        account_id="erin", user="erin", domain=kamailio.domain, password=SIP_USERS["erin"],
        registrar=kamailio.address("udp"), outbound_proxy=kamailio.address("udp")))
    recording = core.services.recording

    path = recording.start()
    assert path.parent == core.paths.recordings_dir
    # the bridge clock feeds the recorder every 20 ms; a sealed half-second chunk follows the header
    wait_until(lambda: path.exists() and path.stat().st_size > HEADER_BYTES + 1000, 10, "a sealed chunk on disk")
    recording.stop()

    on_disk = path.read_bytes()
    assert not on_disk.startswith(b"RIFF") and b"WAVE" not in on_disk[:64]
    assert on_disk.startswith(b"CCRC")
    assert [r.path for r in recording.list()] == [path]
    with wave.open(io.BytesIO(recording.read_wav(path))) as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (2, 2)
        assert wav.getnframes() >= wav.getframerate() // 2, "at least the half second sealed while recording"

    core.services.accounts.sign_out()
    assert not path.exists(), "sign-out erases the recordings folder it was given"
