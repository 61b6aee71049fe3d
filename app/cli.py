"""The `faultline` command. Heavy libraries load inside commands, so `--help` stays instant."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

app = typer.Typer(
    help="Faultline: an offline assistant that explains open vs closed AI, citing its sources.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)

Opt = typer.Option


class Failure(Exception):
    """A problem the user can fix; printed as one clear line, exit code 2."""


def settings_from(ctx: typer.Context, **more: Any):
    from pydantic import ValidationError

    from app.settings import load_settings

    overrides = {**ctx.obj, **{k: v for k, v in more.items() if v is not None}}
    try:
        return load_settings(**overrides), overrides
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise Failure(f"invalid setting {field}: {err['msg']} (check FAULTLINE_"
                      f"{field.upper()} or the flag)") from exc


@app.callback()
def main_options(
    ctx: typer.Context,
    corpus_dir: Annotated[Path | None, Opt(help="Knowledge-base folder.")] = None,
    extra_dir: Annotated[list[Path] | None, Opt(help="Another folder to index (repeatable).")
                         ] = None,
    index_dir: Annotated[Path | None, Opt(help="Where the index lives.")] = None,
    data_dir: Annotated[Path | None, Opt(help="User data: models, uploads, feedback.")] = None,
    backend: Annotated[str | None, Opt(help="auto | ollama | embedded")] = None,
    ollama_model: Annotated[str | None, Opt(help="Ollama model tag.")] = None,
    embedded_model: Annotated[str | None, Opt(help="Bundled GGUF model key.")] = None,
    k: Annotated[int | None, Opt(help="Passages per answer.")] = None,
) -> None:
    ctx.obj = {"corpus_dir": corpus_dir, "extra_dirs": extra_dir or None, "index_dir": index_dir,
               "data_dir": data_dir, "backend": backend, "ollama_model": ollama_model,
               "embedded_model": embedded_model, "k": k}
    ctx.obj = {key: value for key, value in ctx.obj.items() if value is not None}


@app.command()
def ingest(
    ctx: typer.Context,
    rebuild: Annotated[bool, Opt(help="Start from an empty index.")] = False,
    if_missing: Annotated[bool, Opt(help="Only build when there is no index yet.")] = False,
) -> None:
    """Index the corpus, the licence texts and the model table (incremental)."""
    from rich.console import Console

    from app.ingest import ingest as run_ingest
    from app.store import open_store

    settings, _ = settings_from(ctx)
    settings = settings.model_copy(update={"embed_threads": settings.ingest_threads or
                                           os.cpu_count() or 1})
    console = Console(stderr=True)
    store = open_store(settings)
    if if_missing and store.live() is not None:
        console.print(f"Index present at {store.location}; nothing to do.")
        return
    check_writable(settings.index_dir)  # the ingest lock lives there, also in server mode
    with progress(console, "Embedding chunks") as step:
        report = run_ingest(settings, rebuild=rebuild, progress=step, waiting=console.print)
    for error in report.errors:
        console.print(f"[yellow]skipped[/] {error}")
    console.print(report.summary())


@contextlib.contextmanager
def progress(console, label: str, every: int = 1) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on a terminal; in logs and pipes, a line every `every` steps."""
    if console.is_terminal:
        from rich.progress import Progress

        with Progress(console=console, transient=True) as bar:
            task = bar.add_task(label, total=None)
            yield lambda done, total: bar.update(task, completed=done, total=total)
        return

    def line(done: int, total: int) -> None:
        if done % every == 0 or done == total:
            console.print(f"{label}: {done}/{total}")

    yield line


