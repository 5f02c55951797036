"""A message's files written to disk, since a terminal can only print their names."""

from __future__ import annotations

import base64
import binascii
import re
from pathlib import Path

from bot.kernel.messages import Image, Message

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def save_files(message: Message, folder: Path) -> list[Path]:
    """Each attachment and picture under a name of its own; an earlier file is never overwritten."""
    saved: list[Path] = []
    for attachment in message.attachments:
        saved.append(_write(folder, attachment.filename, attachment.content.encode("utf-8")))
    for block in message.blocks:
        if isinstance(block, Image):
            try:
                png = base64.b64decode(block.png_base64, validate=True)
            except (binascii.Error, ValueError):
                continue
            saved.append(_write(folder, f"{block.alt[:40]}.png", png))
    return saved


def _write(folder: Path, name: str, content: bytes) -> Path:
    """Names come from messages, so they are reduced to a plain file name inside ``folder``."""
    safe = _UNSAFE.sub("-", Path(name).name).strip("-.") or "staffroom-file"
    stem, suffix = Path(safe).stem, Path(safe).suffix
    path = folder / safe
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}{suffix}"
    path.write_bytes(content)
    return path
