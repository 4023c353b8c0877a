"""Small builders for roadmap YAML used by the roadmap tests.

Each builder returns a valid piece by default; a test overrides or deletes one field to make
exactly the problem it is about, so the expected path is easy to read off.
"""

from __future__ import annotations

from typing import Any

import yaml

DELETE = object()
"""Pass as an override value to remove that key."""


def _apply(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    for key, value in overrides.items():
        if value is DELETE:
            base.pop(key, None)
        else:
            base[key] = value
    return base


def resource(n: int = 0, **overrides: Any) -> dict[str, Any]:
    kind = "docs" if n == 0 else "article"
    base = {
        "title": f"Resource {n}",
        "url": f"https://example.com/r{n}",
        "kind": kind,
        "free": True,
    }
    return _apply(base, overrides)


def topic(topic_id: str, **overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": topic_id,
        "title": topic_id.replace("-", " ").title(),
        "summary": f"What {topic_id} is about.",
        "why": f"Why {topic_id} matters.",
        "checklist": ["Do one thing.", "Do another thing.", "Explain it to a friend."],
        "resources": [resource(0), resource(1)],
        "hours": 5,
    }
    return _apply(base, overrides)


def stage(stage_id: str, topics: list[dict[str, Any]], **overrides: Any) -> dict[str, Any]:
    base = {
        "id": stage_id,
        "title": stage_id.replace("-", " ").title(),
        "summary": f"The {stage_id} stage.",
        "topics": topics,
    }
    return _apply(base, overrides)


def phase(phase_id: str, topics: list[str], **overrides: Any) -> dict[str, Any]:
    base = {
        "id": phase_id,
        "title": phase_id.title(),
        "months": [1, 3],
        "goals": ["Reach a goal."],
        "topics": topics,
    }
    return _apply(base, overrides)


def challenge(challenge_id: str, topics: list[str], **overrides: Any) -> dict[str, Any]:
    base = {
        "id": challenge_id,
        "title": challenge_id.replace("-", " ").capitalize(),
        "brief": "Build the thing.",
        "deliverable": "A repository link.",
        "difficulty": "beginner",
        "topics": topics,
        "hours": 4,
        "hints": ["Start small."],
        "stretch": ["Add tests."],
    }
    return _apply(base, overrides)


def tip(tip_id: str, **overrides: Any) -> dict[str, Any]:
    base = {"id": tip_id, "text": f"Tip {tip_id}."}
    return _apply(base, overrides)


def roadmap(
    stages: list[dict[str, Any]] | None = None,
    *,
    path: list[dict[str, Any]] | None = None,
    challenges: list[dict[str, Any]] | None = None,
    tips: list[dict[str, Any]] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """A roadmap mapping; by default two stages, three topics, one of each other item."""
    if stages is None:
        stages = [
            stage("foundations", [topic("git-basics"), topic("http-basics")]),
            stage("databases", [topic("sql-basics", prerequisites=["http-basics"])]),
        ]
    base: dict[str, Any] = {
        "name": "Test Roadmap",
        "description": "A roadmap for tests.",
        "stages": stages,
        "path": path if path is not None else [phase("basics", ["git-basics"])],
        "challenges": (
            challenges if challenges is not None else [challenge("first", ["sql-basics"])]
        ),
        "tips": tips if tips is not None else [tip("a-tip", topic="git-basics")],
    }
    return _apply(base, overrides)


def to_yaml(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


SAMPLE_YAML = """\
name: Backend Development
description: >-
  A small roadmap written the way docs/roadmap-format.md shows.
stages:
  - id: foundations
    title: Foundations
    summary: The ground everything else stands on.
    topics:
      - id: how-the-internet-works
        title: How the Internet Works
        summary: Packets, DNS, TCP and the path a request takes.
        why: Every backend answers requests that crossed the internet.
        checklist:
          - Explain what DNS resolution does.
          - Trace a request with traceroute.
          - Describe TCP's handshake.
        resources:
          - title: MDN — How does the Internet work?
            url: https://developer.mozilla.org/en-US/docs/Learn/Common_questions/How_does_the_Internet_work
            kind: docs
            free: true
          - title: Computer Networking, a Top-Down Approach
            url: https://gaia.cs.umass.edu/kurose_ross/index.php
            kind: book
            free: false
        hours: 4
        tags: [networking, dns]
      - id: http-basics
        title: HTTP Basics
        summary: >
          Requests, responses, methods, status codes and headers.
        why: Every API you build speaks HTTP.
        checklist:
          - Read a raw HTTP request and name each part.
          - Choose the right status code.
          - Use curl to send a POST with a JSON body.
        resources:
          - title: MDN — An overview of HTTP
            url: https://developer.mozilla.org/en-US/docs/Web/HTTP/Overview
            kind: docs
            free: true
          - title: HTTP crash course
            url: https://example.com/http-video
            kind: video
            free: true
        prerequisites: [how-the-internet-works]
        hours: 6
        tags: [http, web]
  - id: languages
    title: Languages
    summary: Pick one language and learn it well.
    topics:
      - id: python-basics
        title: Python Basics
        summary: Syntax, data structures, modules and virtual environments.
        why: Python is a friendly first backend language.
        checklist:
          - Write a script that reads a file.
          - Create a virtual environment.
          - Write a function with type hints.
        resources:
          - {title: The Python Tutorial, url: "https://docs.python.org/3/tutorial/",
             kind: docs, free: true}
          - {title: Automate the Boring Stuff, url: "https://automatetheboringstuff.com/",
             kind: book, free: true}
        prerequisites: [http-basics]
        tracks: [python]
        hours: 20
      - id: node-basics
        title: Node.js Basics
        summary: The event loop, npm and modules.
        why: JavaScript on the server.
        checklist:
          - Explain the event loop.
          - Publish a package to a local registry.
          - Read a file asynchronously.
        resources:
          - {title: Node.js docs, url: "https://nodejs.org/en/learn", kind: docs, free: true}
          - {title: Node course, url: "https://example.com/node", kind: course, free: false}
        prerequisites: [http-basics]
        tracks: [javascript]
        hours: 20
path:
  - id: basics
    title: Basics
    months: [1, 3]
    goals:
      - Learn one programming language well enough to build a CLI tool.
    topics: [how-the-internet-works, python-basics]
challenges:
  - id: url-shortener
    title: Build a URL shortener
    brief: A tiny service that shortens URLs.
    deliverable: A public repository with a README.
    difficulty: beginner
    topics: [http-basics, python-basics]
    hours: 6
    hints: [Store the mapping in a dictionary first.]
    stretch: [Count clicks.]
  - id: http-client
    title: Write an HTTP client
    brief: Speak HTTP over a raw socket.
    deliverable: A script and a write-up.
    difficulty: intermediate
    topics: [http-basics]
    hours: 8
tips:
  - id: curl-verbose
    text: Add -v to curl to see the request and response headers.
    topic: http-basics
    url: https://curl.se/docs/manpage.html
  - id: read-the-docs
    text: Official documentation first.
"""
