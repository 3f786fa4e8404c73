"""The queue mechanics against queueing theory (docking with analytic results)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.queueing import Batch, DelayLines, InService, Pending, Played, Queue, Station, StationBank, Waiting

DAYS = 7.0


def feed(station: Station, rng: np.random.Generator, rate: float, horizon: float, priority_share: float = 0.0):
    """Poisson arrivals at ``rate`` per day up to ``horizon``; returns arrival times and classes."""
    times = np.cumsum(rng.exponential(1 / rate, size=int(rate * horizon * 1.2)))
    times = times[times < horizon]
    classes = rng.random(len(times)) < priority_share
    station.arrive(np.arange(len(times)), times, np.ones(len(times)), classes)
    return times, classes


def play(station: Station, horizon: float) -> dict[int, float]:
    """Advance step by step to beyond the horizon; return each item's start time."""
    starts: dict[int, float] = {}
    t = 0.0
    while t < horizon * 1.5:
        t += DAYS
        started = station.play(t).started
        starts.update(zip(started.items.tolist(), started.times.tolist(), strict=True))
    return starts


def pairs(batch: Batch) -> list[tuple[int, float]]:
    """A batch as ``(item, time)`` pairs."""
    return list(zip(batch.items.tolist(), batch.times.tolist(), strict=True))


def one(station: Station, item: int, time: float, work: float, priority: bool = False) -> None:
    """Announce one arrival."""
    station.arrive(np.array([item]), np.array([time]), np.array([work]), np.array([priority]))


def same(a: Played, b: Played) -> bool:
    """Whether two plays report the same events at the same times, the same waits and busy time (bit for bit)."""
    return (
        all(
            np.array_equal(x.items, y.items) and np.array_equal(x.times, y.times)
            for x, y in zip(a[:3], b[:3], strict=True)
        )
        and np.array_equal(a.waits, b.waits)
        and a.busy == b.busy
    )


def waits(times: np.ndarray, starts: dict[int, float], warmup: float) -> np.ndarray:
    return np.array([starts[i] - t for i, t in enumerate(times) if t > warmup and i in starts])


@pytest.mark.parametrize(("lam", "mu"), [(0.5, 1.0), (0.7, 1.0), (0.8, 1.0)])
def test_mm1_mean_wait_matches_theory(lam, mu):
    """M/M/1: Wq = lambda / (mu (mu - lambda)), within 7 % over about 100,000 customers."""
    rng = np.random.default_rng(11)
    station = Station(1, mu, service="exponential", rng=np.random.default_rng(12))
    horizon = 120_000 / lam
    times, _ = feed(station, rng, lam, horizon)
    measured = waits(times, play(station, horizon), warmup=1000).mean()
    expected = lam / (mu * (mu - lam))
    assert measured == pytest.approx(expected, rel=0.07)


def test_md1_mean_wait_matches_pollaczek_khinchine():
    """M/D/1: Wq = rho / (2 mu (1 - rho)) for deterministic service."""
    lam, mu = 0.75, 1.0
    rng = np.random.default_rng(21)
    station = Station(1, mu, service="deterministic")
    horizon = 300_000 / lam
    times, _ = feed(station, rng, lam, horizon)
    measured = waits(times, play(station, horizon), warmup=1000).mean()
    rho = lam / mu
    assert measured == pytest.approx(rho / (2 * mu * (1 - rho)), rel=0.05)


def test_mmc_mean_wait_matches_erlang_c():
    """M/M/c with c = 3: Wq = C(c, a) / (c mu - lambda)."""
    lam, mu, c = 2.4, 1.0, 3
    a = lam / mu
    rho = a / c
    terms = sum(a**k / np.prod(range(1, k + 1)) for k in range(c))
    top = a**c / np.prod(range(1, c + 1)) / (1 - rho)
    erlang_c = top / (terms + top)
    rng = np.random.default_rng(31)
    station = Station(c, mu, service="exponential", rng=np.random.default_rng(32))
    horizon = 150_000 / lam
    times, _ = feed(station, rng, lam, horizon)
    measured = waits(times, play(station, horizon), warmup=1000).mean()
    assert measured == pytest.approx(erlang_c / (c * mu - lam), rel=0.08)


