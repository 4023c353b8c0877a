"""Errors whose message is written for the member who ran the command.

The command tree turns any `UserError` into an ephemeral reply carrying its message, so the domain
can refuse bad input with a clear sentence without knowing anything about Discord.
"""

from __future__ import annotations


class UserError(Exception):
    """A refusal meant for the member: bad input, a rule forbidding the action, a missing thing."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(UserError):
    """The thing the member named does not exist (an unknown topic, group, challenge...)."""


class InvalidInput(UserError):
    """An option's value is out of range or malformed."""


class NotAllowed(UserError):
    """The member may not do this (not a moderator, not the group's owner...)."""


class Conflict(UserError):
    """The action clashes with the current state (already a member, name taken...)."""
