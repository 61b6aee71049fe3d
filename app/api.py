"""An OpenAI-compatible API beside the page: `POST /v1/chat/completions` (streamed or not) and
`GET /v1/models`, so Open WebUI, the `openai` client or curl can use Faultline as a model. The
answer text keeps its [n] markers; its sources are in the extra `sources` field."""

import json
import secrets
import time
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import Request  # the API module loads only when `faultline serve` runs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

MODEL_ID = "faultline"
MAX_QUESTION = 2000  # characters: the page trims longer ones, the API refuses them
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class Part(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str = "text"
    text: str = ""


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")  # name, tool_calls… are accepted and ignored
    role: Literal["system", "user", "assistant", "developer", "tool"]
    content: str | list[Part] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return " ".join(p.text for p in self.content if p.type == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    """The fields OpenAI's chat completions take; sampling ones are accepted and ignored (the
    answer engine sets its own). Any other field is refused, by name."""

    model_config = ConfigDict(extra="forbid")
    model: str = MODEL_ID
    messages: list[Message] = Field(min_length=1)
    stream: bool = False
    stream_options: dict[str, Any] | None = None
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    max_completion_tokens: int | None = None
    n: Literal[1] = 1
    stop: str | list[str] | None = None
    seed: int | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    logit_bias: dict[str, float] | None = None
    user: str | None = None
    metadata: dict[str, Any] | None = None


def error(status: int, message: str, kind: str = "invalid_request_error"):
    from fastapi.responses import JSONResponse

    return JSONResponse({"error": {"message": message, "type": kind}}, status_code=status)


def sources_of(answer) -> list[dict]:
    return [{"n": p.n, "title": p.title, "section": p.section, "url": p.url,
             "source_id": p.source_id, "kind": p.kind} for p in answer.cited]


def completion(answer, text: str, created: int, cid: str) -> dict:
    return {"id": cid, "object": "chat.completion", "created": created, "model": MODEL_ID,
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": text}}],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            "sources": sources_of(answer), "abstained": answer.abstained}


def chunk(cid: str, created: int, delta: dict, finish: str | None = None, **extra) -> str:
    body = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": MODEL_ID,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"


def parse(body: bytes) -> tuple[ChatRequest | None, str]:
    """The request, or a message that names what is wrong with it and how to fix it."""
    try:
        data = json.loads(body or b"null")
    except ValueError:
        return None, "the body is not JSON: send a chat completions request as JSON"
    if not isinstance(data, dict):
        return None, "the body must be a JSON object with 'messages'"
    try:
        return ChatRequest.model_validate(data), ""
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        if err["type"] == "extra_forbidden":
            return None, f"unknown field {where!r}: Faultline takes the OpenAI chat " \
                         "completions fields (model, messages, stream, …)"
        return None, f"{where or 'body'}: {err['msg']}"


def turns_of(request: ChatRequest) -> tuple[str, list]:
    """The question (the last user message) and the conversation before it."""
    from app.answer import Turn

    users = [i for i, m in enumerate(request.messages) if m.role == "user"]
    if not users:
        raise ValueError("no user message: the last message with role 'user' is the question")
    last = users[-1]
    history = [Turn(role=m.role, content=m.text()[:4000]) for m in request.messages[:last]
               if m.role in ("user", "assistant") and m.text()]
    return request.messages[last].text(), history


def router(app, token: str | None, require_token: bool):
    """The /v1 routes over the page's App (same model lock, same answerer)."""
    from fastapi import APIRouter
    from fastapi.responses import JSONResponse, StreamingResponse

    api = APIRouter(prefix="/v1")

    def refused(request: Request):
        if token is None and not require_token:
            return None
        given = request.headers.get("authorization", "")
        if token is None:
            return error(401, "the API is off: serving off loopback, it needs a token; start "
                              "the server with FAULTLINE_API_TOKEN set", "authentication_error")
        if not secrets.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return error(401, "missing or wrong token: send 'Authorization: Bearer <token>' "
                              "with the server's FAULTLINE_API_TOKEN", "authentication_error")
        return None

    @api.get("/models")
    def models(request: Request):
        if (denied := refused(request)) is not None:
            return denied
        return {"object": "list", "data": [{"id": MODEL_ID, "object": "model",
                                            "created": 0, "owned_by": "faultline"}]}

    @api.post("/chat/completions")
    async def chat(request: Request):
        from app.answer import Answer, QuestionRejected, Token, clean_question

        if (denied := refused(request)) is not None:
            return denied
        parsed, problem = parse(await request.body())
        if parsed is None:
            return error(400, problem)
        try:
            question, history = turns_of(parsed)
            if len(question) > MAX_QUESTION:
                raise ValueError(f"the question is {len(question):,} characters; Faultline "
                                 f"answers questions of at most {MAX_QUESTION:,}: ask a "
                                 "shorter one")
            question, _ = clean_question(question, MAX_QUESTION)
        except (ValueError, QuestionRejected) as exc:
            return error(400, str(exc))
        created, cid = int(time.time()), f"chatcmpl-{uuid.uuid4().hex[:24]}"
        settings = app.settings
        events = app.answer_events(question, history, settings.k, True)
        if not parsed.stream:
            from starlette.concurrency import run_in_threadpool

            def finish() -> Answer:
                return [e for e in events if isinstance(e, Answer)][-1]

            try:
                answer = await run_in_threadpool(finish)
            except Exception as exc:  # a clear message, never a stack trace
                return error(503, str(exc), "server_error")
            return JSONResponse(completion(answer, answer.text, created, cid))

        def stream() -> Iterator[str]:
            yield chunk(cid, created, {"role": "assistant", "content": ""})
            shown = ""
            try:
                for event in events:
                    if isinstance(event, Token):
                        shown += event.text
                        yield chunk(cid, created, {"content": event.text})
                    elif isinstance(event, Answer):
                        rest = (event.text[len(shown):] if event.text.startswith(shown)
                                else "\n\n" + event.text)
                        if rest:
                            yield chunk(cid, created, {"content": rest})
                        yield chunk(cid, created, {}, "stop", sources=sources_of(event),
                                    abstained=event.abstained)
            except Exception as exc:
                yield chunk(cid, created, {"content": f"\n\n⚠️ {exc}"}, "stop")
            yield "data: [DONE]\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream")

    return api


def loopback(host: str) -> bool:
    return host in LOOPBACK
