"""The six example questions of the chat page, clicked in a real browser against the whole
knowledge base and the embedded model: each answer is read and must be right and cited."""

from __future__ import annotations

import re

import pytest

from app.ui import EXAMPLES
from tests.conftest import serve
from tests.test_ui import ARGS, CHROMIUM, ask, new_chat

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    not __import__("pathlib").Path(CHROMIUM).exists(), reason="needs Debian's chromium")]

# what a right answer to each example says, written from the sources (licence texts, articles)
RIGHT = {
    EXAMPLES[0]: [r"^Not without a separate licen[cs]e", r"700 million"],  # Llama 3.1 s.2
    EXAMPLES[1]: [r"(?i)weights", r"(?i)(training data|data information|code|freedoms?|OSI)"],
    EXAMPLES[2]: [r"(?i)patent licen[cs]e", r"(?i)section 3", r"(?i)litigation"],  # Apache s.3
    EXAMPLES[3]: [r"(?i)(safety|misuse|harm)", r"(?i)(capab|quality|frontier)",
                  r"(?i)(support|vendor|accountab|reliab)"],
    EXAMPLES[4]: [r"^It depends", r"Gemma Terms of Use", r"Gemma 4", r"Apache"],
    EXAMPLES[5]: [r"(?i)data information", r"(?i)code", r"(?i)(parameters|weights)"],
}


def the_answer(page) -> str:
    """The last answer's text: the last bot message that is not a source card (a card opens
    with its number and title: '[2] Llama 3.1 ... · LICENCE')."""
    texts = page.locator("#chat [data-testid='bot']").all_inner_texts()
    answers = [t for t in texts if not re.match(r"\s*\[\d+\] .*·", t)]
    return answers[-1] if answers else ""


@pytest.fixture(scope="module")
def page(full, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    data = tmp_path_factory.mktemp("examples-data")
    with serve(full.settings, data) as proc, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(proc.url, wait_until="load")
        page.wait_for_selector("#question textarea")
        page.wait_for_function("document.body.innerText.includes('Answering:')",
                               timeout=120_000)
        yield page
        browser.close()


@pytest.mark.parametrize("n", range(len(EXAMPLES)), ids=[q[:40] for q in EXAMPLES])
def test_each_example_gives_a_right_cited_answer(page, n):
    new_chat(page)
    page.locator("#examples button.gallery-item").nth(n).click()
    page.wait_for_function("document.querySelector('#question textarea').value.length > 0")
    ask(page, timeout=400_000)
    answer = the_answer(page)
    assert "Not in the knowledge base" not in answer, answer
    for pattern in RIGHT[EXAMPLES[n]]:
        assert re.search(pattern, answer.strip()), (pattern, answer)
    assert re.search(r"\[\d\]", answer), answer
    assert page.locator("#chat .thought").count() >= 1  # its source cards