def test_priority_discipline_matches_cobham():
    """Non-pre-emptive priority M/M/1 (Cobham): Wq1 = W0/(1-rho1), Wq2 = W0/((1-rho1)(1-rho))."""
    lam, mu, share = 0.8, 1.0, 0.3
    rng = np.random.default_rng(41)
    station = Station(1, mu, discipline="priority", service="exponential", rng=np.random.default_rng(42))
    horizon = 150_000 / lam
    times, classes = feed(station, rng, lam, horizon, priority_share=share)
    starts = play(station, horizon)
    w = np.array([starts[i] - t for i, t in enumerate(times)])
    keep = times > 1000
    rho, rho1 = lam / mu, share * lam / mu
    w0 = rho / mu
    assert w[keep & classes].mean() == pytest.approx(w0 / (1 - rho1), rel=0.08)
    assert w[keep & ~classes].mean() == pytest.approx(w0 / ((1 - rho1) * (1 - rho)), rel=0.08)


def test_fifo_serves_in_arrival_order_and_counts_busy_time():
    station = Station(1, 1.0)
    station.arrive(np.arange(3), np.array([0.5, 0.6, 0.7]), np.full(3, 2.0), np.zeros(3, dtype=bool))
    arrived, started, finished, waited, busy = station.play(10.0)
    assert arrived.items.tolist() == [0, 1, 2]
    assert pairs(started) == [(0, 0.5), (1, 2.5), (2, 4.5)]
    assert pairs(finished) == [(0, 2.5), (1, 4.5), (2, 6.5)]
    assert waited.tolist() == pytest.approx([0.0, 1.9, 3.8])
    assert busy == station.busy_time == 6.0


def test_busy_time_is_the_exact_overlap_with_each_interval():
    """``busy`` counts the services in progress at the start and those started, cut at the interval's ends."""
    station = Station(2, 1.0)
    station.arrive(np.arange(3), np.array([1.0, 2.0, 6.0]), np.array([10.0, 3.0, 0.1]), np.zeros(3, dtype=bool))
    first = math.fsum([6.0, 3.0, (6.0 + 0.1) - 6.0])  # [1, 7), [2, 5), [6, 6.1)
    assert station.play(7.0).busy == first
    assert station.play(14.0).busy == 4.0  # [7, 11)
    assert station.play(21.0).busy == 0.0
    assert station.busy_time == first + 4.0
    bank = StationBank(2)
    bank.configure([1.0, 0.5], "fifo")
    bank.arrive(
        np.arange(3),
        np.array([1.0, 2.0, 3.0]),
        np.array([10.0, 1.0, 1.0]),
        np.zeros(3, dtype=bool),
        np.array([0, 1, 1]),
    )
    assert bank.play(7.0).busy == 6.0 + 2.0 + 2.0  # station 0: [1, 7); station 1: [2, 4), [4, 6)
    assert bank.play(14.0).busy == 4.0  # station 0: [7, 11)
    assert bank.play(21.0).busy == 0.0
    assert station.queue_length == 0 and station.in_service == 0


def test_events_after_step_end_wait_for_a_later_step():
    station = Station(1, 1.0)
    one(station, 0, 6.5, 1.0)
    played = station.play(7.0)
    assert (pairs(played.arrived), pairs(played.started), pairs(played.finished)) == ([(0, 6.5)], [(0, 6.5)], [])
    assert station.in_service == 1
    assert pairs(station.play(14.0).finished) == [(0, 7.5)]


