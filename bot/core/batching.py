"""Doing many awaited things at once without flooding the database: a bounded gather, and a
group commit that folds the writes arriving while one is in progress into the next."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T")


async def gather_bounded(calls: Iterable[Awaitable[T]], limit: int) -> list[T]:
    """Await every call with at most `limit` in flight; results in the calls' order.

    The first exception propagates (as with `asyncio.gather`) once the others are cancelled.
    """
    semaphore = asyncio.Semaphore(limit)

    async def one(call: Awaitable[T]) -> T:
        try:
            async with semaphore:
                return await call
        except asyncio.CancelledError:
            if asyncio.iscoroutine(call):
                call.close()  # cancelled before it started: not "never awaited"
            raise

    tasks = [asyncio.ensure_future(one(call)) for call in calls]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


class GroupCommit(Generic[T]):
    """`await submit(item)` returns once `item` is written; items submitted while a write is
    running are written together by the next one, so N concurrent writers cost a few
    transactions instead of N (each is several thread hops, one at a time, with SQLite)."""

    def __init__(self, write: Callable[[list[T]], Awaitable[None]]) -> None:
        self._write = write
        self._queue: list[tuple[T, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def submit(self, item: T) -> None:
        done = asyncio.get_running_loop().create_future()
        self._queue.append((item, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain())
        await done

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue, []
            try:
                await self._write([item for item, _ in batch])
            except BaseException as exc:
                # A failed (or cancelled) write fails its own batch; later items get their turn.
                failure = exc if isinstance(exc, Exception) else RuntimeError("write cancelled")
                for _, done in batch:
                    if not done.done():
                        done.set_exception(failure)
                if not isinstance(exc, Exception):
                    for _, done in self._queue:
                        done.cancel()
                    raise
            else:
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)
