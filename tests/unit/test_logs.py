from __future__ import annotations

import io
import logging

from bot.logs import RedactSecrets, setup_logging


def test_secrets_are_redacted_from_messages_arguments_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets(["tok.en.secret"]))
    logger = logging.getLogger("test.redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("token is tok.en.secret")
        logger.warning("args %s", "Bot tok.en.secret")
        try:
            raise RuntimeError("failed with tok.en.secret")
        except RuntimeError:
            logger.exception("boom")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert "tok.en.secret" not in output
    assert output.count("[redacted]") >= 3


def test_setup_logging_quietens_discord_http() -> None:
    handler = setup_logging("DEBUG", secrets=["x"])
    try:
        assert logging.getLogger().level == logging.DEBUG
        assert logging.getLogger("discord.http").level == logging.WARNING
    finally:
        logging.getLogger().removeHandler(handler)
