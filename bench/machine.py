"""What the figures were measured on: the machine, Python, SQLite, PostgreSQL and the library
versions."""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
from importlib import metadata
from pathlib import Path

LIBRARIES = (
    "discord.py",
    "SQLAlchemy",
    "aiosqlite",
    "asyncpg",
    "APScheduler",
    "aiohttp",
    "pydantic",
)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gb() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    return "unknown"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe(postgres: str | None = None) -> list[tuple[str, str]]:
    """The machine's rows; `postgres`: the version of the PostgreSQL server measured, if any."""
    return [
        ("CPUs", f"{os.cpu_count()} × {_cpu_model()}"),
        ("Memory", _memory_gb()),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python", sys.version.split()[0]),
        ("SQLite", sqlite3.sqlite_version),
        *([("PostgreSQL server", postgres)] if postgres else []),
        *((name, _version(name)) for name in LIBRARIES),
    ]
