"""Optional validation of request bodies against Discord's published OpenAPI description.

Enabled when ``DISCORD_OPENAPI_SPEC`` names the spec file.  The 1.2 MB file is parsed once per
process and each operation's validator is built once.  Discord's spec types snowflakes as strings
while discord.py sends some as integers (attachment ids, role ids in allowed mentions), so every
``format: snowflake`` schema is widened to also accept non-negative integers; otherwise a correct
discord.py request would look wrong.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

ENV_VAR = "DISCORD_OPENAPI_SPEC"
_PARAM_RE = re.compile(r"\{[^}]*\}")


def normalize_template(template: str) -> str:
    """``/channels/{channel_id}/messages`` -> ``/channels/{}/messages`` (names don't matter)."""
    return _PARAM_RE.sub("{}", template)


class OpenAPISpec:
    """Operations of the spec by (METHOD, normalized path), with cached validators."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self._components = {"components": _widen_snowflakes(spec.get("components", {}))}
        self._operations: dict[tuple[str, str], dict[str, Any]] = {}
        for path, item in spec.get("paths", {}).items():
            for method, op in item.items():
                if method in {"get", "put", "post", "patch", "delete"}:
                    self._operations[(method.upper(), normalize_template(path))] = op
        self._validators: dict[tuple[str, str], tuple[str, Draft202012Validator] | None] = {}

    def validator(self, method: str, template: str) -> tuple[str, Draft202012Validator] | None:
        key = (method.upper(), normalize_template(template))
        if key not in self._validators:
            self._validators[key] = self._build(key)
        return self._validators[key]

    def _build(self, key: tuple[str, str]) -> tuple[str, Draft202012Validator] | None:
        op = self._operations.get(key)
        if op is None:
            return None
        content = op.get("requestBody", {}).get("content", {})
        schema = (content.get("application/json") or {}).get("schema")
        if schema is None:
            return None
        # Refs like "#/components/schemas/X" resolve against this root document.
        root = {**self._components, **_widen_snowflakes(schema)}
        return str(op.get("operationId", f"{key[0]} {key[1]}")), Draft202012Validator(root)

    def validate(self, method: str, template: str, body: Any) -> list[str]:
        """Violations for one JSON body (empty when fine or when the route is not in the spec)."""
        found = self.validator(method, template)
        if found is None:
            return []
        operation_id, validator = found
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        return [f"{operation_id}: {_describe(e)}" for e in errors[:10]]


def _describe(error: ValidationError) -> str:
    best = _innermost(error)
    path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in best.absolute_path)
    value = repr(best.instance)
    if len(value) > 60:
        value = value[:57] + "..."
    if best.validator in ("anyOf", "oneOf"):
        variants = len(best.validator_value)
        return f"{path}: matches none of the {variants} {best.validator} variants (value {value})"
    return f"{path}: fails {best.validator}={best.validator_value!r} (value {value})"


def _innermost(error: ValidationError) -> ValidationError:
    """For anyOf/oneOf failures, follow the branch the body meant (its discriminator matched).

    Discord's unions (callback types, component types) are told apart by a ``type`` const/enum;
    a branch whose errors include a failed discriminator is not the one the sender meant.
    """
    if not error.context:
        return error
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.schema_path[0] if sub.schema_path else None, []).append(sub)
    meant = [
        errs
        for errs in branches.values()
        if not any(
            e.validator in ("enum", "const") and list(e.relative_path) == ["type"] for e in errs
        )
    ]
    if not meant:
        return error  # no variant has this discriminator
    candidates = meant[0] if len(meant) == 1 else list(error.context)
    deepest = max(candidates, key=lambda e: len(list(e.absolute_path)))
    return _innermost(deepest)


def _widen_snowflakes(schema: Any) -> Any:
    """Deep copy where snowflake-typed strings also accept integers (discord.py sends both)."""

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: walk(v) for k, v in node.items()}
            if out.get("format") == "snowflake" and out.get("type") == "string":
                out["type"] = ["string", "integer"]
                out["minimum"] = 0
            return out
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


@cache
def _load(path: str) -> OpenAPISpec:
    with open(path, encoding="utf-8") as fh:
        return OpenAPISpec(json.load(fh))


def spec_from_env() -> OpenAPISpec | None:
    """The spec named by ``DISCORD_OPENAPI_SPEC`` (loaded once per process), or None."""
    path = os.environ.get(ENV_VAR)
    if not path:
        return None
    return _load(os.path.abspath(path))
