"""Roadmap Study Bot: a Discord bot that turns a learning roadmap into a study community."""

__version__ = "0.1.0"