def check_writable(folder: Path) -> None:
    """Fail early, before any work, when the index folder cannot be written."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise Failure(f"the index folder {folder} is not writable ({exc.strerror}); choose "
                      "another with --index-dir or FAULTLINE_INDEX_DIR") from exc


@app.command()
def ask(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="Your question, in quotes.")],
    as_json: Annotated[bool, Opt("--json", help="Print everything as JSON.")] = False,
    kind: Annotated[str | None, Opt(help="Only search article | licence | model.")] = None,
    strict: Annotated[bool, Opt(help="Abstain when the answer cites nothing.")] = True,
) -> None:
    """Answer a question from the knowledge base, with numbered citations."""
    from app.answer import Answerer, clean_question

    if kind not in (None, "article", "licence", "model"):
        raise Failure(f"unknown kind {kind!r}: use article, licence or model")
    settings, _ = settings_from(ctx)
    question, notice = clean_question(question)
    if notice and not as_json:
        typer.echo(notice, err=True)
    answer = Answerer(settings).ask(question, kind=kind, strict=strict)
    if as_json:
        data = answer.model_dump(mode="json")
        data["cited"] = [p.model_dump(mode="json") for p in answer.cited]
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    typer.echo(answer.text)
    if answer.cited:
        typer.echo("\nSources:")
        for p in answer.cited:
            typer.echo(f"  [{p.n}] {p.label}" + (f" — {p.url}" if p.url else ""))
    who = f"{answer.backend}: {answer.model}" if answer.backend else "no model needed"
    t = answer.timings
    first = f"first token {t.first_token_ms / 1000:.1f} s, " if t.first_token_ms else ""
    typer.echo(f"\n({who}; {first}total {t.total_ms / 1000:.1f} s)", err=True)
    if answer.note:
        typer.echo(f"Note: {answer.note}", err=True)


@app.command("check")
def check_uses(
    ctx: typer.Context,
    models: Annotated[list[str] | None, typer.Argument(
        help="Models or families (row ids such as llama-3.1-8b, or names); all when none.")
                      ] = None,
    commercial: Annotated[bool, Opt(help="In a commercial product.")] = False,
    users: Annotated[int | None, Opt(help="Monthly active users of your product.")] = None,
    revenue: Annotated[int | None, Opt(help="Your annual revenue, US dollars.")] = None,
    fine_tune: Annotated[bool, Opt(help="Fine-tune or otherwise modify it.")] = False,
    redistribute: Annotated[bool, Opt(help="Redistribute the weights.")] = False,
    train_on_outputs: Annotated[bool, Opt(help="Use its outputs to train another model.")
                                ] = False,
    military: Annotated[bool, Opt(help="Military use.")] = False,
    medical: Annotated[bool, Opt(help="Medical use.")] = False,
    eu: Annotated[bool, Opt(help="Used by people or companies in the EU.")] = False,
    as_json: Annotated[bool, Opt("--json", help="Print the verdicts as JSON.")] = False,
) -> None:
    """Can I use it for this? Each model's licence verdict per use, with its clause."""
    from pydantic import ValidationError

    from app import check

    try:
        plan = check.Plan(commercial=commercial, users=users, revenue=revenue,
                          fine_tune=fine_tune, redistribute=redistribute,
                          train_on_outputs=train_on_outputs, military=military,
                          medical=medical, eu=eu)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise Failure(f"--{err['loc'][0]}: {err['msg']}") from exc
    if not plan.uses():
        raise Failure("say what you plan: --commercial, --users N, --revenue N, --fine-tune, "
                      "--redistribute, --train-on-outputs, --military, --medical or --eu")
    settings, _ = settings_from(ctx)
    try:
        checks = check.for_corpus(plan, models or [], settings.corpus_dir)
    except LookupError as exc:
        raise Failure(str(exc.args[0])) from exc
    if as_json:
        typer.echo(json.dumps([{"model": c.row.id, "name": c.row.name, "licence": c.licence_name,
                                "overall": c.overall,
                                "verdicts": [v.model_dump() for v in c.verdicts]}
                               for c in checks], indent=2, ensure_ascii=False))
        return
    typer.echo("\n".join(check.report_lines(checks)))
    typer.echo("\nFrom Faultline's licence facts, checked against the licence texts; not legal "
               "advice. Read the clause before you ship.", err=True)


@app.command()
def config(ctx: typer.Context) -> None:
    """Print the effective settings and where each value came from."""
    settings, overrides = settings_from(ctx)
    origin = settings.sources(overrides)
    width = max(map(len, origin))
    for name, value in settings.model_dump().items():
        if name == "auth" and value:
            value = value.split(":")[0] + ":***"
        typer.echo(f"{name:<{width}}  {value!s:<60}  [{origin[name]}]")


@app.command()
def doctor(
    ctx: typer.Context,
    quiet: Annotated[bool, Opt(help="Only print problems.")] = False,
) -> None:
    """Check that everything Faultline needs is present; exit non-zero when it cannot answer."""
    from app.doctor import run_checks

    settings, _ = settings_from(ctx)
    fatal = False
    for check in run_checks(settings):
        fatal |= check.fatal and not check.ok
        if check.ok and quiet:
            continue
        mark = "ok  " if check.ok else ("FAIL" if check.fatal else "warn")
        typer.echo(f"[{mark}] {check.name}: {check.detail}" +
                   ("" if check.ok or not check.fix else f" -> {check.fix}"))
    if fatal:
        raise typer.Exit(1)


