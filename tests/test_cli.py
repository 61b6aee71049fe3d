"""The `faultline` command, run as a user runs it: a real subprocess."""

import json
import subprocess
import sys
import time

import pytest

BIN = [sys.executable, "-m", "app.cli"]


def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*BIN, *args], capture_output=True, text=True, timeout=timeout)


def test_help_is_fast():
    start = time.perf_counter()
    result = run("--help")
    assert result.returncode == 0 and "ingest" in result.stdout
    assert time.perf_counter() - start < 5  # generous: the bench measures the real figure


@pytest.mark.slow
def test_ask_json_end_to_end(built):
    settings, _ = built
    result = run("--index-dir", str(settings.index_dir), "--corpus-dir",
                 str(settings.corpus_dir), "--backend", "embedded", "ask", "--json",
                 "What must companies with over 700 million monthly active users do under "
                 "the Llama 3.1 licence?")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["backend"] == "embedded" and data["model"].startswith("Qwen2.5")
    assert not data["abstained"], data["text"]
    assert "licence:llama-3.1-license-2024" in {p["source_id"] for p in data["cited"]}
    assert {"retrieval_ms", "first_token_ms", "total_ms"} <= set(data["timings"])
    assert all("score" in p for p in data["passages"])


@pytest.mark.slow
def test_ask_prints_sources(built):
    """A fact answer (the models table, no LLM call): the command prints it with sources."""
    settings, _ = built
    result = run("--index-dir", str(settings.index_dir), "--corpus-dir",
                 str(settings.corpus_dir), "ask", "Can I download the weights of GPT-4o?")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("No.") and "only through an API" in result.stdout
    assert "Sources:" in result.stdout and "[1]" in result.stdout


def test_empty_question_is_refused():
    result = run("ask", "   ")
    assert result.returncode == 2 and "question is empty" in result.stderr


@pytest.mark.slow
def test_ask_without_index_says_how_to_build():
    result = run("ask", "What is open weights?")
    assert result.returncode == 2 and "faultline ingest" in result.stderr


def test_unknown_backend_is_named():
    result = run("--backend", "gpt5", "config")
    assert result.returncode == 2 and "backend" in result.stderr


def test_config_shows_origins(monkeypatch):
    monkeypatch.setenv("FAULTLINE_K", "9")
    result = run("config")
    assert result.returncode == 0
    line = next(x for x in result.stdout.splitlines() if x.startswith("k "))
    assert "9" in line and "env FAULTLINE_K" in line


def test_doctor_reports_missing_index():
    result = run("doctor")
    assert result.returncode == 1
    assert "[FAIL] index: no index" in result.stdout and "faultline ingest" in result.stdout
    assert "[ok  ] embedded model" in result.stdout


@pytest.mark.slow
def test_ingest_reports_bad_file_and_keeps_going(tmp_path, small_corpus):
    (small_corpus / "broken.md").write_bytes(b"\xff\xfe\x00garbage")
    result = run("--corpus-dir", str(small_corpus), "ingest")
    assert result.returncode == 0, result.stderr
    assert "skipped broken.md: binary content" in result.stderr
    assert "2 sources" in result.stderr


def test_serving_off_loopback_needs_auth():
    result = run("serve", "--host", "0.0.0.0", "--port", "0")
    assert result.returncode == 2
    assert "without authentication" in result.stderr and "--auth" in result.stderr


def test_config_hides_the_password(monkeypatch):
    monkeypatch.setenv("FAULTLINE_AUTH", "ann:s3cret")
    result = run("config")
    assert "s3cret" not in result.stdout and "ann:***" in result.stdout