def test_zero_rate_holds_work_until_capacity_returns():
    station = Station(1, 0.0)
    one(station, 0, 1.0, 1.0)
    station.play(7.0)
    assert station.queue_length == 1 and station.queue_lengths() == [1]
    station.configure(1, 1.0, "fifo")
    one(station, 1, 8.0, 1.0)
    assert pairs(station.play(14.0).started)[0] == (0, 8.0)


def test_delay_lines_release_line_by_line_in_due_order():
    lines = DelayLines(2)
    items = np.array([1, 2, 3, 4, 5, 6])
    lines.push(items, np.array([5.0, 3.0, 9.0, 3.0, 1.0, 3.0]), np.array([1, 1, 1, 1, 0, 0]))
    released = lines.release(6.0)
    assert released.items.tolist() == [5, 6, 2, 4, 1]  # line 0, then line 1; ties first in, first out
    assert released.times.tolist() == [1.0, 3.0, 3.0, 3.0, 5.0]
    assert len(lines) == 1 and lines.next_time == 9.0
    assert len(lines.release(9.0)) == 0 and len(lines.release(9.5)) == 1


@pytest.mark.parametrize("discipline", ["fifo", "priority"])
def test_station_bank_plays_the_same_events_as_one_station_each(discipline):
    """A bank of one-server stations against one :class:`Station` per station, step by step.

    Arrivals are announced in random order and at random times, some on the same
    instant as each other, as a step's end or as a service's end; some need no
    work. Capacity changes on the way (a stop and a restart, different rates per
    station) and so does the discipline. Every station must report the same
    arrivals, starts and finishes at the same times, and hold the same queue.
    """
    rng = np.random.default_rng(7)
    n = 5
    bank, reference = StationBank(n), StationBank(n, reference=True)
    stations = [Station(1, 0.9, discipline=discipline) for _ in range(n)]
    bank.configure([0.9] * n, discipline)
    reference.configure([0.9] * n, discipline)
    times = np.round(rng.uniform(0, 400, 1500), 0)  # whole days: ties with each other and with step ends
    work = rng.choice([1.0, 2.0, 0.5, 0.0], size=len(times))
    where = rng.integers(0, n, len(times))
    priority = rng.random(len(times)) < 0.3
    announced_in = np.maximum(0, times // DAYS - rng.integers(0, 4, len(times)))  # up to 3 steps ahead
    other = "priority" if discipline == "fifo" else "fifo"
    changes = {10: ([1.0, 0.5, 2.0, 0.9, 0.9], discipline), 20: ([0.0] * n, discipline), 24: ([1.4] * n, other)}
    changes |= {35: ([0.7, 0.0, 1.1, 0.6, 0.8], discipline), 50: ([1.2] * n, discipline)}
    for step in range(80):
        t_end = DAYS * (step + 1)
        if step in changes:
            rates, rule = changes[step]
            bank.configure(rates, rule)
            reference.configure(rates, rule)
            for station, rate in zip(stations, rates, strict=True):
                station.configure(1, rate, rule)
        new = rng.permutation(np.flatnonzero(announced_in == step))
        for s, station in enumerate(stations):
            mine = new[where[new] == s]
            station.arrive(mine, times[mine], work[mine], priority[mine])
        for queue in (bank, reference):
            queue.arrive(new, times[new], work[new], priority[new], where[new])
        played = bank.play(t_end)
        assert same(played, reference.play(t_end)), f"step {step}"
        expected: list[list] = [[], [], [], []]
        busy = []
        for station in stations:
            one_station = station.play(t_end)
            for events, batch in zip(expected[:3], one_station[:3], strict=True):
                events += pairs(batch)
            expected[3] += one_station.waits.tolist()
            busy.append(one_station.busy)
        for batch, events in zip(played[:3], expected[:3], strict=True):
            assert pairs(batch) == events, f"step {step}"
        assert played.waits.tolist() == expected[3], f"step {step}"
        assert played.busy == pytest.approx(math.fsum(busy), rel=1e-12, abs=1e-12), f"step {step}"
        assert bank.queue_lengths() == [station.queue_length for station in stations], f"step {step}"
        assert bank.in_service() == [station.in_service for station in stations], f"step {step}"
    assert sum(bank.queue_lengths()) + sum(bank.in_service()) == 0


@pytest.mark.parametrize("service", ["deterministic", "exponential"])
@pytest.mark.parametrize("servers", [1, 3])
def test_first_come_loop_plays_the_same_events_as_the_event_loop(service, servers):
    """First come, first served has its own loop; a priority station with no priority items uses the event loop.

    So does a first-come station with ``reference=True``.

    Arrivals are announced in random order and at random times, some on the same
    instant as each other, as a step's end or as a service's end; capacity changes
    on the way (fewer servers with all busy, more servers with items waiting, a
    stop and a restart). The two stations must report the same events at the
    same times, step by step.
    """
    rng = np.random.default_rng(7)
    fast = Station(servers, 0.9, discipline="fifo", service=service, rng=np.random.default_rng(1))
    general = Station(servers, 0.9, discipline="priority", service=service, rng=np.random.default_rng(1))
    reference = Station(servers, 0.9, service=service, rng=np.random.default_rng(1), reference=True)
    times = np.round(rng.uniform(0, 400, 600), 0)  # whole days: ties with each other and with step ends
    work = rng.choice([1.0, 2.0, 0.5, 0.0], size=len(times))
    announced_in = np.maximum(0, times // DAYS - rng.integers(0, 4, len(times)))  # up to 3 steps ahead
    changes = {10: (1, 1.0), 20: (servers + 1, 0.9), 30: (1, 0.5), 40: (1, 0.0), 45: (servers, 1.4)}
    for step in range(80):
        t_end = DAYS * (step + 1)
        if step in changes:
            for station in (fast, general, reference):
                station.configure(*changes[step], station.discipline, service)
        new = rng.permutation(np.flatnonzero(announced_in == step))
        for station in (fast, general, reference):
            station.arrive(new, times[new], work[new], np.zeros(len(new), dtype=bool))
        played = fast.play(t_end)
        assert same(played, general.play(t_end)) and same(played, reference.play(t_end)), f"step {step}"
        assert (fast.queue_length, fast.in_service, fast.next_time) == (
            general.queue_length,
            general.in_service,
            general.next_time,
        )
        assert fast.busy_time == general.busy_time == reference.busy_time
    assert fast.queue_length + fast.in_service == 0


def test_station_and_bank_satisfy_the_queue_contract():
    """Both queues are :class:`Queue` objects; the heap layouts are declared with names."""
    station, bank = Station(2, 1.0), StationBank(3)
    for queue in (station, bank):
        assert isinstance(queue, Queue)
        assert isinstance(queue.play(7.0), Played)
        assert queue.next_time == float("inf")
    assert not isinstance(DelayLines(2), Queue)
    assert Pending._fields == ("time", "seq", "item", "work", "priority")
    assert Waiting._fields == ("rank", "arrival", "seq", "item", "work")
    assert InService._fields == ("end", "seq", "item")


def typed(queue: Queue) -> Queue:
    """A typed use of the contract (for a type checker): feed one item, play a step."""
    queue.arrive(np.array([4]), np.array([1.0]), np.array([2.0]), np.array([False]), np.array([0]))
    queue.play(7.0)
    return queue


@pytest.mark.parametrize("make", [lambda: Station(1, 1.0), lambda: StationBank(1)])
def test_one_contract_plays_the_same_for_a_station_and_a_bank(make):
    queue = typed(make())
    assert queue.queue_lengths() == [0] and queue.next_time == float("inf")
    played = queue.play(14.0)
    assert len(played.arrived) == len(played.started) == len(played.finished) == len(played.waits) == 0
