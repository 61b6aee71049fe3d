"""Stage 5 (presentation): the Gradio page. Chat with streamed, cited answers and source cards;
a compare tab over the openness table; a library tab with uploads into the user's index."""

from __future__ import annotations

import atexit
import contextlib
import html
import json
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from app.settings import Settings, go_offline

EXAMPLES = [
    "Can I use Llama 3.1 in a product with 900 million users?",
    "What is the difference between open-weight and open-source models?",
    "What does the Apache 2.0 licence say about patents?",
    "What are the arguments for keeping AI models closed?",
    "Is Gemma open source?",
    "What does the OSI Open Source AI Definition require?",
]
UPLOAD_TYPES = [".md", ".txt", ".pdf", ".html", ".htm"]
BADGE = {"article": "ARTICLE", "licence": "LICENCE", "model": "MODEL", "upload": "YOUR UPLOAD"}
CSS = (".abstain { border-left: 4px solid #d97706; padding-left: 8px; }\n"
       ".offscreen { position: absolute !important; left: -9999px; width: 1px; }\n")
# a click on a source card's title tells the page which card, so it can open its document
DOC_JS = """<script>
window.faultlineDocs = true;
document.addEventListener('click', (event) => {
  const title = event.target.closest('#chat .thought .title');
  const box = document.querySelector('#doc-ref textarea, #doc-ref input');
  if (!title || !box) return;
  box.value = title.innerText.trim() + '\\u0000' + Date.now();
  box.dispatchEvent(new Event('input', {bubbles: true}));
}, true);
</script>"""


def escape(text: str) -> str:
    """Show text as written: HTML becomes inert characters, Markdown still renders."""
    return html.escape(text, quote=False)


def source_card(p) -> dict:
    """A collapsible card: number, title, section, kind badge, the passage, its URL."""
    title = f"[{p.n}] {p.title}" + (f" — {p.section}" if p.section else "") + \
        f" · {BADGE.get(p.kind, p.kind)}"
    body = escape(p.body) + (f"\n\n<{p.url}>" if p.url else "")
    # the chunk id lets a click on the card open the whole document at this passage
    return {"role": "assistant", "content": body,
            "metadata": {"title": escape(title), "status": "done", "id": f"chunk:{p.id}"}}


def answer_message(answer) -> dict:
    if answer.abstained and answer.citations:  # no verdict, but the clauses to read
        return {"role": "assistant", "content": f"**No verdict.** {escape(answer.text)}"}
    if answer.abstained:
        return {"role": "assistant",
                "content": f"**Not in the knowledge base.** {escape(answer.text)}"}
    return {"role": "assistant", "content": escape(answer.text)}


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def message_text(content) -> str:
    """Gradio gives message content as a string or as a list of {"text": …} parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    return str(content)


def safe_name(name: str) -> str:
    """A file name that cannot leave the uploads folder or hide itself."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).lstrip("._") or "upload"
    return base[:100]


