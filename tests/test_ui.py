"""The chat page in a real browser: Debian's chromium driven by Playwright, against a real
`faultline serve` (small index, embedded model) on a free loopback port."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.conftest import serve

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]

# these tests are about the page, not the prose: shorter answers (still whole, cited sentences)
SHORT = {"FAULTLINE_MAX_TOKENS": "120"}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="needs Debian's chromium (make test installs it)")


@pytest.fixture(scope="module")
def server(built, tmp_path_factory):
    data = tmp_path_factory.mktemp("serve-data")
    with serve(built[0], data, **SHORT) as proc:
        yield proc.url, data


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.dialogs, page.requests = [], []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: page.requests.append(r.url))
    page.goto(server[0], wait_until="load")
    page.wait_for_selector("#question textarea")
    # the status line shows the model once it is loaded
    page.wait_for_function("document.body.innerText.includes('embedded: Qwen')", timeout=120_000)
    yield page
    context.close()


def new_chat(page) -> None:
    """Start a new chat and wait until the old one is off the page: an answer counted
    against a chat still being cleared is never seen (test_examples waited 400 s for one)."""
    page.click("#new-chat")
    page.wait_for_function("document.querySelectorAll('#chat [data-testid=\"bot\"]').length == 0")


def ask(page, question: str | None = None, timeout: float = 240_000) -> dict:
    """Submit a question, measure time to the first streamed token and to the finished answer."""
    if question is not None:
        page.fill("#question textarea", question)
    bots = page.locator("#chat [data-testid='bot']")
    before = bots.count()
    start = time.perf_counter()
    page.press("#question textarea", "Enter")
    page.wait_for_function(
        f"""() => {{
            const bots = document.querySelectorAll("#chat [data-testid='bot']");
            return bots.length > {before} && !['', '…'].includes(
                bots[bots.length - 1].innerText.trim());
        }}""", timeout=timeout)
    first = time.perf_counter() - start
    page.wait_for_function(  # the chat's progress tracker hides when the answer is done
        "document.querySelector('#chat [data-testid=\"status-tracker\"]')"
        ".classList.contains('hide')", timeout=timeout)
    total = time.perf_counter() - start
    return {"first_token_s": round(first, 2), "total_s": round(total, 2)}


def last_answer(page) -> str:
    return page.locator("#chat .message:not(.thought) [data-testid='bot']").last.inner_text()


def test_page_loads_with_examples_and_nothing_leaves_the_machine(page):
    examples = page.locator("#examples button.gallery-item")
    assert examples.count() == 6
    assert "Index:" in page.inner_text("body")
    outside = [u for u in page.requests if not u.startswith(("http://127.0.0.1", "data:",
                                                              "blob:"))]
    assert outside == []


def test_example_streams_a_cited_answer(page, artifacts):
    page.locator("#examples button.gallery-item").first.click()
    page.wait_for_function(
        "document.querySelector('#question textarea').value.includes('900 million')")
    timings = ask(page)
    cards = page.locator("#chat .thought")
    assert cards.count() >= 1, page.inner_text("#chat")
    # the fixture corpus holds no licence facts: the threshold comes from the table's row
    assert any(badge in page.inner_text("#chat") for badge in ("LICENCE", "ARTICLE", "MODEL"))
    assert "[" in last_answer(page)
    cards.first.click()  # open the first source card for the screenshot
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "cited-answer.png"), full_page=True)
    (artifacts / "browser-timings.json").write_text(
        json.dumps({"question": "example 1", **timings}, indent=1))


def test_a_source_opens_its_document_at_the_cited_passage(page):
    ask(page, "What is an open-weight model?")
    card = page.locator("#chat .thought").first
    card.wait_for()
    card.click()
    page.wait_for_function("document.querySelector('#doc-view mark') !== null")
    view = page.locator("#doc-view")
    assert view.locator("section#cited mark").count() >= 1  # the passage, highlighted
    assert view.locator("section").count() >= 2  # the whole document, not the passage alone
    assert "What open-weight models are" in view.inner_text()
    page.click("#doc-close")
    page.wait_for_function("!document.querySelector('#doc-view')"
                           " || document.querySelector('#doc-view').offsetParent === null")


def test_out_of_scope_question_abstains(page):
    ask(page, "What is the best recipe for a tomato pasta sauce?")
    text = page.inner_text("#chat")
    assert "Not in the knowledge base" in text and "covers" in text
    assert page.locator("#chat .thought").count() == 0


def test_new_chat_clears_the_conversation(page):
    ask(page, "What is the best recipe for a tomato pasta sauce?")
    new_chat(page)


def test_compare_tab_filters(page):
    page.get_by_role("tab", name="Compare models").click()
    grid = page.locator("#models")
    grid.get_by_text("GPT-4o", exact=True).wait_for()
    assert "Llama 3.1" in grid.inner_text()
    page.locator("#f-open input").click()
    page.get_by_role("option", name="closed", exact=True).click()
    page.wait_for_function("!document.querySelector('#models').innerText.includes('Llama 3.1')")
    assert "GPT-4o" in grid.inner_text()


def test_compare_tab_shows_openness_components_with_evidence(page):
    page.get_by_role("tab", name="Compare models").click()
    grid = page.locator("#models")
    grid.get_by_text("GPT-4o", exact=True).wait_for()
    text = grid.inner_text()
    assert "Checkpoints" in text and "MOF class" in text
    assert grid.locator("td.c-closed").count() and grid.locator("td.c-open").count()
    assert grid.locator("td.comp a[href^='http']").count() > 10  # cells link their evidence
    page.locator("#f-part input").click()
    page.get_by_role("option", name="Paper", exact=True).click()
    page.wait_for_function("!document.querySelector('#models').innerText.includes('GPT-4o')")
    assert "Llama 3.1" in grid.inner_text()  # its paper is open; GPT-4o has a system card only


CUT_OFF = """() => {
    const grid = document.querySelector('#models table');
    const width = document.documentElement.clientWidth;
    const cells = [...grid.querySelectorAll('th, td')].filter(c => c.offsetParent !== null);
    return cells.filter(c => c.getBoundingClientRect().right > width + 1).length;
}"""


@pytest.mark.parametrize(("width", "name"), [(1280, "grid-1280"), (390, "grid-390")])
def test_grid_reads_at_desktop_and_phone_widths(browser, server, width, name, artifacts):
    """No column of the grid is cut off: at 1280 px every column fits, on a 390 px phone
    each model is a card whose every line fits."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(server[0], wait_until="load")
    page.get_by_role("tab", name="Compare models").click()
    page.locator("#models").get_by_text("GPT-4o", exact=True).wait_for()
    assert page.evaluate(CUT_OFF) == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(artifacts / f"{name}.png"))
    context.close()


