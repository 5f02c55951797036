"""An asyncio loop in a thread, serving aiohttp apps on loopback ports.

Shared by the tests' fake Bot Connector and fake Slack and by the benchmarks: the real SDK code under
test talks HTTP to these servers exactly as it would to the platform.
"""

from __future__ import annotations

import asyncio
import threading

from aiohttp import web


class Loop:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.runners: list[web.AppRunner] = []

    def serve(self, app: web.Application) -> int:
        """Start ``app`` on a free loopback port; returns the port."""

        async def start() -> int:
            runner = web.AppRunner(app, access_log=None)  # a log line a request costs a benchmark
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            self.runners.append(runner)
            return int(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]

        return asyncio.run_coroutine_threadsafe(start(), self.loop).result(10)

    def close(self) -> None:
        async def stop() -> None:
            for runner in self.runners:
                await runner.cleanup()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()
