"""Load: concurrent chat sessions through gradio_client against a real `faultline serve`."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import serve

# (question, a source its cards must include, or None for an abstention): two questions the
# model writes (and one follow-up), streaming at the same time as six answered from the tables,
# a definition, quoted clauses or the scope gate (each model answer costs ~25 s here: more of
# them would test nothing more)
QUESTIONS = [
    ("Can I use Llama 3.1 with more than 700 million monthly active users?",
     "Llama 3.1"),  # the licence or the table row: both state the limit
    ("What is an open-weight model?", "open-weight"),
    ("Why do companies keep models closed?", "closed models"),
    ("Does the Apache License 2.0 grant a patent license?", "Apache License"),
    ("What is the mascot of the Faultline test corpus?", "Faultline test notes"),
    ("What is the best recipe for tomato pasta sauce?", None),
    ("Can I download the weights of GPT-4o?", "GPT-4o"),
    ("When was Llama 3.1 released?", "Llama 3.1"),
]
ROUNDS = 21
FOLLOW_UP = {1}  # this session asks "Tell me more." (the model, with its history)


def rss_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines()
                    if line.startswith("VmRSS:")))


def texts(history: list[dict]) -> list[str]:
    return [" ".join(part.get("text", "") for part in m["content"]) for m in history]


@pytest.fixture(scope="module")
def server(built, tmp_path_factory):
    data = tmp_path_factory.mktemp("load")
    with serve(built[0], data, FAULTLINE_MAX_TOKENS="80") as proc:
        yield proc


def session(url: str, number: int) -> tuple[int, list[dict], list[dict]]:
    """One user: a question, then a second one in the same conversation."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    question, _ = QUESTIONS[number]
    _, first = client.predict(question, [], 3, True, "embedded", api_name="/chat")
    _, second = client.predict(next_question(number), first, 3, True, "embedded",
                               api_name="/chat")
    return number, first, second


def next_question(number: int) -> str:
    return "Tell me more." if number in FOLLOW_UP else "Is Gemma open source?"


def test_eight_concurrent_sessions_each_get_their_own_answer(server):
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda n: session(server.url, n), range(8)))
    for number, first, second in results:
        question, source = QUESTIONS[number]
        users = [t for m, t in zip(second, texts(second), strict=True) if m["role"] == "user"]
        assert users == [question, next_question(number)], "another session's turns leaked in"
        cards = [m["metadata"]["title"] for m in first if m.get("metadata")]
        answer = texts(first)[1]
        if source is None:
            assert "Not in the knowledge base" in answer
        else:  # answered (not declined), citing the source that holds the answer
            assert "Not in the knowledge base" not in answer, (question, answer)
            assert any(source in c for c in cards), (question, cards)


def test_memory_stays_flat_over_many_questions(server, artifacts):
    from gradio_client import Client

    client = Client(server.url, verbose=False)
    samples = []
    for n in range(ROUNDS):  # one model question between fact answers: its prompt is cached
        question, _ = QUESTIONS[(0, 2, 3)[n % 3]]
        client.predict(question, [], 3, True, "embedded", api_name="/chat")
        if n in (9, ROUNDS - 1):
            samples.append(rss_kb(server.pid))
    after_10, after_all = samples
    report = {"questions": ROUNDS, "rss_mb_after_10": after_10 // 1024,
              "rss_mb_after_all": after_all // 1024}
    (artifacts / "load-memory.json").write_text(json.dumps(report, indent=1))
    assert after_all < after_10 * 1.15, report