def test_grid_filters_side_by_side_and_csv(page):
    page.get_by_role("tab", name="Compare models").click()
    grid = page.locator("#models")
    grid.get_by_text("GPT-4o", exact=True).wait_for()
    page.locator("#f-dev input").click()
    page.get_by_role("option", name="Meta", exact=True).click()
    page.wait_for_function("!document.querySelector('#models').innerText.includes('GPT-4o')")
    assert "Llama 3.1" in grid.inner_text()
    with page.expect_download() as download:
        page.click("#csv")
    text = Path(download.value.path()).read_text()
    assert text.startswith("model,developer,released,licence")
    assert "Llama 3.1" in text and "GPT-4o" not in text  # the rows shown, no others
    pick = page.locator("#pick input")
    for name in ("Llama 3.1", "GPT-4o"):
        pick.click()
        pick.fill(name)
        page.get_by_role("option", name=name, exact=True).click()
    side = page.locator("#side")
    page.wait_for_function("document.querySelector('#side').innerText.includes('GPT-4o')")
    assert "Training data" in side.inner_text() and side.locator("th").count() >= 3


def test_use_checker_tab(page):
    """Tick a use, give a user count: every model's verdict per use, with no model call."""
    page.get_by_role("tab", name="Can I use it?").click()
    page.locator("#check-uses").get_by_label("fine-tune").check()
    grid = page.locator("#check-grid")
    grid.get_by_text("GPT-4o", exact=True).wait_for()
    assert "➖ not possible" in grid.inner_text()  # API only: no weights to fine-tune
    page.fill("#check-users input", "900000000")
    page.press("#check-users input", "Tab")
    page.wait_for_function("document.querySelector('#check-grid').innerText"
                           ".includes('monthly users')")
    assert "Llama 3.1" in grid.inner_text()


def upload(page, path: Path) -> str:
    page.get_by_role("tab", name="Library").click()
    page.set_input_files("#upload input[type=file]", str(path))
    page.wait_for_function(
        "document.querySelector('#upload-status').innerText.includes('Indexed')"
        " || document.querySelector('#upload-status').innerText.includes('❌')",
        timeout=120_000)
    status = page.inner_text("#upload-status")
    page.get_by_role("tab", name="Chat").click()
    return status


