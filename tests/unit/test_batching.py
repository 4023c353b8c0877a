"""gather_bounded and GroupCommit: the two helpers the scheduler's bulk passes rely on."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.batching import GroupCommit, gather_bounded


async def test_gather_bounded_keeps_order_and_the_limit() -> None:
    running = peak = 0

    async def work(n: int) -> int:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.001 * (n % 3))
        running -= 1
        return n * n

    assert await gather_bounded((work(n) for n in range(20)), 4) == [n * n for n in range(20)]
    assert peak == 4


async def test_gather_bounded_raises_the_first_failure_and_cancels_the_rest() -> None:
    finished: list[int] = []

    async def work(n: int) -> int:
        if n == 1:
            raise ValueError("boom")
        await asyncio.sleep(0.05)
        finished.append(n)
        return n

    with pytest.raises(ValueError, match="boom"):
        await gather_bounded((work(n) for n in range(6)), 3)
    assert finished == []


async def test_group_commit_writes_what_arrived_meanwhile_together() -> None:
    batches: list[list[int]] = []

    async def write(items: list[int]) -> None:
        batches.append(items)
        await asyncio.sleep(0.01)

    commit: GroupCommit[int] = GroupCommit(write)
    await asyncio.gather(*(commit.submit(n) for n in range(10)))
    assert batches == [list(range(10))]  # all arrived before the first write began
    first = asyncio.ensure_future(commit.submit(10))
    await asyncio.sleep(0.001)  # the write of [10] is under way: the next ones wait together
    await asyncio.gather(first, *(commit.submit(n) for n in range(11, 15)))
    assert batches[1:] == [[10], [11, 12, 13, 14]]


async def test_group_commit_fails_only_the_batch_that_failed() -> None:
    async def write(items: list[int]) -> None:
        await asyncio.sleep(0)
        if 0 in items:
            raise RuntimeError("disk full")

    commit: GroupCommit[int] = GroupCommit(write)
    first = asyncio.ensure_future(commit.submit(0))
    await asyncio.sleep(0)
    later = asyncio.ensure_future(commit.submit(1))
    with pytest.raises(RuntimeError, match="disk full"):
        await first
    await later  # written by the next batch
