"""LLM backends: the real embedded model, and Ollama's protocol via a loopback fake for the
error paths (no Ollama can be installed here); real-Ollama tests run when one is reachable."""

import time

import pytest

from app.llm import BackendUnavailable, bundle_parts, get_backend, gguf_path, ollama_check
from tests.conftest import make_settings
from tests.ollama_fake import FakeOllama, SilentServer


@pytest.fixture
def fake():
    server = FakeOllama()
    yield server
    server.close()


def test_embedded_model_is_assembled_and_verified(tmp_path):
    settings = make_settings(tmp_path)
    path = gguf_path(settings, verify=True)
    assert path.stat().st_size > 300_000_000
    assert path.with_suffix(".sha256").read_text().startswith(settings.bundle.sha256)


def test_a_model_package_not_installed_says_the_command_that_installs_it(monkeypatch):
    """`make setup` installs the default model only: the message for another names pip."""
    import importlib.util

    from app.settings import EMBEDDED_MODELS

    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)  # none installed
    for key, setup in (("qwen2.5-coder-0.5b", False), ("qwen2.5-coder-1.5b", True)):
        with pytest.raises(BackendUnavailable) as exc:
            bundle_parts(EMBEDDED_MODELS[key])
        said = str(exc.value)
        assert EMBEDDED_MODELS[key].pip_install in said and ("make setup" in said) == setup


def test_ollama_nothing_listening(tmp_path):
    settings = make_settings(tmp_path, backend="ollama")
    with pytest.raises(BackendUnavailable, match="ollama serve"):
        get_backend(settings)


def test_ollama_model_not_pulled(tmp_path, fake):
    settings = make_settings(tmp_path, backend="ollama", ollama_host=fake.url,
                             ollama_model="llama3.2")
    with pytest.raises(BackendUnavailable, match="ollama pull llama3.2"):
        get_backend(settings)


def test_ollama_server_that_never_answers_times_out(tmp_path):
    silent = SilentServer()
    try:
        settings = make_settings(tmp_path, backend="ollama", ollama_host=silent.url,
                                 connect_timeout=1)
        start = time.monotonic()
        with pytest.raises(BackendUnavailable, match="did not answer within 1 s"):
            ollama_check(settings)
        assert time.monotonic() - start < 5
    finally:
        silent.close()


def test_ollama_streams_through_langchain(tmp_path, fake):
    settings = make_settings(tmp_path, backend="ollama", ollama_host=fake.url)
    backend = get_backend(settings)
    assert (backend.name, backend.model) == ("ollama", "phi4-mini")
    text = "".join(c.content for c in backend.chat.stream("hi"))
    assert text == "Open weights [1]."


def test_ollama_stream_cut_is_a_clear_error(built, embedder, fake):
    from app.answer import Answerer
    from app.retrieve import Retriever

    settings = built[0].model_copy(update={"backend": "ollama", "ollama_host": fake.url})
    fake.mode = "cut"
    answerer = Answerer(settings, retriever=Retriever(settings, embedder))
    with pytest.raises(BackendUnavailable, match="stopped answering"):
        answerer.ask("Tell me about open-weight models.")  # the model's to write


@pytest.mark.slow
def test_auto_falls_back_to_embedded_and_says_so(tmp_path):
    backend = get_backend(make_settings(tmp_path, backend="auto"))
    assert backend.name == "embedded"
    assert "not reachable" in backend.note and "embedded model instead" in backend.note


def test_auto_prefers_ollama_when_it_has_the_model(tmp_path, fake):
    backend = get_backend(make_settings(tmp_path, backend="auto", ollama_host=fake.url))
    assert backend.name == "ollama" and backend.note == ""




def lan_address() -> str:
    """This machine's address on its network (not loopback), as another host would see it."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the interface
        address = sock.getsockname()[0]
    if address.startswith("127."):
        pytest.skip("this machine has no network interface besides loopback")
    return address


def test_remote_ollama_on_another_host_streams_and_times_out(tmp_path):
    """OLLAMA_HOST on another machine, written as Ollama users do (host:port, no scheme)."""
    lan = lan_address()
    remote = FakeOllama(host=lan)
    silent = SilentServer(host=lan)
    try:
        host = remote.url.removeprefix("http://")
        settings = make_settings(tmp_path, backend="ollama", ollama_host=host)
        backend = get_backend(settings)
        assert "".join(c.content for c in backend.chat.stream("hi")) == "Open weights [1]."
        slow = make_settings(tmp_path, backend="ollama", ollama_host=silent.url,
                             connect_timeout=1)
        start = time.monotonic()
        with pytest.raises(BackendUnavailable, match=f"Ollama at {silent.url}.*within 1 s"):
            get_backend(slow)
        assert time.monotonic() - start < 5
    finally:
        remote.close()
        silent.close()


@pytest.mark.ollama
@pytest.mark.slow
def test_real_ollama_answers_with_citations(built, embedder, monkeypatch):
    """Runs against a real Ollama (OLLAMA_HOST, FAULTLINE_OLLAMA_MODEL) when one is reachable."""
    import os

    host = os.environ.get("FAULTLINE_TEST_OLLAMA_HOST")
    if not host:
        pytest.skip("no real Ollama: set FAULTLINE_TEST_OLLAMA_HOST=http://127.0.0.1:11434")
    from app.answer import Answerer
    from app.retrieve import Retriever

    model = os.environ.get("FAULTLINE_TEST_OLLAMA_MODEL", "phi4-mini")
    settings = built[0].model_copy(update={"backend": "ollama", "ollama_host": host,
                                           "ollama_model": model})
    try:
        ollama_check(settings, timeout=2)
    except BackendUnavailable as exc:
        pytest.skip(f"Ollama not usable: {exc}")
    answer = Answerer(settings, retriever=Retriever(settings, embedder)).ask(
        "What does the Llama 3.1 licence require of a product with 900 million monthly users?")
    assert answer.backend == "ollama" and not answer.abstained
    assert "licence:llama-3.1-license-2024" in {p.source_id for p in answer.cited}