def upload_and_ask(page, tmp_path: Path, name: str, text: str, question: str) -> None:
    doc = tmp_path / name
    doc.write_text(text)
    assert "Indexed" in upload(page, doc)
    ask(page, question)


def test_uploaded_document_is_answerable_and_cited(page, tmp_path):
    upload_and_ask(page, tmp_path, "zorblax-licence.md",
                   "# The Zorblax Model Licence\n\n## Commercial use\n\nThe Zorblax Model "
                   "Licence allows commercial use only for companies with fewer than 50 "
                   "employees.\n",
                   "Under the Zorblax Model Licence, which companies may use it commercially?")
    chat = page.inner_text("#chat")
    assert "The Zorblax Model Licence" in chat and "YOUR UPLOAD" in chat, chat
    page.get_by_role("tab", name="Library").click()
    page.wait_for_function(
        "document.querySelector('#library').innerText.includes('The Zorblax Model Licence')")


def test_deleting_an_upload_and_the_next_answer_no_longer_cites_it(page, tmp_path):
    upload_and_ask(page, tmp_path, "quillfeather.md",
                   "# The Quillfeather Licence\n\n## Commercial use\n\nThe Quillfeather "
                   "Licence allows commercial use only on Tuesdays.\n",
                   "When does the Quillfeather Licence allow commercial use?")
    assert "YOUR UPLOAD" in page.inner_text("#chat")
    page.get_by_role("tab", name="Library").click()
    page.locator("#upload-pick input").click()
    page.get_by_role("option", name="quillfeather.md", exact=True).click()
    page.click("#upload-delete")
    page.wait_for_function("document.querySelector('#upload-status').innerText"
                           ".includes('quillfeather.md deleted')")
    page.wait_for_function("!document.querySelector('#library').innerText"
                           ".includes('The Quillfeather Licence')")
    page.get_by_role("tab", name="Chat").click()
    new_chat(page)
    ask(page, "When does the Quillfeather Licence allow commercial use?")
    assert "Quillfeather Licence ·" not in page.inner_text("#chat")  # no card cites it
    assert "no entry for Quillfeather" in last_answer(page)  # nor does another licence answer


def test_rejected_upload_says_why(page, tmp_path):
    bad = tmp_path / "empty.md"
    bad.write_bytes(b"")
    assert "❌ empty.md: the file is empty" in upload(page, bad)


def test_html_in_documents_is_inert(page, tmp_path):
    upload_and_ask(page, tmp_path, "payload.md",
                   "# Quarzite Licence Payload\n\n## Terms\n\nThe Quarzite licence text "
                   "contains <img src=x onerror=alert(1)> and <script>alert(2)</script> as "
                   "plain words about quarzite.\n",
                   "What does the Quarzite licence text contain?")
    cards = page.locator("#chat .thought")
    cards.last.click()  # open the card: its text shows the markup as characters
    page.wait_for_timeout(500)
    assert page.dialogs == []
    assert page.locator("#chat img[src='x']").count() == 0
    assert page.evaluate("document.querySelectorAll('#chat script').length") == 0
    assert "onerror" in page.inner_text("#chat")


def test_gradio_client_calls_chat(server):
    from gradio_client import Client

    client = Client(server[0], verbose=False)
    _, history = client.predict("Can I download the weights of GPT-4o?", [], 5, True,
                                "embedded", api_name="/chat")  # a fact answer: no LLM wait
    texts = [" ".join(p["text"] for p in m["content"]) for m in history]
    assert history[0]["role"] == "user" and "GPT-4o" in texts[0]
    assert texts[1].startswith("No.")
    assert any(m.get("metadata") for m in history), "source cards follow the answer"


def test_feedback_is_recorded(page, server):
    ask(page, "Can I download the weights of GPT-4o?")  # a fact answer: no LLM wait
    page.locator("#chat button[aria-label='Like']").last.click()
    page.wait_for_function("document.body.innerText.includes('your vote was saved')")
    record = json.loads((server[1] / "feedback.jsonl").read_text().splitlines()[-1])
    assert record["vote"] == "up" and "GPT-4o" in record["question"]
    assert record["answer"] and record["sources"]


