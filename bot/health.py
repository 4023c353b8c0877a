"""The optional HTTP endpoint: /healthz for orchestrators, /metrics for Prometheus."""

from __future__ import annotations

import json
import logging
import math
from typing import TYPE_CHECKING

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text

if TYPE_CHECKING:
    from bot.app import StudyBot

log = logging.getLogger(__name__)


class HealthServer:
    def __init__(self, bot: StudyBot, *, host: str, port: int) -> None:
        self.bot = bot
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        log.info("health and metrics on http://%s:%d", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def healthz(self, request: web.Request) -> web.Response:
        gateway = (
            self.bot.is_ready() and not self.bot.is_closed() and math.isfinite(self.bot.latency)
        )
        try:
            async with self.bot.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            database = True
        except Exception:
            log.warning("health check: database unreachable", exc_info=True)
            database = False
        body = {
            "gateway": "connected" if gateway else "disconnected",
            "database": "reachable" if database else "unreachable",
            "scheduler": self.bot.scheduler.leadership.role,
            "shards": sorted(self.bot.shards),
        }
        status = 200 if gateway and database else 503
        return web.Response(status=status, text=json.dumps(body), content_type="application/json")

    async def metrics(self, request: web.Request) -> web.Response:
        return web.Response(
            body=self.bot.metrics.render(), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )
