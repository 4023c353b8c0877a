"""One place that turns any error raised while handling an interaction into a reply.

Commands (through `StudyTree.on_error`), buttons and modals (through `StudyView`/`StudyModal`) all
end here, so a member always gets the same kind of answer: the domain's own sentence for a
`UserError`, a friendly line for a failed check, and for anything unexpected a short apology with
an error id that is also in the log beside the traceback.
"""

from __future__ import annotations

import logging
import secrets

import discord
from discord import app_commands

from bot.core.errors import UserError

log = logging.getLogger(__name__)


def error_id() -> str:
    return secrets.token_hex(4)


def describe(error: BaseException) -> str | None:
    """The member-facing sentence for an expected error, or None for a bug."""
    if isinstance(error, app_commands.CommandInvokeError):
        return describe(error.original)
    if isinstance(error, app_commands.TransformerError):
        if isinstance(error.__cause__, UserError):
            return error.__cause__.message
        return "One of the options you gave isn't valid; pick it from the list or check its format."
    if isinstance(error, UserError):
        return error.message
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} seconds."
    if isinstance(error, app_commands.MissingPermissions):
        return f"You need the {_names(error.missing_permissions)} permission to do that."
    if isinstance(error, app_commands.BotMissingPermissions):
        return f"I need the {_names(error.missing_permissions)} permission here to do that."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works in a server."
    if isinstance(error, app_commands.MissingRole | app_commands.MissingAnyRole):
        return "You don't have the role this command needs."
    if isinstance(error, app_commands.CheckFailure):
        return str(error) or "You can't use this command here."
    if isinstance(error, app_commands.CommandNotFound):
        return "I don't know that command any more; it may have been renamed. Try `/help`."
    return None


def _names(permissions: list[str]) -> str:
    return ", ".join(f"**{name.replace('_', ' ').title()}**" for name in permissions)


async def report(interaction: discord.Interaction, error: BaseException) -> None:
    """Answer `interaction` with the right message for `error`, whether or not it was answered."""
    message = describe(error)
    if message is None:
        ident = error_id()
        original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        log.error(
            "error %s in interaction %s (%s)",
            ident,
            _interaction_name(interaction),
            type(original).__name__,
            exc_info=original,
        )
        message = (
            "Sorry, something went wrong on my side and nothing was changed. "
            f"If it keeps happening, tell a moderator the error id `{ident}`."
        )
    await send_ephemeral(interaction, message)


async def send_ephemeral(interaction: discord.Interaction, message: str) -> None:
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True)
        else:
            await interaction.response.send_message(message, ephemeral=True)
    except discord.HTTPException:
        # The interaction token may have expired (15 minutes) or Discord is failing; the log has it.
        log.warning("could not deliver an error reply for %s", _interaction_name(interaction))


def _interaction_name(interaction: discord.Interaction) -> str:
    if interaction.command is not None:
        return f"/{interaction.command.qualified_name}"
    data: dict[str, object] = dict(interaction.data or {})
    custom_id = data.get("custom_id")
    return f"component {custom_id}" if custom_id else f"interaction {interaction.id}"
