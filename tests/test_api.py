"""The OpenAI-compatible API of `faultline serve`, used with the real `openai` client against a
real server (small index, embedded model); and its request parsing on its own."""

from __future__ import annotations

import json

import pytest

from app import api
from tests.conftest import serve


# ---------------------------------------------------------------- parsing, no server
@pytest.mark.parametrize(("body", "says"), [
    (b"not json", "the body is not JSON"),
    (b"[1, 2]", "must be a JSON object"),
    (json.dumps({"messages": [{"role": "user", "content": "hi"}], "colour": "red"}).encode(),
     "unknown field 'colour'"),
    (json.dumps({"messages": []}).encode(), "messages"),
    (json.dumps({"messages": [{"role": "user", "content": "hi"}], "n": 2}).encode(), "n"),
    (json.dumps({"messages": [{"role": "wizard", "content": "hi"}]}).encode(), "role"),
])
def test_bad_requests_are_named(body, says):
    request, problem = api.parse(body)
    assert request is None and says in problem


def test_the_last_user_message_is_the_question_and_the_rest_history():
    request, _ = api.parse(json.dumps({"messages": [
        {"role": "system", "content": "be nice"},
        {"role": "user", "content": "Is Llama 3.1 open source?"},
        {"role": "assistant", "content": "No."},
        {"role": "user", "content": [{"type": "text", "text": "Why not?"}]}],
        "temperature": 0.2, "stream_options": {"include_usage": True}}).encode())
    question, history = api.turns_of(request)
    assert question == "Why not?"
    assert [(t.role, t.content) for t in history] == [("user", "Is Llama 3.1 open source?"),
                                                      ("assistant", "No.")]
    with pytest.raises(ValueError, match="no user message"):
        api.turns_of(api.parse(b'{"messages": [{"role": "system", "content": "x"}]}')[0])


# ---------------------------------------------------------------- a real server
@pytest.fixture(scope="module")
def served(built, tmp_path_factory):
    with serve(built[0], tmp_path_factory.mktemp("api-data"), FAULTLINE_MAX_TOKENS="120") as proc:
        yield proc.url


@pytest.fixture(scope="module")
def client(served):
    from openai import OpenAI

    return OpenAI(base_url=served + "v1", api_key="unused on loopback", max_retries=0,
                  timeout=300)


def test_models_lists_faultline(client):
    assert [m.id for m in client.models.list()] == ["faultline"]


def test_answer_with_sources(client):
    reply = client.chat.completions.create(model="faultline", messages=[
        {"role": "user", "content": "What is an open-weight model?"}])
    text = reply.choices[0].message.content
    sources = reply.model_extra["sources"]
    assert "[1]" in text and sources, text
    assert {"n", "title", "url", "section", "source_id"} <= set(sources[0])
    assert reply.model_extra["abstained"] is False


def test_streamed_answer_with_sources(client):
    stream = client.chat.completions.create(model="faultline", stream=True, messages=[
        {"role": "user", "content": "Why do some developers keep their models closed?"}])
    parts = list(stream)
    assert parts[0].choices[0].delta.role == "assistant"  # event-stream chunks, role first
    text = "".join(p.choices[0].delta.content or "" for p in parts)
    last = parts[-1]
    assert last.choices[0].finish_reason == "stop"
    sources = last.model_extra["sources"]
    assert sources and all(f"[{s['n']}]" in text for s in sources), text


def test_off_topic_is_declined(client):
    reply = client.chat.completions.create(model="faultline", messages=[
        {"role": "user", "content": "Who won the 2022 FIFA World Cup?"}])
    assert reply.model_extra["abstained"] is True and reply.model_extra["sources"] == []


def test_bad_input_is_a_clear_error(client):
    import openai

    with pytest.raises(openai.BadRequestError, match="at most 2,000"):
        client.chat.completions.create(model="faultline", messages=[
            {"role": "user", "content": "x" * 1_000_000}])
    with pytest.raises(openai.BadRequestError, match="unknown field 'colour'"):
        client.chat.completions.create(model="faultline", extra_body={"colour": "red"},
                                       messages=[{"role": "user", "content": "hi"}])
    # and the server still answers
    assert [m.id for m in client.models.list()] == ["faultline"]


@pytest.mark.slow
def test_off_loopback_needs_the_token(built, tmp_path_factory):
    import openai
    from openai import OpenAI

    data = tmp_path_factory.mktemp("api-token")
    with serve(built[0], data, ("--host", "0.0.0.0", "--auth", "u:p"),
               FAULTLINE_API_TOKEN="s3cret") as proc:
        for key in ("wrong", "none"):
            with pytest.raises(openai.AuthenticationError, match="token"):
                OpenAI(base_url=proc.url + "v1", api_key=key, max_retries=0).models.list()
        good = OpenAI(base_url=proc.url + "v1", api_key="s3cret", max_retries=0)
        assert [m.id for m in good.models.list()] == ["faultline"]