class App:
    """State shared by every session: settings, one retriever, one answerer per backend."""

    def __init__(self, settings: Settings):
        from app.retrieve import Retriever

        self.settings = settings
        self.retriever = Retriever(settings)
        self._answerers: dict[str, object] = {}
        self._lock = threading.Lock()
        self._stores: dict[Path, object] = {}
        self.model_lock = threading.Lock()  # one answer at a time, whoever asks (page or API)
        self.loading = True
        self.load_error = ""

    def answerer(self, backend: str):
        """The answerer of a model choice: 'auto', 'embedded', 'ollama' (the configured tag)
        or 'ollama:<tag>' (any model pulled into Ollama)."""
        from app.answer import Answerer

        with self._lock:
            if backend not in self._answerers:
                name, _, tag = backend.partition(":")
                update = {"backend": name, **({"ollama_model": tag} if tag else {})}
                settings = self.settings.model_copy(update=update)
                self._answerers[backend] = Answerer(settings, retriever=self.retriever)
            return self._answerers[backend]

    def warm_up(self) -> None:
        """Load the model in the background so the page is usable at once."""
        try:
            _ = self.answerer(self.settings.backend).backend
        except Exception as exc:  # shown in the banner
            self.load_error = str(exc)
        finally:
            self.loading = False

    def warm_up_search(self) -> None:
        """Load the embedder and the indexes, so the first question pays for neither."""
        with contextlib.suppress(Exception):  # a missing index has its own banner
            self.retriever.search("warm up")

    def backends(self) -> list[tuple[str, str]]:
        """The models the page offers, (label, choice): the bundled one, and every model
        pulled into Ollama when it is up."""
        from app.llm import BackendUnavailable, ollama_pulled

        embedded = ("embedded: " + self.settings.bundle.title, "embedded")
        try:
            pulled = ollama_pulled(self.settings, timeout=1)
        except BackendUnavailable:
            return [embedded]
        return [("auto: Ollama if it is up, else the embedded model", "auto"), embedded,
                *((f"ollama: {tag}", f"ollama:{tag}") for tag in pulled)]

    def default_choice(self, choices: list[tuple[str, str]]) -> str:
        values = [value for _, value in choices]
        wanted = self.settings.backend
        if wanted == "ollama":
            tag = self.settings.ollama_model
            wanted = next((v for v in values if v in (f"ollama:{tag}", f"ollama:{tag}:latest")),
                          wanted)
        return wanted if wanted in values else values[0]

    # ---------------------------------------------------------------- status
    def status(self) -> tuple[str, str]:
        """(status line, banner) for the top of the page."""
        from app.store import IndexError_, open_store

        banner = []
        try:
            state = open_store(self.settings).live()
        except IndexError_ as exc:
            state, banner = None, [f"⚠️ {exc}"]
        user = open_store(self.settings.user_settings()).live()
        if state is None and not banner:
            banner.append("⚠️ **No index yet.** Build it with `faultline ingest` (or `make run`),"
                          " then reload this page.")
        if self.loading:
            banner.append("⏳ The language model is still loading; your first question will "
                          "wait for it.")
        if self.load_error:
            banner.append(f"⚠️ The model could not load: {escape(self.load_error)}")
        who = "model loading…"
        current = self._answerers.get(self.settings.backend)
        if current is not None and current._backend is not None:
            b = current._backend
            who = f"{b.name}: {b.model}"
            if b.note:
                banner.append(f"ℹ️ {escape(b.note)}")
        size = "no index"
        if state:
            docs = state.sources + (user.sources if user else 0)
            chunks = state.chunks + (user.chunks if user else 0)
            size = f"{docs} documents, {chunks} chunks, last ingest {state.updated_at}"
        return f"**Answering:** {who} · **Index:** {size}", "\n\n".join(banner)

    # ---------------------------------------------------------------- chat
    def chat(self, message: str, history: list[dict], k: int, strict: bool, backend: str
             ) -> Iterator[tuple[str, list[dict]]]:
        from app.answer import Answer, QuestionRejected, Token, Turn, clean_question

        history = list(history or [])
        if not (message or "").strip() and history:
            # a stray second Ask (a double press, Enter then the button) after an answer
            # already shown: nothing to do, rather than a warning under the answer
            yield "", history
            return
        try:
            question, notice = clean_question(message or "")
        except QuestionRejected as exc:
            yield "", [*history, {"role": "assistant", "content": f"⚠️ {escape(str(exc))}"}]
            return
        turns = [Turn(role=m["role"], content=html.unescape(message_text(m["content"])))
                 for m in history
                 if m.get("role") in ("user", "assistant") and not m.get("metadata")]
        history.append({"role": "user", "content": escape(question)})
        if notice:
            history.append({"role": "assistant", "content": f"ℹ️ {notice}"})
        history.append({"role": "assistant", "content": "…"})
        yield "", history
        partial = ""
        try:
            for event in self.answer_events(question, turns, int(k), bool(strict), backend):
                if isinstance(event, Token):
                    partial += event.text
                    history[-1] = {"role": "assistant", "content": escape(partial)}
                    yield "", history
                elif isinstance(event, Answer):
                    history[-1] = answer_message(event)
                    history += [source_card(p) for p in event.cited]
                    yield "", history
        except Exception as exc:  # a clear message in the chat, never a stack trace
            history[-1] = {"role": "assistant", "content": f"⚠️ {escape(str(exc))}"}
            yield "", history

    def answer_events(self, question: str, turns: list, k: int, strict: bool, backend: str = ""
                      ) -> Iterator:
        """The answer's tokens then the Answer, while holding the model: page and API share it."""
        with self.model_lock:
            yield from self.answerer(backend or self.settings.backend).stream(
                question, history=turns, k=k, strict=strict)

    # ---------------------------------------------------------------- conversations
    def browser_secret(self) -> str:
        """The key the page's saved state is sealed with, kept in the data folder (a new one
        at each start would forget which chat each browser had open)."""
        import secrets

        path = self.settings.data_dir / "browser-state.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_hex(32))
            path.chmod(0o600)
        return path.read_text().strip()

    def conversations(self, user: str | None = None):
        """The user's saved conversations (one SQLite file each when --auth is on)."""
        from app import conversations

        path = conversations.file_for(self.settings.data_dir, user)
        with self._lock:
            if path not in self._stores:
                self._stores[path] = conversations.Store(path)
            return self._stores[path]

    def conversation_choices(self, user: str | None, search: str = "") -> list[tuple[str, str]]:
        return [(f"{c.title} · {c.updated[:10]}", c.id)
                for c in self.conversations(user).list(search)]

    def export(self, user: str | None, conversation_id: str | None, kind: str) -> Path | None:
        """The open conversation as a Markdown or JSON file; None when there is none yet."""
        from app import conversations

        if not conversation_id:
            return None
        conv = self.conversations(user).get(conversation_id)
        text = conversations.to_markdown(conv) if kind == "md" else conversations.to_json(conv)
        folder = self.settings.data_dir / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{safe_name(conv.title)[:40] or 'chat'}-{conv.id}.{kind}"
        path.write_text(text, encoding="utf-8")
        return path

    def feedback(self, history: list[dict], data) -> str:
        """Append a thumbs up/down with its question, answer and sources to feedback.jsonl."""
        index = data.index if isinstance(data.index, int) else data.index[0]
        answer = history[index]
        question = next((message_text(m["content"]) for m in reversed(history[:index])
                         if m["role"] == "user"), "")
        sources = []
        for m in history[index + 1:]:
            if not m.get("metadata"):
                break
            sources.append(m["metadata"].get("title", ""))
        record = {"time": datetime.now(UTC).isoformat(timespec="seconds"),
                  "question": html.unescape(question),
                  "answer": html.unescape(message_text(answer["content"])),
                  "sources": [html.unescape(s) for s in sources],
                  "vote": "up" if data.liked else "down"}
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        with (self.settings.data_dir / "feedback.jsonl").open("a") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "Thanks: your vote was saved."

    # ---------------------------------------------------------------- library
    def library(self) -> list[list]:
        """Every indexed document: title, kind, chunks, and the date its file last changed
        (the last ingest for texts that are not files here, such as licence texts)."""
        from app.store import open_store, source_records

        rows = []
        for settings in (self.settings, self.settings.user_settings()):
            store = open_store(settings)
            state = store.live()
            records = source_records(store.open(state.collection)) if state else {}
            for entry in records.values():
                file = settings.corpus_dir / entry.path
                when = (datetime.fromtimestamp(file.stat().st_mtime, UTC).date().isoformat()
                        if entry.path and file.is_file() else state.updated_at[:10])
                rows.append([entry.title, BADGE.get(entry.kind, entry.kind),
                             len(entry.ids), when])
        return sorted(rows, key=lambda r: (r[1], r[0]))

    def document(self, chunk_id: str) -> str:
        """The whole document a cited chunk comes from, as HTML: every section, the cited one
        anchored (#cited) and the cited passage's paragraphs marked."""
        from app.load import SourceRejected, reload_source

        found = self.retriever.chunk(chunk_id)
        if found is None:
            return "<p class='doc-missing'>That passage is no longer in the index.</p>"
        passage, meta = found
        settings = (self.settings.user_settings() if passage.kind == "upload"
                    else self.settings)
        try:
            source = reload_source(settings, str(meta.get("path", "")))
        except SourceRejected as exc:
            return f"<p class='doc-missing'>{escape(str(exc))}</p>"
        cited = squash(passage.body)
        parts = [f"<h2>{escape(source.title)}</h2>"]
        if passage.url:
            parts.append(f"<p class='doc-url'><a href='{html.escape(passage.url)}' "
                         f"target='_blank' rel='noopener'>{escape(passage.url)}</a></p>")
        for doc in source.sections:
            label = doc.metadata.get("section", "")
            here = label == passage.section
            paragraphs = []
            for para in re.split(r"\n\s*\n", doc.page_content):
                text = escape(para.strip())
                if here and para.strip() and (squash(para) in cited or cited in squash(para)
                                              or squash(para)[:120] in cited):
                    text = f"<mark>{text}</mark>"
                paragraphs.append(f"<p>{text}</p>")
            anchor = " id='cited' class='cited'" if here else ""
            parts.append(f"<section{anchor}><h3>{escape(label)}</h3>{''.join(paragraphs)}"
                         "</section>")
        return f"<article class='doc'>{''.join(parts)}</article>"

    def uploads(self) -> list[str]:
        folder = self.settings.uploads_dir
        return sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []

    def delete_upload(self, name: str | None) -> str:
        """Remove one of the user's documents and its chunks; nothing else in the index
        changes. Curated documents are not uploads and cannot be named here."""
        from app.ingest import ingest

        if not name:
            return "Pick one of your documents first."
        if name not in self.uploads():
            return f"❌ {escape(name)} is not one of your uploads; curated documents cannot be " \
                   "deleted from the page."
        (self.settings.uploads_dir / name).unlink()
        report = ingest(self.settings.user_settings(), embedder=self.retriever.embedder)
        return f"🗑️ {escape(name)} deleted, with its chunks ({report.removed} removed)."

    def upload(self, files: list[str] | None, progress=None) -> tuple[str, list[list]]:
        """Validate, store (sanitised name, data dir) and index uploads into the user index."""
        from app.ingest import ingest
        from app.load import SourceRejected, load_file

        messages = []
        limit = int(self.settings.max_upload_mb * 1e6)
        target = self.settings.uploads_dir
        target.mkdir(parents=True, exist_ok=True)
        for path in [Path(f) for f in files or []]:
            name = safe_name(path.name)
            if path.suffix.lower() not in UPLOAD_TYPES:
                messages.append(f"❌ {escape(name)}: unsupported type {escape(path.suffix)}; "
                                f"upload {', '.join(UPLOAD_TYPES)}")
                continue
            try:
                load_file(path, name, limit)
            except SourceRejected as exc:
                messages.append(f"❌ {escape(name)}: {escape(exc.reason)}" +
                                (f" ({escape(exc.fix)})" if exc.fix else ""))
                continue
            replaced = (target / name).exists()
            shutil.copyfile(path, target / name)
            messages.append(f"✅ {escape(name)} {'replaced' if replaced else 'added'}")
        if any(m.startswith("✅") for m in messages):
            report = ingest(self.settings.user_settings(), embedder=self.retriever.embedder,
                            progress=progress)
            messages.append(f"Indexed: {report.added} new chunks from your documents.")
        return "\n\n".join(messages) or "Choose a file first.", self.library()


