"""Creating and editing stored messages from request bodies (shared by channel and webhook routes).

Files arrive as multipart parts ``files[n]`` next to ``payload_json``; the body's ``attachments``
list names them.  Discord answers with attachment objects (``id``, ``filename``, ``url``...), and
the fake also keeps the raw bytes so tests can read ``message.files["chart.png"]``.
"""

from __future__ import annotations

from typing import Any

from .models import FakeMessage, SnowflakeFactory, iso_now
from .responses import UploadedFiles


def new_message(
    *,
    ids: SnowflakeFactory,
    channel_id: int,
    guild_id: int | None,
    author: dict[str, Any],
    body: dict[str, Any],
    uploads: UploadedFiles,
    base_url: str,
) -> FakeMessage:
    message = FakeMessage(id=ids(), channel_id=channel_id, guild_id=guild_id, author=author)
    message.nonce = body.get("nonce")
    message.flags = int(body.get("flags") or 0)
    apply_body(message, body, uploads, ids=ids, base_url=base_url, editing=False)
    return message


def apply_body(
    message: FakeMessage,
    body: dict[str, Any],
    uploads: UploadedFiles,
    *,
    ids: SnowflakeFactory,
    base_url: str,
    editing: bool,
) -> None:
    """Set the fields present in ``body`` (an edit leaves absent fields as they were)."""
    if "content" in body:
        message.content = body["content"] or ""
    if "embeds" in body:
        message.embeds = list(body["embeds"] or [])
    if "components" in body:
        message.components = list(body["components"] or [])
    if "allowed_mentions" in body:
        message.allowed_mentions = body["allowed_mentions"]
    if editing and "flags" in body and body["flags"] is not None:
        # Only a few flags may change on edit; keep the ephemeral/loading bits Discord owns.
        message.flags = (message.flags & (64 | 128)) | int(body["flags"])
    if "attachments" in body or uploads:
        _apply_attachments(message, body.get("attachments"), uploads, ids=ids, base_url=base_url)
    if editing:
        message.edited_timestamp = iso_now()


def _apply_attachments(
    message: FakeMessage,
    declared: list[dict[str, Any]] | None,
    uploads: UploadedFiles,
    *,
    ids: SnowflakeFactory,
    base_url: str,
) -> None:
    kept_ids = {str(a.get("id")) for a in declared or []}
    kept = (
        [a for a in message.attachments if str(a["id"]) in kept_ids]
        if declared is not None
        else list(message.attachments)
    )
    files = {
        a["filename"]: message.files[a["filename"]] for a in kept if a["filename"] in message.files
    }
    by_index = {str(a.get("id")): a for a in declared or []}
    for field_name, (filename, data) in uploads.items():
        index = field_name.removeprefix("files[").removesuffix("]")
        meta = by_index.get(index, {})
        name = str(meta.get("filename") or filename)
        attachment_id = ids()
        kept.append(
            {
                "id": str(attachment_id),
                "filename": name,
                "size": len(data),
                "url": f"{base_url}/attachments/{message.channel_id}/{attachment_id}/{name}",
                "proxy_url": f"{base_url}/attachments/{message.channel_id}/{attachment_id}/{name}",
                "content_type": _content_type(name),
                **({"description": meta["description"]} if meta.get("description") else {}),
            }
        )
        files[name] = data
    message.attachments = kept
    message.files = files


def _content_type(name: str) -> str:
    lowered = name.lower()
    for suffix, kind in ((".png", "image/png"), (".jpg", "image/jpeg"), (".txt", "text/plain")):
        if lowered.endswith(suffix):
            return kind
    return "application/octet-stream"
