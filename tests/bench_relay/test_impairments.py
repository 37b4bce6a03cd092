"""The benchmark relay's network models do what the benchmark tables say they do (bench/udp_relay.py)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from bench.udp_relay import Condition, DelaySpikes, GilbertElliott, Jitter, Network, RandomLoss

PACKETS = 100_000
PTIME_S = 0.020


def sent_times(count: int = PACKETS) -> np.ndarray:
    return np.arange(count) * PTIME_S


def lost_mask(model: RandomLoss | GilbertElliott, count: int = PACKETS) -> np.ndarray:
    return np.array([model.depart_s(t, t) is None for t in sent_times(count)])


def burst_lengths(lost: np.ndarray) -> np.ndarray:
    edges = np.diff(np.concatenate(([0], lost.astype(np.int8), [0])))
    return np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)


@pytest.mark.parametrize("loss", [0.01, 0.03, 0.10])
def test_random_loss_rate_matches_and_losses_are_independent(loss: float) -> None:
    lost = lost_mask(RandomLoss(loss, random.Random(7)))
    assert lost.mean() == pytest.approx(loss, rel=0.1)
    # Independent loss: a loss is followed by another about as often as the loss rate itself.
    assert lost[1:][lost[:-1]].mean() == pytest.approx(loss, abs=0.02)


def test_gilbert_elliott_has_the_asked_rate_and_bursts_of_three_on_average() -> None:
    lost = lost_mask(GilbertElliott(0.03, 3.0, random.Random(7)), 300_000)
    assert lost.mean() == pytest.approx(0.03, rel=0.1)
    assert burst_lengths(lost).mean() == pytest.approx(3.0, rel=0.1)
    assert burst_lengths(lost_mask(RandomLoss(0.03, random.Random(7)), 300_000)).mean() < 1.1


def test_in_order_jitter_never_reorders_yet_delays_within_the_bound() -> None:
    jitter = Jitter(30, random.Random(3), keep_order=True)
    times = sent_times(20_000)
    departures = np.array([jitter.depart_s(t, t) for t in times])
    assert np.all(np.diff(departures) >= 0)
    delays_ms = 1000 * (departures - times)
    assert delays_ms.min() >= 0 and delays_ms.max() <= 30 + 1e-6
    assert delays_ms.std() > 5  # it does jitter


def test_reordering_jitter_swaps_packets() -> None:
    jitter = Jitter(30, random.Random(3), keep_order=False)
    times = sent_times(20_000)
    departures = np.array([jitter.depart_s(t, t) for t in times])
    swapped = np.mean(np.diff(departures) < 0)
    # Two uniform 0-30 ms delays 20 ms apart swap when the difference exceeds 20 ms: (10/30)^2 / 2 = 5.6 %.
    assert swapped == pytest.approx(1 / 18, rel=0.15)
    assert 1000 * (departures - times).max() <= 30 + 1e-6


def test_delay_spike_holds_what_arrives_in_the_stall_and_releases_it_in_order() -> None:
    spikes = DelaySpikes(200, 10.0, first_s=5.0)
    times = sent_times(1500)  # 30 s
    departures = np.array([spikes.depart_s(t, t) for t in times])
    delays_ms = 1000 * (departures - times)
    held = delays_ms > 1e-6
    starts = times[np.flatnonzero(np.diff(np.concatenate(([0], held.astype(np.int8)))) == 1)]
    assert starts.tolist() == pytest.approx([5.0, 15.0, 25.0])
    assert delays_ms.max() == pytest.approx(200, abs=1e-6)
    assert held.sum() == 3 * 10  # 200 ms of 20 ms packets at each of three stalls
    assert np.all(np.diff(departures) >= 0)


def test_a_network_applies_loss_then_jitter_and_is_reproducible_by_seed() -> None:
    condition = Condition("both", loss=0.03, jitter_ms=30, keep_order=True)

    def departures(seed: int) -> list[float | None]:
        network = Network(condition, seed)
        return [network.depart_s(t) for t in sent_times(5000)]

    runs = [departures(seed) for seed in (1, 1, 2)]
    assert runs[0] == runs[1] and runs[0] != runs[2]
    kept = [d for d in runs[0] if d is not None]
    assert len(kept) / 5000 == pytest.approx(0.97, abs=0.01)
    assert kept == sorted(kept)
    assert min(d - t for d, t in zip(runs[0], sent_times(5000)) if d is not None) >= 0.005 - 1e-9