def chat_state(page) -> dict:
    """Questions and answers shown, and whether an answer is being written or is done."""
    return page.evaluate("""() => {
        const bots = document.querySelectorAll(
            "#chat .message:not(.thought) [data-testid='bot']");  // answers, not source cards
        const tracker = document.querySelector('#chat [data-testid="status-tracker"]');
        const idle = !tracker || tracker.classList.contains('hide');
        const written = bots.length > 0 &&
            !['', '…'].includes(bots[bots.length - 1].innerText.trim());
        return {asked: document.querySelectorAll("#chat [data-testid='user']").length,
                answered: bots.length, writing: written && !idle, done: written && idle};
    }""")


def test_one_answer_at_a_time(page, browser, server):
    """Enter and the Ask button at once give one answer; a second tab's question waits for
    the first answer to finish (one queue for the one model)."""
    other = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    other.goto(server[0], wait_until="load")
    other.wait_for_selector("#question textarea")
    page.fill("#question textarea", "Tell me about open-weight models.")
    other.fill("#question textarea", "Why do some developers keep their models closed?")
    page.press("#question textarea", "Enter")
    page.click("#ask")
    other.press("#question textarea", "Enter")
    tabs = {"first": page, "second": other}
    overlap, done = 0, {}
    deadline = time.monotonic() + 400
    while len(done) < 2 and time.monotonic() < deadline:
        states = {name: chat_state(tab) for name, tab in tabs.items()}
        overlap += all(s["writing"] for s in states.values())
        for name, state in states.items():
            if state["done"]:
                done.setdefault(name, time.monotonic())
        time.sleep(0.2)
    first = chat_state(page)
    first_chat = page.inner_text("#chat")
    other.context.close()
    assert len(done) == 2, f"not both answered in time: {done}"
    assert overlap == 0, "two answers were written at the same time"
    assert first["asked"] == 1, "Enter plus the button asked twice"
    assert first_chat.count("Tell me about open-weight models.") == 1 and "⚠️" not in first_chat
    assert done["first"] <= done["second"], "the tabs were served out of order"


def test_a_blank_ask_after_an_answer_does_nothing_and_on_a_new_chat_says_why(tmp_path):
    """A stray second press (Enter then the button) after an answer leaves the chat as it is;
    a blank Ask on an empty chat says the question is empty."""
    from app.ui import App
    from tests.conftest import make_settings

    app = App(make_settings(tmp_path))
    shown = [{"role": "user", "content": "Q"}, {"role": "assistant", "content": "A [1]"}]
    assert list(app.chat("  \n", shown, 5, True, "embedded")) == [("", shown)]
    ((box, history),) = list(app.chat("", [], 5, True, "embedded"))
    assert box == "" and "the question is empty" in history[-1]["content"]


def open_sidebar(page) -> None:
    on_screen = "document.querySelector('#conv-search').getBoundingClientRect().x >= 0"
    if not page.evaluate(on_screen):
        page.click("#conversations .toggle-button")
    page.wait_for_function(on_screen)


def test_conversations_survive_reload_and_restart(browser, built, tmp_path):
    """Saved, reloaded, restored after a server restart (same address, same browser), then
    renamed, found, exported as Markdown and deleted."""
    from tests.conftest import closed_port

    port, data = closed_port(), tmp_path / "data"
    data.mkdir()
    context = browser.new_context(viewport={"width": 1280, "height": 1000},
                                  accept_downloads=True)
    question = "What is the best recipe for a tomato pasta sauce?"
    with serve(built[0], data, port=port, **SHORT) as proc:
        page = context.new_page()
        page.goto(proc.url, wait_until="load", timeout=120_000)
        page.wait_for_selector("#question textarea")
        ask(page, question)
        page.wait_for_function("document.querySelector('#conv-list') && document"
                               ".querySelector('#conv-list').innerText.includes('tomato')")
        page.reload(wait_until="load")
        page.wait_for_selector("#chat")
        page.wait_for_function(f"document.querySelector('#chat').innerText.includes("
                               f"{json.dumps(question)})")
    assert (data / "conversations.sqlite").exists()
    page.close()  # a new tab, so no request of the old one to the stopped server holds on
    with serve(built[0], data, port=port, **SHORT) as proc:  # a restart: nothing kept in memory
        page = context.new_page()  # the server loads its model meanwhile: on 2 slow cores the
        page.goto(proc.url, wait_until="load", timeout=120_000)  # page can take over 30 s
        page.wait_for_selector("#chat")
        page.wait_for_function(f"document.querySelector('#chat').innerText.includes("
                               f"{json.dumps(question)})")
        open_sidebar(page)
        page.locator("#conv-title").locator("input, textarea").first.fill("Pasta, off topic")
        page.click("#conv-rename")
        page.wait_for_function("document.querySelector('#conv-list').innerText"
                               ".includes('Pasta, off topic')")
        page.locator("#conv-search").locator("input, textarea").first.fill("zzz-nothing")
        page.wait_for_function("!document.querySelector('#conv-list').innerText"
                               ".includes('Pasta')")
        page.locator("#conv-search").locator("input, textarea").first.fill("pasta")
        page.wait_for_function("document.querySelector('#conv-list').innerText"
                               ".includes('Pasta')")
        with page.expect_download() as download:
            page.click("#conv-md")
        text = Path(download.value.path()).read_text()
        assert text.startswith("# Pasta, off topic") and f"**You:** {question}" in text
        assert "**Faultline:**" in text and "Not in the knowledge base" in text
        page.click("#conv-delete")
        page.wait_for_function("!document.querySelector('#conv-list').innerText"
                               ".includes('Pasta')")
        page.wait_for_function("document.querySelectorAll('#chat [data-testid=\"bot\"]')"
                               ".length == 0")
    context.close()


