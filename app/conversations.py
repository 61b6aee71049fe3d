"""Saved conversations: one SQLite file per user under the data folder, so a chat survives a
reload and a restart and can be renamed, searched, deleted and exported (Markdown, JSON)."""

from __future__ import annotations

import contextlib
import html
import json
import re
import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel

SCHEMA = """CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL,
    messages TEXT NOT NULL)"""


class Conversation(BaseModel):
    id: str
    title: str
    created: str
    updated: str
    messages: list[dict]


class ConversationError(ValueError):
    """A conversation that cannot be used (none open, empty, not found)."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def file_for(data_dir: Path, user: str | None = None) -> Path:
    """The user's file: conversations.sqlite, or conversations-<user>.sqlite with --auth."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", user or "")[:64]
    return data_dir / (f"conversations-{safe}.sqlite" if safe else "conversations.sqlite")


class Store:
    """A user's conversations. A file SQLite cannot read is kept aside, never overwritten,
    and a new one started; `notice` says so."""

    def __init__(self, path: Path):
        self.path = path
        self.notice = ""
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._check()
        except sqlite3.DatabaseError as exc:
            kept = path.with_name(f"{path.name}.unreadable-{datetime.now(UTC):%Y%m%d%H%M%S}")
            path.rename(kept)
            self.notice = (f"Your saved conversations file could not be read ({exc}); it was "
                           f"kept as {kept.name} and a new one started.")
            self._check()

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def _check(self) -> None:
        with contextlib.closing(self._connect()) as db, db:
            db.execute(SCHEMA)
            db.execute("SELECT count(*) FROM conversations").fetchone()

    def save(self, conversation_id: str | None, messages: list[dict]) -> Conversation:
        """Create (no id) or update a conversation; its title is its first question."""
        if not any(m.get("role") == "user" for m in messages):
            raise ConversationError("nothing to save: the chat has no question yet")
        stamp = now()
        with contextlib.closing(self._connect()) as db, db:
            row = db.execute("SELECT title, created FROM conversations WHERE id = ?",
                             (conversation_id,)).fetchone() if conversation_id else None
            if row is None:
                conversation_id = conversation_id or uuid.uuid4().hex[:12]
                title, created = title_of(messages), stamp
            else:
                title, created = row
            db.execute("INSERT OR REPLACE INTO conversations VALUES (?, ?, ?, ?, ?)",
                       (conversation_id, title, created, stamp,
                        json.dumps(messages, ensure_ascii=False)))
        return Conversation(id=conversation_id, title=title, created=created, updated=stamp,
                            messages=messages)

    def get(self, conversation_id: str) -> Conversation:
        with contextlib.closing(self._connect()) as db:
            row = db.execute("SELECT id, title, created, updated, messages FROM conversations "
                             "WHERE id = ?", (conversation_id,)).fetchone()
        if row is None:
            raise ConversationError(f"no saved conversation {conversation_id!r}")
        return Conversation(id=row[0], title=row[1], created=row[2], updated=row[3],
                            messages=json.loads(row[4]))

    def list(self, search: str = "") -> list[Conversation]:
        """Newest first; a search matches titles and message text, case-insensitively."""
        like = f"%{search.strip().lower()}%"
        with contextlib.closing(self._connect()) as db:
            rows = db.execute("SELECT id, title, created, updated, messages FROM conversations "
                              "WHERE lower(title) LIKE ? OR lower(messages) LIKE ? "
                              "ORDER BY updated DESC, rowid DESC", (like, like)).fetchall()
        return [Conversation(id=r[0], title=r[1], created=r[2], updated=r[3],
                             messages=json.loads(r[4])) for r in rows]

    def rename(self, conversation_id: str, title: str) -> None:
        title = re.sub(r"\s+", " ", title).strip()[:120]
        if not title:
            raise ConversationError("a title cannot be empty: type one, then press Rename")
        with contextlib.closing(self._connect()) as db, db:
            if not db.execute("UPDATE conversations SET title = ? WHERE id = ?",
                              (title, conversation_id)).rowcount:
                raise ConversationError(f"no saved conversation {conversation_id!r}")

    def delete(self, conversation_id: str) -> None:
        with contextlib.closing(self._connect()) as db, db:
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))


def title_of(messages: list[dict]) -> str:
    first = next((text_of(m) for m in messages if m.get("role") == "user"), "New chat")
    first = html.unescape(first).strip()
    return first if len(first) <= 60 else first[:57].rstrip() + "…"


def text_of(message: dict) -> str:
    content = message.get("content")
    if isinstance(content, list):  # gradio's message format: [{"type": "text", "text": ...}]
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return str(content or "")


def turns(messages: list[dict]) -> list[dict]:
    """Questions and answers, each answer with the sources (source cards) that follow it."""
    out: list[dict] = []
    for m in messages:
        meta = m.get("metadata") or {}
        if m.get("role") == "assistant" and meta.get("title") and out:
            body = html.unescape(text_of(m))
            link = re.search(r"\s*<(https?://[^>\s]+)>\s*$", body)
            out[-1].setdefault("sources", []).append(
                {"title": html.unescape(str(meta.get("title", ""))),
                 "url": link.group(1) if link else "",
                 "passage": body[:link.start()] if link else body})
        else:
            out.append({"role": m.get("role", ""), "text": html.unescape(text_of(m))})
    return out


def to_markdown(conversation: Conversation) -> str:
    """Each question, its answer, then its sources with the passage and URL they cite."""
    if not conversation.messages:
        raise ConversationError("this chat is empty: ask something before exporting it")
    lines = [f"# {conversation.title}", "",
             f"Faultline conversation, {conversation.created} (last {conversation.updated})",
             ""]
    for turn in turns(conversation.messages):
        who = "**You:**" if turn["role"] == "user" else "**Faultline:**"
        lines += [f"{who} {turn['text']}", ""]
        if turn.get("sources"):
            lines += ["Sources:", ""]
            lines += [f"- {s['title']}" + (f" — <{s['url']}>" if s["url"] else "") +
                      "\n\n  > " + s["passage"].replace("\n", "\n  > ")
                      for s in turn["sources"]]
            lines.append("")
    return "\n".join(lines)


def to_json(conversation: Conversation) -> str:
    if not conversation.messages:
        raise ConversationError("this chat is empty: ask something before exporting it")
    data = {"id": conversation.id, "title": conversation.title,
            "created": conversation.created, "updated": conversation.updated,
            "turns": turns(conversation.messages)}
    return json.dumps(data, indent=2, ensure_ascii=False)
