"""Saved conversations: the SQLite store, its exports, and what bad files and empty chats do."""

from __future__ import annotations

import json

import pytest

from app import conversations as conv

CHAT = [{"role": "user", "content": "Is Llama 3.1 open source?"},
        {"role": "assistant", "content": "No: its licence is not OSI-approved [1]."},
        {"role": "assistant", "content": "Section 2 text &amp; more\n\n<https://example.org/l>",
         "metadata": {"title": "[1] Llama 3.1 licence — Section 2 · LICENCE", "status": "done"}},
        {"role": "user", "content": [{"type": "text", "text": "Why not?"}]},
        {"role": "assistant", "content": "It limits use [1]."}]


@pytest.fixture
def store(tmp_path):
    return conv.Store(conv.file_for(tmp_path, None))


def test_save_then_get_list_rename_delete(store):
    saved = store.save(None, CHAT)
    assert saved.title == "Is Llama 3.1 open source?"
    assert store.get(saved.id).messages == CHAT
    again = store.save(saved.id, [*CHAT, {"role": "user", "content": "And Gemma?"}])
    assert again.id == saved.id and again.created == saved.created
    other = store.save(None, [{"role": "user", "content": "What is MOF?"}])
    assert [c.id for c in store.list()][0] in (other.id, saved.id)
    assert [c.id for c in store.list("gemma")] == [saved.id]  # message text is searched
    store.rename(saved.id, "  Llama   licence ")
    assert store.get(saved.id).title == "Llama licence"
    assert [c.id for c in store.list("LLAMA LIC")] == [saved.id]
    store.delete(saved.id)
    assert [c.id for c in store.list()] == [other.id]
    with pytest.raises(conv.ConversationError, match="no saved conversation"):
        store.get(saved.id)


def test_bad_titles_and_empty_chats_are_refused(store):
    saved = store.save(None, CHAT)
    with pytest.raises(conv.ConversationError, match="cannot be empty"):
        store.rename(saved.id, "   ")
    with pytest.raises(conv.ConversationError, match="nothing to save"):
        store.save(None, [])
    with pytest.raises(conv.ConversationError, match="chat is empty"):
        conv.to_markdown(conv.Conversation(id="x", title="t", created="", updated="",
                                           messages=[]))


def test_markdown_export_has_answers_sources_and_urls(store):
    text = conv.to_markdown(store.save(None, CHAT))
    assert text.startswith("# Is Llama 3.1 open source?")
    assert "**You:** Is Llama 3.1 open source?" in text and "**You:** Why not?" in text
    assert "**Faultline:** No: its licence is not OSI-approved [1]." in text
    assert "- [1] Llama 3.1 licence — Section 2 · LICENCE — <https://example.org/l>" in text
    assert "> Section 2 text & more" in text  # the passage, unescaped


def test_json_export_keeps_turns_and_sources(store):
    data = json.loads(conv.to_json(store.save(None, CHAT)))
    assert [t["role"] for t in data["turns"]] == ["user", "assistant", "user", "assistant"]
    assert data["turns"][1]["sources"][0]["url"] == "https://example.org/l"


def test_a_corrupt_file_is_kept_aside_and_a_new_one_started(tmp_path):
    path = conv.file_for(tmp_path, None)
    path.write_bytes(b"this is not a database" * 100)
    store = conv.Store(path)
    assert "could not be read" in store.notice and ".unreadable-" in store.notice
    kept = [p for p in tmp_path.iterdir() if ".unreadable-" in p.name]
    assert kept and kept[0].read_bytes().startswith(b"this is not a database")  # not lost
    assert store.list() == [] and store.save(None, CHAT).title


def test_each_user_has_their_own_file(tmp_path):
    assert conv.file_for(tmp_path, "ann").name == "conversations-ann.sqlite"
    assert conv.file_for(tmp_path, "../../etc").name == "conversations-_etc.sqlite"
    ann, bob = conv.Store(conv.file_for(tmp_path, "ann")), conv.Store(
        conv.file_for(tmp_path, "bob"))
    ann.save(None, CHAT)
    assert bob.list() == []