@app.command("eval")
def run_eval(
    ctx: typer.Context,
    retrieval_only: Annotated[bool, Opt(help="Score retrieval only (no model).")] = False,
    subset: Annotated[int | None, Opt(help="A fixed, stratified subset of N questions.")
                      ] = None,
    check: Annotated[bool, Opt(help="Exit 1 when a metric falls below the baseline.")
                     ] = False,
    update_baseline: Annotated[bool, Opt(help="Store this run as the baseline.")] = False,
    out: Annotated[Path | None, Opt(help="Folder for the reports.")] = None,
    judge: Annotated[str | None, Opt(help="Also grade answers with this Ollama model "
                                          "(reported, never checked).")] = None,
    rescore: Annotated[Path | None, Opt(help="Score an earlier full report's answers again "
                                             "with today's gold set and metrics.")] = None,
    ids: Annotated[str, Opt(help="Only the questions whose id starts with this prefix.")
                   ] = "",
) -> None:
    """Run the gold question set; print and save the metrics per category."""
    from rich.console import Console

    from app import evaluate
    from app.llm import BackendUnavailable, ollama

    settings, _ = settings_from(ctx)
    console = Console(stderr=True)
    if rescore is not None:
        if not rescore.is_file():
            raise Failure(f"no report at {rescore}: give the .json a full eval wrote")
        report = evaluate.rescore(rescore, settings.corpus_dir)
        typer.echo(evaluate.markdown(report))
        console.print(f"Report: {evaluate.save(report, out)} (and .json)")
        return
    judge_chat = None
    if judge and not retrieval_only:
        try:
            judge_chat = ollama(settings.model_copy(update={"ollama_model": judge})).chat
        except BackendUnavailable as exc:
            console.print(f"[yellow]judge skipped[/]: {exc}")
    with progress(console, "Evaluating", every=10) as step:
        report = evaluate.evaluate(settings, retrieval_only=retrieval_only, subset=subset,
                                   progress=step, judge=judge_chat, ids=ids)
    path = evaluate.save(report, out)
    typer.echo(evaluate.markdown(report))
    console.print(f"Report: {path} (and .json)")
    if update_baseline:
        evaluate.update_baseline(report)
        console.print(f"Baseline {report.key!r} updated in {evaluate.BASELINE}")
    if check:
        problems = evaluate.check(report)
        for line in problems:
            console.print(f"[red]regression[/] {line}")
        if problems:
            raise typer.Exit(1)
        console.print(f"No regression against baseline {report.key!r}.")


@app.command()
def bench(
    ctx: typer.Context,
    quick: Annotated[bool, Opt(help="A short smoke run (fewer sizes and questions).")] = False,
    server: Annotated[bool, Opt(help="Only ingest and retrieval, embedded vs the Chroma "
                                     "server at --chroma-url (start one with `chroma "
                                     "run`).")] = False,
) -> None:
    """Measure Faultline against the raw libraries doing the same work (ratios, one run)."""
    from app import bench as benchmark

    settings, _ = settings_from(ctx)
    rows = benchmark.run(settings, quick=quick, server_only=server)
    typer.echo(benchmark.table(rows))
    typer.echo(f"Saved {benchmark.REPORT}", err=True)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, Opt(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, Opt(help="Port (0: a free one).")] = 7860,
    auth: Annotated[str | None, Opt(help="user:password (required off loopback).")] = None,
) -> None:
    """Start the chat web page."""
    from app.ui import launch

    settings, _ = settings_from(ctx, auth=auth)
    credentials = None
    if settings.auth:
        user, sep, password = settings.auth.partition(":")
        if not (user and sep and password):
            raise Failure("--auth / FAULTLINE_AUTH must look like user:password")
        credentials = (user, password)
    if host not in ("127.0.0.1", "localhost", "::1") and credentials is None:
        raise Failure(f"refusing to serve on {host} without authentication: anyone on the "
                      "network could use it. Pass --auth user:password (or set FAULTLINE_AUTH),"
                      " or keep the default --host 127.0.0.1")
    launch(settings, host=host, port=port, auth=credentials)


def main() -> None:
    from app.settings import go_offline

    go_offline()
    try:
        app()
    except Failure as exc:
        typer.secho(f"error: {exc}", fg="red", err=True)
        sys.exit(2)
    except Exception as exc:  # known, user-fixable problems from the pipeline
        from app.answer import QuestionRejected
        from app.embed import EmbedderMissing
        from app.llm import BackendUnavailable
        from app.store import IndexError_

        known = IndexError_ | BackendUnavailable | EmbedderMissing | QuestionRejected
        if isinstance(exc, known):
            typer.secho(f"error: {exc}", fg="red", err=True)
            sys.exit(2)
        raise


if __name__ == "__main__":
    main()