def compare_rows(settings: Settings) -> list:
    """The compare tab's rows (app.grid), from the models table and the licence list."""
    from app import grid
    from app.load import read_licence_list, read_models

    return grid.grid_rows(read_models(settings.corpus_dir), read_licence_list(settings.corpus_dir))


def export_csv(rows: list, folder: Path) -> Path:
    """The rows shown, as a CSV file to download (a fresh name each time: tabs do not race)."""
    from app import grid

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"faultline-models-{datetime.now(UTC):%Y%m%d-%H%M%S-%f}.csv"
    path.write_text(grid.csv_text(rows), encoding="utf-8")
    return path


def use_html(settings: Settings, uses: list[str], users: float | None,
             revenue: float | None) -> str:
    """The checker as a grid: a row per model, its overall verdict, then each use's verdict
    with its clause; open a cell for what the clause says, in its own words."""
    from app import check

    labels = {label: use for use, (label, _) in check.USES.items()}
    plan = check.Plan(**{labels[u]: True for u in uses or [] if u in labels},
                      users=int(users) if users else None,
                      revenue=int(revenue) if revenue else None)
    if not plan.uses():
        return "<p class='grid-empty'>Tick what you plan, or give your monthly users or " \
               "annual revenue.</p>"
    checks = check.for_corpus(plan, [], settings.corpus_dir)
    heads = "".join(f"<th>{escape(check.USES[u][0])}</th>" for u in plan.uses())
    body = []
    for c in checks:
        cells = []
        for v in c.verdicts:
            where = f" · {escape(v.section)}" if v.section else ""
            quote = f"<q>{escape(v.quote)}</q>" if v.quote else ""
            cells.append(f"<td class='v-{v.value}' data-label='{escape(v.label)}'><details>"
                         f"<summary>{check.MARK[v.value]} {check.LABEL[v.value]}{where}"
                         f"</summary><p>{escape(v.detail)}</p>{quote}</details></td>")
        body.append(f"<tr><td class='model' data-label='Model'><b>{escape(c.row.name)}</b>"
                    f"<span class='dev'>{escape(c.licence_name)}</span></td>"
                    f"<td class='v-{c.overall}' data-label='Verdict'>"
                    f"{check.MARK[c.overall]} {check.LABEL[c.overall]}</td>{''.join(cells)}</tr>")
    return ("<div class='grid-wrap'><table class='grid uses'><thead><tr><th>Model · licence"
            f"</th><th>Verdict</th>{heads}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            "</div>")


def build(app: App):
    import gradio as gr

    from app import grid

    rows = compare_rows(app.settings)
    exports = Path(tempfile.mkdtemp(prefix="faultline-exports-"))  # the grid's CSV files
    atexit.register(shutil.rmtree, exports, ignore_errors=True)
    with gr.Blocks(title="Faultline", analytics_enabled=False) as demo:
        gr.Markdown("# Faultline\nOpen and closed AI, explained from a curated knowledge base. "
                    "Every answer cites its sources.")
        status = gr.Markdown()
        banner = gr.Markdown(elem_id="banner")
        # the open chat's id in the browser, under a key that survives a restart
        open_id = gr.BrowserState(None, storage_key="faultline-open-conversation",
                                  secret=app.browser_secret())
        with gr.Sidebar(label="Conversations", open=False, elem_id="conversations"):
            conv_new = gr.Button("New chat", elem_id="conv-new", size="sm")
            conv_search = gr.Textbox(placeholder="Search your chats", show_label=False,
                                     elem_id="conv-search", max_lines=1)
            conv_list = gr.Radio([], label="Saved chats", elem_id="conv-list")
            conv_title = gr.Textbox(label="Title", elem_id="conv-title", max_lines=1)
            with gr.Row():
                conv_rename = gr.Button("Rename", size="sm", elem_id="conv-rename")
                conv_delete = gr.Button("Delete", size="sm", variant="stop",
                                        elem_id="conv-delete")
            with gr.Row():
                conv_md = gr.DownloadButton("Markdown", size="sm", elem_id="conv-md",
                                            interactive=False)
                conv_json = gr.DownloadButton("JSON", size="sm", elem_id="conv-json",
                                              interactive=False)
            conv_note = gr.Markdown(elem_id="conv-note")
        with gr.Tab("Chat"):
            chatbot = gr.Chatbot(label="Faultline", height=520, sanitize_html=True,
                                 render_markdown=True, elem_id="chat",
                                 feedback_options=("Like", "Dislike"))
            with gr.Row():
                box = gr.Textbox(placeholder="Ask about open vs closed AI…", show_label=False,
                                 scale=8, elem_id="question", max_lines=6)
                send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                new = gr.Button("New chat", scale=1, elem_id="new-chat")
            gr.Examples(EXAMPLES, inputs=box, label="Try one", elem_id="examples")
            with gr.Group(visible=False) as doc_panel:
                doc_close = gr.Button("Close the document", size="sm", elem_id="doc-close")
                doc_view = gr.HTML(elem_id="doc-view")
            doc_ref = gr.Textbox(elem_id="doc-ref", elem_classes="offscreen", show_label=False,
                                 container=False)
            voted = gr.Markdown()
            with gr.Accordion("Settings", open=False):
                k = gr.Slider(1, 10, value=app.settings.k, step=1, label="Passages per answer")
                strict = gr.Checkbox(True, label="Strict: abstain when the answer cites nothing")
                choices = app.backends()
                backend = gr.Dropdown(choices, value=app.default_choice(choices),
                                      label="Model that writes answers", elem_id="model",
                                      info="Fact and list answers come from the tables and "
                                           "need no model.")
        with gr.Tab("Compare models"):
            offered = grid.choices(rows)
            with gr.Row():
                open_filter = gr.Dropdown(["all", *grid.OPENNESS], value="all",
                                          label="Openness", elem_id="f-open", min_width=140)
                use_filter = gr.Dropdown(["all", "yes", "restricted", "no"], value="all",
                                         label="Commercial use", elem_id="f-use", min_width=140)
                part_filter = gr.Dropdown(["any", *grid.SHORT.values()], value="any",
                                          label="Publishes openly", elem_id="f-part",
                                          min_width=140)
                dev_filter = gr.Dropdown(["all", *offered["developer"]], value="all",
                                         label="Developer", elem_id="f-dev", min_width=140)
                family_filter = gr.Dropdown(["all", *offered["family"]], value="all",
                                            label="Licence family", elem_id="f-family",
                                            min_width=140)
                since_filter = gr.Dropdown(["all", *offered["year"]], value="all",
                                           label="Released since", elem_id="f-since",
                                           min_width=120)
            gr.Markdown("Each component: ● open, ◐ partial, ○ closed, ? unknown — hover for "
                        "what it means here, click for the page that shows it.")
            with gr.Row():
                pick = gr.Dropdown([r.name for r in rows], multiselect=True, max_choices=3,
                                   label="Side by side: pick two or three models",
                                   elem_id="pick", scale=4)
                csv_file = gr.DownloadButton("Download CSV", value=export_csv(rows, exports),
                                             elem_id="csv", scale=1)
            side = gr.HTML(grid.side_by_side_html(rows, []), elem_id="side")
            table_html = gr.HTML(grid.grid_html(rows), elem_id="models")
        with gr.Tab("Can I use it?"):
            from app.check import USES

            gr.Markdown("Tick what you plan; every model's licence gives its verdict per use, "
                        "with the clause it comes from (from Faultline's checked licence facts; "
                        "no model call, not legal advice).")
            with gr.Row():
                plan_uses = gr.CheckboxGroup([label for use, (label, _) in USES.items()
                                              if use not in ("users", "revenue")],
                                             label="I plan to", elem_id="check-uses")
                plan_users = gr.Number(None, label="Monthly active users", minimum=0,
                                       precision=0, elem_id="check-users")
                plan_revenue = gr.Number(None, label="Annual revenue (US$)", minimum=0,
                                         precision=0, elem_id="check-revenue")
            verdicts = gr.HTML(use_html(app.settings, [], None, None), elem_id="check-grid")
        with gr.Tab("Library"):
            docs = gr.Dataframe(headers=["Title", "Kind", "Chunks", "Date"], interactive=False,
                                elem_id="library")
            with gr.Row():
                mine = gr.Dropdown(app.uploads(), label="Your uploads (upload a file of the "
                                   "same name to replace one)", elem_id="upload-pick", scale=4)
                forget = gr.Button("Delete", variant="stop", elem_id="upload-delete", scale=1)
            upload = gr.File(file_count="multiple", file_types=UPLOAD_TYPES,
                             label=f"Add your documents (max {app.settings.max_upload_mb:g} MB"
                                   " each)", elem_id="upload")
            upload_status = gr.Markdown(elem_id="upload-status")

        def filter_models(openness, use, part, developer, family, since):
            shown = grid.filtered(rows, developer, family, use, since, openness, part)
            return grid.grid_html(shown), export_csv(shown, exports)

        def ask(message, history, k_value, strict_value, backend_value):
            yield from app.chat(message, history, k_value, strict_value, backend_value)

        def add_files(files, progress=gr.Progress()):  # noqa: B008 (gradio injects it)
            return app.upload(files, progress=lambda done, total: progress(
                done / max(total, 1), desc="Embedding your documents"))

        def run_check(uses, users, revenue):
            return use_html(app.settings, uses, users, revenue)

        for control in (plan_uses, plan_users, plan_revenue):
            control.change(run_check, [plan_uses, plan_users, plan_revenue], verdicts,
                           api_name=False, queue=False)
        inputs = [box, chatbot, k, strict, backend]
        # Enter and the button are one event in one queue with every other use of the model:
        # a second trigger while an answer runs is ignored, other tabs wait their turn
        asked = gr.on([box.submit, send.click], ask, inputs, [box, chatbot], api_name="chat",
                      concurrency_id="model", concurrency_limit=1, trigger_mode="once")

        def user_of(request) -> str | None:
            return getattr(request, "username", None) if request is not None else None

        def shown(user, conversation_id, search=""):
            """The sidebar for an open conversation: list, title, export buttons."""
            from app.conversations import ConversationError

            store = app.conversations(user)
            title, md, js = "", None, None
            if conversation_id:
                with contextlib.suppress(ConversationError):
                    title = store.get(conversation_id).title
                    md, js = (app.export(user, conversation_id, "md"),
                              app.export(user, conversation_id, "json"))
            return (gr.update(choices=app.conversation_choices(user, search),
                              value=conversation_id if title else None),
                    gr.update(value=title),
                    gr.update(value=md, interactive=md is not None),
                    gr.update(value=js, interactive=js is not None))

        sidebar = [conv_list, conv_title, conv_md, conv_json]

        def save(history, conversation_id, search, request):
            from app.conversations import ConversationError

            user = user_of(request)
            try:
                conv = app.conversations(user).save(conversation_id, history or [])
            except ConversationError:
                return (conversation_id, *shown(user, conversation_id, search))
            return (conv.id, *shown(user, conv.id, search))

        def restore(conversation_id, request):
            from app.conversations import ConversationError

            user = user_of(request)
            store = app.conversations(user)
            messages, note = [], store.notice
            if conversation_id:
                try:
                    messages = store.get(conversation_id).messages
                except ConversationError:
                    conversation_id = None
            return (messages, conversation_id, *shown(user, conversation_id), note)

        def open_chat(conversation_id, request):
            from app.conversations import ConversationError

            if not conversation_id:
                return (gr.skip(),) * 6
            user = user_of(request)
            try:
                messages = app.conversations(user).get(conversation_id).messages
            except ConversationError as exc:
                return (*(gr.skip(),) * 5, f"⚠️ {exc}")
            _, title, md, js = shown(user, conversation_id)
            return messages, conversation_id, title, md, js, ""

        def search(query, conversation_id, request):
            return shown(user_of(request), conversation_id, query)[0]

        def rename(conversation_id, title, search, request):
            from app.conversations import ConversationError

            user = user_of(request)
            if not conversation_id:
                return (*shown(user, None, search), "⚠️ Ask something first: there is no "
                                                     "saved chat to rename.")
            try:
                app.conversations(user).rename(conversation_id, title)
            except ConversationError as exc:
                return (*shown(user, conversation_id, search), f"⚠️ {exc}")
            return (*shown(user, conversation_id, search), "Renamed.")

        def delete(conversation_id, search, request):
            user = user_of(request)
            if conversation_id:
                app.conversations(user).delete(conversation_id)
            return ([], None, *shown(user, None, search), "Deleted." if conversation_id else "")

        def new_chat(search, request):
            return ([], None, *shown(user_of(request), None, search), "")

        for handler in (save, restore, open_chat, search, rename, delete, new_chat):
            handler.__annotations__["request"] = gr.Request  # a real class: gradio injects it
        asked.then(save, [chatbot, open_id, conv_search], [open_id, *sidebar], api_name=False,
                   queue=False)
        conv_list.input(open_chat, [conv_list],
                        [chatbot, open_id, conv_title, conv_md, conv_json, conv_note],
                        api_name=False, queue=False)
        conv_search.change(search, [conv_search, open_id], conv_list, api_name=False,
                           queue=False)
        conv_rename.click(rename, [open_id, conv_title, conv_search], [*sidebar, conv_note],
                          api_name=False, queue=False)
        conv_delete.click(delete, [open_id, conv_search], [chatbot, open_id, *sidebar,
                                                           conv_note],
                          api_name=False, queue=False)
        for button in (new, conv_new):
            button.click(new_chat, [conv_search], [chatbot, open_id, *sidebar, conv_note],
                         api_name=False, queue=False).then(lambda: "", None, voted,
                                                           api_name=False, queue=False)
        demo.load(restore, [open_id], [chatbot, open_id, *sidebar, conv_note], api_name=False,
                  queue=False)
        def vote(history, data):
            return app.feedback(history, data)

        vote.__annotations__["data"] = gr.LikeData  # a real class: gradio injects the event

        chatbot.like(vote, chatbot, voted, api_name=False, queue=False)

        def open_document(ref: str, history):
            """A click on a source card's title (DOC_JS puts it in the hidden box): the whole
            document of that card's passage, at the cited section."""
            title = (ref or "").split("\x00")[0].strip()
            cards = [m for m in history or [] if (m.get("metadata") or {}).get("id")]
            match = [m for m in cards if title and (
                html.unescape(m["metadata"].get("title", "")).strip() in title
                or title in html.unescape(m["metadata"].get("title", "")))]
            ref_id = str(match[-1]["metadata"]["id"]) if match else ""
            if not ref_id.startswith("chunk:"):
                return gr.skip(), gr.skip()
            return app.document(ref_id.split(":", 1)[1]), gr.update(visible=True)

        doc_ref.change(open_document, [doc_ref, chatbot], [doc_view, doc_panel], api_name=False,
                      queue=False).then(
            None, None, None, api_name=False, queue=False,
            js="() => setTimeout(() => document.querySelector('#doc-view #cited')"
               "?.scrollIntoView({block: 'start'}), 100)")
        doc_close.click(lambda: gr.update(visible=False), None, doc_panel, api_name=False,
                        queue=False)
        filters = [open_filter, use_filter, part_filter, dev_filter, family_filter, since_filter]
        for control in filters:
            control.change(filter_models, filters, [table_html, csv_file], api_name=False,
                           queue=False)
        pick.change(lambda names: grid.side_by_side_html(rows, names or []), pick, side,
                    api_name=False, queue=False)
        upload.upload(add_files, upload, [upload_status, docs], api_name=False,
                      concurrency_id="ingest", concurrency_limit=1).then(
            lambda: gr.update(choices=app.uploads(), value=None), None, mine, api_name=False,
            queue=False)

        def delete_upload(name):
            said = app.delete_upload(name)
            return said, app.library(), gr.update(choices=app.uploads(), value=None)

        forget.click(delete_upload, mine, [upload_status, docs, mine], api_name=False,
                     concurrency_id="ingest", concurrency_limit=1)
        demo.load(app.status, None, [status, banner], api_name=False, queue=False)
        demo.load(app.library, None, docs, api_name=False, queue=False)
        demo.load(lambda current: gr.update(choices=(offered := app.backends()), value=current
                                            if current in [v for _, v in offered]
                                            else app.default_choice(offered)),
                  backend, backend, api_name=False, queue=False)  # Ollama may have started
        gr.Timer(3).tick(app.status, None, [status, banner], api_name=False, queue=False)
    return demo


def launch(settings: Settings, host: str = "127.0.0.1", port: int = 7860,
           auth: tuple[str, str] | None = None) -> None:
    """The page at /, the OpenAI-compatible API at /v1, one App (and one model) behind both."""
    go_offline()
    app = App(settings)
    # the language model and the embedder (torch) load in parallel with the page being built
    threading.Thread(target=app.warm_up, daemon=True).start()
    threading.Thread(target=app.warm_up_search, daemon=True).start()
    demo = build(app)
    import gradio as gr
    import uvicorn
    from fastapi import FastAPI

    from app import api, grid

    server = FastAPI(title="Faultline", docs_url=None, redoc_url=None, openapi_url=None)
    token = settings.api_token.get_secret_value() if settings.api_token else None
    server.include_router(api.router(app, token, require_token=not api.loopback(host)))
    # system fonts: the default theme would fetch Google Fonts, and nothing may leave the laptop
    theme = gr.themes.Default(font=["ui-sans-serif", "system-ui", "sans-serif"],
                              font_mono=["ui-monospace", "monospace"])
    demo.queue(default_concurrency_limit=1, max_size=64)
    server = gr.mount_gradio_app(server, demo, path="", auth=auth, show_error=False,
                                 css=CSS + grid.GRID_CSS, theme=theme, footer_links=[],
                                 head=DOC_JS)
    port = port or free_port(host)
    print(f"Faultline: the page at http://{host}:{port}/ and the API at "
          f"http://{host}:{port}/v1", flush=True)
    uvicorn.run(server, host=host, port=port, log_level="warning")


def free_port(host: str) -> int:
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]
