"""Stage 5 (presentation): the chat web page. Streams the answer, then its numbered sources."""

from __future__ import annotations

from collections.abc import Iterator

from app.settings import Settings, go_offline

EXAMPLES = [
    "Can I use Llama 3.1 in a product with 900 million users?",
    "What is the difference between open-weight and open-source AI?",
    "What does the Apache 2.0 licence say about patents?",
    "What are the arguments for keeping AI models closed?",
    "Is Gemma open source?",
    "What does the OSI Open Source AI Definition require?",
]


def render_sources(answer) -> str:
    if answer.abstained:
        return ""
    lines = ["", "", "**Sources**"]
    for p in answer.cited:
        link = f" — <{p.url}>" if p.url else ""
        lines.append(f"- [{p.n}] {p.label} *({p.kind})*{link}")
    return "\n".join(lines)


def build(settings: Settings):
    go_offline()
    import gradio as gr

    from app.answer import Answer, Answerer, Token, Turn, clean_question

    answerer = Answerer(settings)

    def chat(message: str, history: list[dict]) -> Iterator[str]:
        try:
            question, notice = clean_question(message)
        except ValueError as exc:
            yield f"⚠️ {exc}"
            return
        turns = [Turn(role=m["role"], content=_text(m["content"])) for m in history
                 if m.get("role") in ("user", "assistant")]
        partial = notice + "\n\n" if notice else ""
        try:
            for event in answerer.stream(question, history=turns):
                if isinstance(event, Token):
                    partial += event.text
                    yield partial
                elif isinstance(event, Answer):
                    prefix = "ℹ️ " if event.abstained else ""
                    yield (notice + "\n\n" if notice else "") + prefix + event.text + \
                        render_sources(event)
        except Exception as exc:  # shown to the user as a banner, never a stack trace
            yield f"⚠️ {exc}"

    return gr.ChatInterface(
        chat, title="Faultline", examples=EXAMPLES, api_name="chat",
        description="Ask about open and closed AI: open weights, licences, model families, "
                    "and the arguments on each side. Answers cite the knowledge base.",
        concurrency_limit=1, analytics_enabled=False,
    )


def _text(content) -> str:
    return content if isinstance(content, str) else str(content)


def launch(settings: Settings, host: str = "127.0.0.1", port: int = 7860) -> None:
    from app.index import Index

    Index(settings).require_manifest()  # a clear error instead of a broken page
    demo = build(settings)
    demo.queue(default_concurrency_limit=1).launch(
        server_name=host, server_port=port or None, show_error=True, footer_links=[],
    )