def test_delete_upload_removes_its_chunks_and_nothing_else(tmp_path, built):
    from app.store import open_store
    from app.ui import App
    from tests.conftest import make_settings

    settings = make_settings(tmp_path, index_dir=built[0].index_dir,
                             corpus_dir=built[0].corpus_dir)
    app = App(settings)
    curated = open_store(settings).require_live().chunks
    doc = tmp_path / "mine.md"
    doc.write_text("# Brambleworth Terms\n\n## Use\n\nBrambleworth terms allow use by owls.\n")
    assert "✅ mine.md added" in app.upload([str(doc)])[0]
    assert "✅ mine.md replaced" in app.upload([str(doc)])[0]
    assert any(p.kind == "upload" for p in app.retriever.search("Brambleworth terms owls"))
    assert any(row[0] == "Brambleworth Terms" and row[3] for row in app.library())
    assert "not one of your uploads" in app.delete_upload("open-weights.md")  # curated
    assert "Pick one" in app.delete_upload(None)
    said = app.delete_upload("mine.md")
    assert "mine.md deleted" in said and "removed" in said
    assert app.uploads() == []
    user = open_store(settings.user_settings()).live()
    assert user is not None and (user.sources, user.chunks) == (0, 0)
    assert open_store(settings).require_live().chunks == curated
    hits = app.retriever.search("Brambleworth terms owls")
    assert all(p.kind != "upload" for p in hits)


@pytest.mark.slow
def test_status_banners(tmp_path, built):  # warm_up loads the LLM
    """Missing index: the exact command; Ollama configured but down: the fallback in use."""
    from app.ui import App
    from tests.conftest import make_settings

    app = App(make_settings(tmp_path, backend="auto"))
    line, banner = app.status()
    assert "No index yet" in banner and "`faultline ingest`" in banner
    assert "still loading" in banner
    app.warm_up()
    line, banner = app.status()
    assert f"embedded: {app.settings.bundle.title}" in line
    assert "Ollama is not reachable" in banner and "embedded model instead" in banner


def test_settings_offer_the_models_pulled_into_ollama(tmp_path, built):
    """Ollama up (a fake speaking its API: none runs here): the page offers each pulled
    model, and a question asked with one goes to that model."""
    from app.ui import App
    from tests.conftest import make_settings
    from tests.ollama_fake import FakeOllama

    fake = FakeOllama(models=["phi4-mini:latest", "qwen2.5:7b"])
    try:
        settings = make_settings(tmp_path, ollama_host=fake.url, backend="embedded",
                                 index_dir=built[0].index_dir, corpus_dir=built[0].corpus_dir)
        app = App(settings)
        choices = dict((value, label) for label, value in app.backends())
        assert {"embedded", "auto", "ollama:phi4-mini:latest", "ollama:qwen2.5:7b"} <= \
            set(choices)
        assert choices["embedded"].startswith("embedded: Qwen2.5")
        assert app.default_choice(app.backends()) == "embedded"
        *_, (_, history) = app.chat("Why do some developers keep their models closed?", [], 5,
                                    True, "ollama:qwen2.5:7b")
        assert fake.requests and fake.requests[-1]["model"] == "qwen2.5:7b"
        assert app.answerer("ollama:qwen2.5:7b").backend.model == "qwen2.5:7b"
    finally:
        fake.close()
    fake.close = lambda: None
    down = App(make_settings(tmp_path, ollama_host=fake.url))
    assert [value for _, value in down.backends()] == ["embedded"]  # Ollama gone: only ours
