"""The knowledge base itself: schemas, cross-references, section sizes, and that each topic is
retrievable. Uses the real corpus/ of the product."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from app.load import (
    FrontMatter,
    Source,
    load_folder,
    read_described_licences,
    read_licence_list,
    read_models,
    split_front_matter,
)
from app.settings import ROOT
from tests.conftest import make_settings

CORPUS = ROOT / "corpus"
DOCS = sorted(p for p in CORPUS.rglob("*.md"))
SPECIAL = {"proprietary", "other"}


def test_enough_documents():
    assert len(DOCS) >= 30


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_front_matter_is_complete(path: Path):
    meta, body = split_front_matter(path.read_text())
    fm = FrontMatter.model_validate(meta)
    assert fm.id == path.stem
    assert fm.topics and fm.sources and fm.updated, "topics, sources and updated are required"
    assert len(re.findall(r"^# ", body, re.M)) == 1, "exactly one # title"
    assert re.search(r"^## ", body, re.M), "sections with ## headings"
    if path.parent.name == "licences":
        assert fm.licence_keys or "summary" in fm.topics, \
            "a licence explainer names the licence keys it explains, or is a marked summary"
        if not fm.licence_keys:
            assert re.search(r"(?i)\bsummary\b", body.split("\n## ", 2)[1]), \
                "a summary says so in its first section"
    if path.parent.name == "models":
        assert fm.kind == "model"


def test_licence_explainers_cover_the_manifest():
    keys = {e.key for e in read_licence_list(CORPUS)}
    explained = set()
    for path in (CORPUS / "licences").glob("*.md"):
        explained |= set(FrontMatter.model_validate(
            split_front_matter(path.read_text())[0]).licence_keys)
    assert keys - explained == set()
    assert explained - keys == set(), "explainers name only manifest keys"


def test_models_table_schema_and_cross_references():
    rows = read_models(CORPUS)
    assert len(rows) >= 30
    ids = [r.id for r in rows]
    assert len(ids) == len(set(ids)), "duplicate row ids"
    keys = {e.key for e in read_licence_list(CORPUS)} | {
        d.key for d in read_described_licences(CORPUS)}
    profiles = {p.stem for p in (CORPUS / "models").glob("*.md")}
    for row in rows:
        assert row.licence in keys | SPECIAL, f"{row.id}: unknown licence {row.licence}"
        assert row.family in profiles, f"{row.id}: no profile {row.family}"
        if row.licence == "proprietary":
            assert row.access == "api" and row.weights == "none"
        if row.osi_approved:
            assert next(e for e in read_licence_list(CORPUS) if e.key == row.licence).osi_approved


def test_described_licences_match_their_rows_and_pages():
    """A licence known from a summary page: its key is no ScanCode key, the rows under it
    spell its name as it does, and its page has the section it points to."""
    from app.entities import section_text

    held = {e.key for e in read_licence_list(CORPUS)}
    rows = read_models(CORPUS)
    for d in read_described_licences(CORPUS):
        assert d.key not in held | SPECIAL
        under = [r for r in rows if r.licence == d.key]
        assert under, f"{d.key}: no row is under it"
        assert {r.licence_name for r in under} == {d.name}, d.key
        if not d.page:
            assert not d.section
            continue
        page = CORPUS / "licences" / f"{d.page}.md"
        assert "summary" in FrontMatter.model_validate(
            split_front_matter(page.read_text())[0]).topics, d.page
        assert len(section_text(page, d.section)) > 100, f"{d.key}: no section {d.section!r}"


def test_every_row_records_its_openness_components():
    """Each row has every component, with evidence, and agrees with its coarse fields."""
    for row in read_models(CORPUS):
        assert row.openness is not None, f"{row.id}: no openness block"
        cells = row.openness.cells()
        weights = {cells["base_weights"].value, cells["instruct_weights"].value}
        if row.weights == "none":
            assert weights == {"closed"}, f"{row.id}: weights none but cells {weights}"
        else:
            assert weights & {"open", "partial"}, f"{row.id}: weights {row.weights}, cells closed"
        assert (row.training_data == "full") == (cells["training_data"].value == "open"), row.id
        if row.access == "api":
            assert row.openness.mof_class == "none", f"{row.id}: an API model has no MOF class"


def test_every_evidence_url_is_well_formed():
    bad = []
    for row in read_models(CORPUS):
        urls = [s.url for s in row.sources]
        if row.openness:
            urls += [c.url for c in row.openness.cells().values() if c.url]
            urls += [u for u in (row.openness.osaid_url, row.openness.mof_url) if u]
        for url in urls:
            host = url.host or ""
            if url.scheme not in ("http", "https") or "." not in host or "example" in host:
                bad.append(f"{row.id}: {url}")
    assert bad == []


def test_every_alias_names_one_thing():
    """An alias names one model or licence, or (a family name) licences of one family."""
    from app.entities import norm

    owner: dict[str, str] = {}
    clashes = []
    for row in read_models(CORPUS):
        for name in [row.name, *row.aliases]:
            key = norm(name)
            if owner.setdefault(key, f"model:{row.id}") != f"model:{row.id}":
                clashes.append(f"{name!r}: {owner[key]} and model:{row.id}")
    family = {f"licence:{e.key}": e.family for e in read_licence_list(CORPUS)}
    for entry in read_licence_list(CORPUS):
        for name in entry.aliases:
            key = norm(name)
            first = owner.setdefault(key, f"licence:{entry.key}")
            # a name licences of one family share is that family's name ('OpenRAIL-M')
            if first != f"licence:{entry.key}" and family.get(first) != entry.family:
                clashes.append(f"{name!r}: {owner[key]} and licence:{entry.key}")
    for d in read_described_licences(CORPUS):
        for name in [d.name, *d.aliases]:
            if owner.setdefault(norm(name), f"licence:{d.key}") != f"licence:{d.key}":
                clashes.append(f"{name!r}: {owner[norm(name)]} and licence:{d.key}")
    assert clashes == []


def test_table_yaml_quotes_yes_no():
    raw = yaml.safe_load((CORPUS / "models.yaml").read_text())
    assert all(isinstance(r["commercial_use"], str) for r in raw["models"])


def test_every_section_fits_one_chunk(embedder):
    """No section is longer than what the chunker keeps whole."""
    from app.ingest import Chunker

    settings = make_settings(ROOT)
    chunker = Chunker(embedder, settings)
    too_long = []
    for item in load_folder(CORPUS, "", settings):
        assert isinstance(item, Source), str(item)
        for section in item.sections:
            single = Source(item.id, item.title, item.kind, item.path, "", [section])
            if len(chunker.split(single)) > 1:
                too_long.append(f"{item.path}: {section.metadata['section']}")
    assert too_long == []


TOPICS = [
    ("What does closed-source AI mean?", "closed-source-ai"),
    ("What is an open-weight model?", "open-weight-models"),
    ("Why is the term open source AI contested?", "open-source-ai"),
    ("What levels of openness are there between API-only and fully open models?",
     "openness-spectrum"),
    ("Why is publishing weights not the same as publishing source code?",
     "weights-vs-source-code"),
    ("What are the four freedoms in the OSI Open Source AI Definition?",
     "osi-open-source-ai-definition"),
    ("What does the Model Openness Framework measure?", "openness-frameworks"),
    ("Why does auditability favour open models?", "arguments-for-open-models"),
    ("Is it safer to keep powerful models closed because of misuse?",
     "arguments-for-closed-models"),
    ("How do open and closed models compare on cost at scale and data privacy?",
     "open-vs-closed-comparison"),
    ("How has the capability gap between open and closed models changed?",
     "capability-gap-over-time"),
    ("How does the EU AI Act treat open-source models?", "eu-ai-act-open-source"),
    ("What does America's AI Action Plan say about open-weight models?", "us-ai-policy"),
    ("What did the Digital Omnibus change about the AI Act's high-risk deadlines?",
     "eu-ai-act-open-source"),
    ("What is quantisation?", "glossary"),
    ("What should I check in a model licence before shipping a product?",
     "how-to-choose-a-model-licence"),
    ("Who makes Claude and how can it be accessed?", "anthropic-claude"),
    ("What licence is DeepSeek-R1 released under?", "deepseek"),
    ("Is OLMo fully open with training data?", "ai2-olmo"),
    ("What does the Apache 2.0 licence say about patents?", "apache-2.0"),
    ("Can I use a CC BY-NC 4.0 model commercially?", "cc-by-nc-4.0"),
    ("What does the AGPL require for software used over a network?", "agpl-3.0"),
]


@pytest.mark.parametrize("question,doc", TOPICS, ids=[d for _, d in TOPICS])
def test_each_topic_retrieves_its_document(full, question, doc):
    """The document, or for a model family one of its rows in the table, or the glossary's
    entry for the very term asked about that points to the document, is in the top 3."""
    family = {f"model:{r.id}": r.family for r in read_models(CORPUS)}
    found = full.search(question, k=3)
    top = [p.source_id for p in found]
    entry = [p for p in found if p.source_id == "glossary" and f"]({doc}.md)" in p.body
             and re.sub(r"\s*\(.*\)$", "", p.section.split(" > ")[-1]).lower()
             in question.lower()]
    assert doc in top or doc in {family.get(s) for s in top} or entry, top


FAMILIES = sorted({r.family: r for r in read_models(CORPUS)}.items())


@pytest.mark.parametrize("family,row", FAMILIES, ids=[f for f, _ in FAMILIES])
def test_each_family_retrieves_its_rows(full, family, row):
    """A licence question about a family's latest row: the passages an answer is given (search,
    then kept to the entities the question names) hold that family's page or a row of it."""
    from app.answer import Answerer
    from app.entities import catalogue

    cat = catalogue(CORPUS)
    question = f"What licence is {row.name} released under?"
    passages = Answerer(full.settings, retriever=full).focus(
        question, full.search(question, k=5), cat.link(question), cat, 3)
    rows = {f"model:{r.id}": r.family for r in read_models(CORPUS)}
    top = [p.source_id for p in passages]
    assert family in top or family in {rows.get(s) for s in top}, top


def test_search_puts_the_named_licence_ahead_of_its_neighbours(full):
    """Entity scoping: a Llama 3.1 question gets Llama 3.1's clauses ahead of other licences'
    (Llama 4's, LLaMA 1's); with the boost off those neighbours crowd in."""
    from app.entities import catalogue

    cat = catalogue(CORPUS)
    question = "Under the Llama 3.1 licence, may I use outputs to improve another model?"
    mine = cat.on_topic(cat.link(question))
    top = [p.source_id for p in full.search(question, k=3)]
    assert top[0] in mine and not any(cat.owner(s) and s not in mine for s in top), top
    full.settings.entity_boost = 0
    try:
        plain = [p.source_id for p in full.search(question, k=5)]
    finally:
        full.settings.entity_boost = 1.0
    assert any(cat.owner(s) and s not in mine for s in plain), plain
