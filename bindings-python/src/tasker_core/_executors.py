"""Where handlers run: a fixed set of daemon threads for plain handlers, one asyncio loop thread
for ``async def`` handlers."""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable


class HandlerThreads:
    """A fixed set of daemon threads: a handler that never returns cannot keep the process
    alive at exit (``ThreadPoolExecutor`` joins its threads at interpreter shutdown)."""

    def __init__(self, size: int) -> None:
        self._jobs: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._threads = [
            threading.Thread(target=self._run, name=f"tasker-handler-{i}", daemon=True)
            for i in range(size)
        ]
        for t in self._threads:
            t.start()

    def submit(self, job: Callable[[], None]) -> None:
        self._jobs.put(job)

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            job()

    def close(self) -> None:
        for _ in self._threads:
            self._jobs.put(None)


class AsyncLoop:
    """One asyncio event loop on a daemon thread for ``async def`` handlers."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="tasker-asyncio", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
