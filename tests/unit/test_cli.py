"""The CLI as a user runs it: a subprocess with its own environment."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str, env: dict[str, str], cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("STUDYBOT_")}
    clean.pop("DISCORD_TOKEN", None)
    clean["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_run_without_a_token_exits_2_quickly_with_guidance(tmp_path: Path) -> None:
    started = time.monotonic()
    result = run_cli("run", env={}, cwd=tmp_path)
    elapsed = time.monotonic() - started
    assert result.returncode == 2
    assert "DISCORD_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr
    assert elapsed < 10  # generous: the 2 s is for the bot, this includes interpreter start


def test_bad_settings_exit_2_with_one_message(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[community]\ndefault_timezone = "Mars/Base"\n')
    result = run_cli("check", env={}, cwd=tmp_path)
    assert result.returncode == 2
    assert "config.toml: community.default_timezone" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_passes_with_the_example_settings(tmp_path: Path) -> None:
    env = {"STUDYBOT_DATABASE__URL": f"sqlite+aiosqlite:///{tmp_path}/bot.db"}
    result = run_cli("--config", "config.example.toml", "check", env=env)
    assert result.returncode == 0, result.stderr
    assert "roadmap: ok" in result.stdout
    assert "topics" in result.stdout and "challenges" in result.stdout


def test_migrate_then_check_then_backup(tmp_path: Path) -> None:
    env = {"STUDYBOT_DATABASE__URL": f"sqlite+aiosqlite:///{tmp_path}/bot.db"}
    migrated = run_cli("migrate", env=env)
    assert migrated.returncode == 0, migrated.stderr
    checked = run_cli("check", env=env)
    assert checked.returncode == 0, checked.stderr
    assert "schema at the latest revision" in checked.stdout
    backup = run_cli("backup", str(tmp_path / "copy.db"), env=env)
    assert backup.returncode == 0, backup.stderr
    assert (tmp_path / "copy.db").stat().st_size > 0


def test_a_broken_roadmap_stops_check_with_its_paths(tmp_path: Path) -> None:
    roadmap = tmp_path / "roadmap.yaml"
    roadmap.write_text("name: X\ndescription: Y\nstages: []\n")
    env = {
        "STUDYBOT_DATABASE__URL": f"sqlite+aiosqlite:///{tmp_path}/bot.db",
        "STUDYBOT_ROADMAP__PATH": str(roadmap),
    }
    result = run_cli("check", env=env)
    assert result.returncode == 1
    assert "stages" in result.stderr
    assert "Traceback" not in result.stderr
