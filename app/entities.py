"""Entities: every model, family, licence and developer the knowledge base knows, with aliases,
built from corpus/models.yaml, corpus/licences.yaml and the model pages. A question is linked to
the entities it names, so retrieval and fact answers stay on the thing that was asked about."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

from app.load import (
    DescribedLicence,
    LicenceEntry,
    ModelRow,
    markdown_sections,
    read_described_licences,
    read_licence_facts,
    read_licence_list,
    read_models,
    read_yaml,
    split_front_matter,
)

EntityType = Literal["model", "family", "licence", "developer"]

# words that name who makes a model, stripped from a model's name to get its short alias
DEVELOPER_WORDS = {"meta", "openai", "google", "anthropic", "microsoft", "mistral ai", "nvidia",
                   "ibm", "apple", "cohere", "xai", "ai2", "tii", "moonshot", "zhipu", "baidu",
                   "alibaba", "bigcode", "eleutherai", "stability ai", "black forest labs"}
# aliases too common in ordinary English to link on their own
AMBIGUOUS = {"ai", "the", "open", "model", "models", "license", "community", "terms", "use",
             "agreement", "version", "cloud", "institute", "research", "llm", "stable", "hugging",
             "technology", "allen", "o", "stability", "command", "small", "large", "medium",
             "nano", "mini", "code", "flash", "pro", "max", "next", "vision", "thinking",
             "instruct", "chat", "base", "black", "forest"}

# words that begin model names but mean something else alone ('the original licence')
NOT_NAMES = {"original", "fable", "mythos"}

# "DeepSeek-V3's original weights": of the releases a name may mean, the first one
ORIGINAL = re.compile(r"\b(original|initial)\b", re.I)
# "Claude's third generation": of a family, the release with that number
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
            "4th": 4, "fifth": 5, "5th": 5}
GENERATION = re.compile(r"\b(" + "|".join(ORDINALS) + r") (generation|version|release)\b", re.I)
# "Gemma's newest generation": of a family, its latest release
LATEST = re.compile(r"\b(newest|latest|most recent)\b", re.I)


def first_release(group: list[Entity]) -> list[Entity]:
    """A name that means several models, narrowed to the earliest released of them."""
    models = [e for e in group if e.type == "model"]
    if len(models) < 2:
        return group
    first = min(models, key=lambda e: e.rows[0].released)
    return [e for e in group if e.type != "model" or e is first]


def norm(text: str) -> str:
    """Lower case, one spelling of licence, separators as spaces, letters and digits apart:
    'Llama-3.1-8B', 'llama3.1 8b' and 'LLaMA 3.1 8B' all become 'llama 3.1 8 b'."""
    text = text.lower().replace("’", "'").replace("licence", "license")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", text)
    text = re.sub(r"[^a-z0-9.+]+", " ", text)
    text = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", text)  # a dot stays only inside a number
    return " ".join(text.split())


@dataclass
class Entity:
    id: str  # "model:llama-3-1", "licence:apache-2.0", "family:meta-llama-3", "developer:meta"
    type: EntityType
    name: str
    aliases: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)  # source ids of passages about it
    rows: list[ModelRow] = field(default_factory=list)  # model rows (one for a model)
    licence: LicenceEntry | None = None
    described: DescribedLicence | None = None  # a licence known from a summary, not its text

    @property
    def key(self) -> str:
        return self.id.split(":", 1)[1]


def strip_parens(name: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", name).strip()


def model_aliases(row: ModelRow) -> set[str]:
    """'Llama 3.3 70B Instruct' -> {'llama 3.3 70 b instruct', 'llama 3.3', ...}."""
    names = {row.name, strip_parens(row.name), *row.aliases}
    if not re.search(r"\d", row.id):
        names.add(row.id.replace("-", " "))
    names |= {p.strip() for p in re.findall(r"\(([^)]*)\)", row.name)
              if re.match(r"[A-Za-z]", p) and "," not in p and " " not in p.strip()
              and re.search(r"\d", p) and not re.fullmatch(r"[\d.]+[BbMm]", p.strip())}
    # 'Gemma (2B, 7B)' is also called 'Gemma 7B': the name with each size it lists
    names |= {f"{strip_parens(row.name)} {size}" for inner in re.findall(r"\(([^)]*)\)", row.name)
              for part in re.split(r"[,;]", inner)
              if (size := (part.split() or [""])[0]) and re.fullmatch(r"\d+(\.\d+)?[BM]", size)}
    out = set()
    for name in names:
        n = norm(name)
        for dev in DEVELOPER_WORDS:
            if n.startswith(dev + " "):
                out.add(n[len(dev) + 1:])
        out.add(n)
        # 'llama 3.3 70 b instruct' -> 'llama 3.3'; not 'gpt 4 o' -> 'gpt 4'
        short = re.match(r"^([a-z][a-z ]*?) (\d+(?:\.\d+)?)(?: ([a-z])\b)?", n)
        if short and name == strip_parens(row.name) and short.group(3) in (None, "b", "m"):
            out.add(f"{short.group(1)} {short.group(2)}")
    return {a for a in out if a and a not in AMBIGUOUS}


def licence_aliases(entry: LicenceEntry) -> set[str]:
    names = {entry.key, entry.spdx.removeprefix("LicenseRef-scancode-"), entry.name, *entry.aliases}
    out = set()
    for name in names:
        n = norm(name)
        out.add(n)
        n = re.sub(r"\b(19|20)\d\d\b", "", n).strip()  # the year in a name
        out.add(" ".join(n.split()))
        bare = re.sub(r"\b(the|license|agreement|international|public)\b", " ", n)
        out.add(" ".join(bare.split()))
    return {a for a in out if a and a not in AMBIGUOUS and len(a) > 2 or a == "mit"}


def described_aliases(entry: DescribedLicence) -> set[str]:
    names = {entry.name, strip_parens(entry.name), *entry.aliases}
    return {a for a in map(norm, names) if a not in AMBIGUOUS and len(a) > 2}


def family_aliases(rows: list[ModelRow]) -> set[str]:
    """A family is called by the first word most of its rows' names share ('Llama', 'Qwen'),
    or its first two where that word is generic ('GPT-NeoX', 'Stable Diffusion')."""
    votes: dict[str, int] = defaultdict(int)
    for row in rows:
        words = [w for w in norm(strip_parens(row.name)).split() if w not in DEVELOPER_WORDS]
        if not words or words[0][0].isdigit():
            continue
        word = words[0]
        if word in ("stable", "gpt") and len(words) > 1 and not words[1][0].isdigit():
            votes[f"{word} {words[1]}"] += 1
        elif len(word) >= 3 and word not in AMBIGUOUS:
            votes[word] += 1
    best = max(votes.values(), default=0)
    return {alias for alias, n in votes.items() if n == best or 2 * n >= len(rows)}


def drop_borrowed_names(models: list[Entity]) -> None:
    """An alias that is another family's model's own name belongs to that model alone:
    'Llama 3.1' is Meta's row, not NVIDIA's Llama-3.1-Nemotron."""
    owner = {norm(strip_parens(m.rows[0].name)): m.rows[0].family for m in models}
    for m in models:
        m.aliases = {a for a in m.aliases if owner.get(a, m.rows[0].family) == m.rows[0].family}


def developer_aliases(name: str) -> set[str]:
    n = norm(strip_parens(name))
    out = {n, n.split()[0]}
    inner = re.findall(r"\(([^)]*)\)", name)
    out |= {norm(p) for p in inner if " " not in p.strip() and "," not in p}
    return {a for a in out if a and a not in AMBIGUOUS}


class Catalogue:
    """All entities and an alias index; `link` finds the entities a question names."""

    def __init__(self, entities: list[Entity], text: str = "",
                 items: dict[str, tuple[list[str], str, str]] | None = None,
                 facts: dict | None = None, summaries: dict[str, str] | None = None):
        self.facts = facts or {}  # licence key -> its structured facts (licence-facts.yaml)
        # described licence key -> the text of its summary page's section about it
        self.summaries = summaries or {}
        self.text = text  # the whole corpus, lower case: is a name mentioned anywhere?
        # document id -> (its list's sections, the questions they answer, the subject named)
        self.items = items or {}
        self.entities = {e.id: e for e in entities}
        self.by_alias: dict[str, list[Entity]] = defaultdict(list)
        for entity in entities:
            for alias in entity.aliases:
                self.by_alias[alias].append(entity)
        self._longest = max((len(a.split()) for a in self.by_alias), default=1)

    def get(self, entity_id: str) -> Entity | None:
        return self.entities.get(entity_id)

    @cached_property
    def licence_names(self) -> dict[str, str]:
        """Every normalised licence name -> its licence's id."""
        return {a: e.id for e in self.entities.values() if e.type == "licence" for a in e.aliases}

    @cached_property
    def makers(self) -> tuple[dict[str, set[str]], set[str]]:
        """Every normalised model or family name -> its rows' developers (normalised), and
        every normalised developer name."""
        made_by: dict[str, set[str]] = defaultdict(set)
        for e in self.entities.values():
            if e.type in ("model", "family"):
                for alias in e.aliases:
                    made_by[alias] |= {norm(r.developer) for r in e.rows}
        names = {a for e in self.entities.values() if e.type == "developer" for a in e.aliases}
        return dict(made_by), names

    @cached_property
    def access(self) -> dict[str, str]:
        """Every normalised model name -> how its weights are reached (api, download, gated);
        a family's name too when all its releases are API-only or all are not."""
        kinds = {e.id: {r.access == "api" for r in e.rows} for e in self.entities.values()}
        return {a: e.rows[0].access for e in self.entities.values()
                if e.type == "model" or e.type == "family" and len(kinds[e.id]) == 1
                for a in e.aliases}

    def licence_of(self, row: ModelRow) -> Entity | None:
        return self.entities.get(f"licence:{row.licence}")

    def rows_under(self, lic: Entity) -> list[ModelRow]:
        """The table rows released under a licence."""
        return [e.rows[0] for e in self.entities.values()
                if e.type == "model" and e.rows[0].licence == lic.key]

    def service_terms(self, row: ModelRow) -> Entity | None:
        """For a model reached only through its developer's services (GPT-4), the terms of
        service Faultline holds for them (OpenAI's Terms of Use), if any."""
        return next((e for e in self.entities.values() if e.type == "licence" and e.licence
                     and e.licence.services_of and e.licence.services_of == row.developer
                     and row.access == "api"), None)

    def mentions(self, question: str) -> list[list[Entity]]:
        """The names in the question, in order, each with the entities it may mean; the
        longest alias wins ('Llama 3.1' over 'Llama'; 'GPT-4o' over 'GPT-4')."""
        tokens = norm(question).split()
        found: list[list[Entity]] = []
        i = 0
        while i < len(tokens):
            for size in range(min(self._longest, len(tokens) - i), 0, -1):
                alias = " ".join(tokens[i:i + size])
                if alias in self.by_alias:
                    group, size = self.line(list(self.by_alias[alias]), tokens, i, size)
                    found.append(group)
                    i += size
                    break
            else:
                begun = self.starts.get(tokens[i], [])  # 'Mixtral': Mixtral 8x7B and 8x22B
                if begun:
                    found.append(begun)
                i += 1
        found = [g for g in found if not self.restated(g, found)]
        if ORIGINAL.search(question):
            found = [first_release(group) for group in found]
        elif LATEST.search(question):
            found = [self.latest_release(group) for group in found]
        elif GENERATION.search(question):
            nth = GENERATION.search(question).group(1).lower()
            found = [self.generation(group, ORDINALS[nth]) for group in found]
        return found

    @cached_property
    def starts(self) -> dict[str, list[Entity]]:
        """A word no entity is named by alone that begins model names ('mixtral' of
        'mixtral 8x7 b' and 'mixtral 8x22 b') -> those models."""
        out: dict[str, list[Entity]] = defaultdict(list)
        for e in self.entities.values():
            if e.type == "model":
                for word in {a.split()[0] for a in e.aliases if " " in a}:
                    if word not in self.by_alias and word not in AMBIGUOUS | NOT_NAMES \
                            and len(word) > 3 \
                            and e not in out[word]:
                        out[word].append(e)
        return dict(out)

    def line(self, group: list[Entity], tokens: list[str], i: int, size: int
             ) -> tuple[list[Entity], int]:
        """A family name and the words after it that begin model names ('Mistral Large' of
        'Mistral Large 2' and 'Mistral Large 3'): those models, and the tokens they span."""
        if any(e.type not in ("family", "developer") for e in group) or not any(
                e.type == "family" for e in group) or i + size < len(tokens) and (
                tokens[i + size] in self.by_alias):  # 'Meta Llama': two names, not a line
            return group, size
        rows = [r for e in group for r in e.rows]
        for more in range(min(3, len(tokens) - i - size), 0, -1):
            begun = " ".join(tokens[i:i + size + more]) + " "
            models = [e for e in self.entities.values() if e.type == "model"
                      and e.rows[0] in rows and any(a.startswith(begun) for a in e.aliases)]
            if models:
                return models, size + more
        return group, size

    def restated(self, group: list[Entity], found: list[list[Entity]]) -> bool:
        """A bare family word ('Llama', which may mean four families) in a question that
        also names one model or licence of one of those families: the word repeats that
        name ('must the Llama 3.1 licensee put "Llama" in the name?'), it adds no entity."""
        if len(group) < 2 or any(e.type != "family" for e in group):
            return False
        rows = [r for e in group for r in e.rows]
        return any(len(other) == 1 and other[0].type in ("model", "licence") and (
            other[0].rows and other[0].rows[0] in rows
            or any(r.licence == (other[0].licence and other[0].licence.key) for r in rows))
            for other in found if other is not group)

    def generation(self, group: list[Entity], number: int) -> list[Entity]:
        """A family asked about by its nth generation ('Claude's third generation'): the model
        whose alias is the family's name and that number ('claude 3'), if one is."""
        if any(e.type != "family" for e in group):
            return group
        wanted = {f"{alias} {number}" for e in group for alias in e.aliases}
        rows = [r for e in group for r in e.rows]
        models = [e for e in self.entities.values() if e.type == "model"
                  and e.rows[0] in rows and e.aliases & wanted]
        return models or group

    def latest_release(self, group: list[Entity]) -> list[Entity]:
        """A family asked about by its newest release ('the newest Gemma generation', 'the
        latest Llama'): the model of its latest row."""
        rows = [r for e in group if e.type == "family" for r in e.rows]
        if not rows or any(e.type != "family" for e in group):
            return group
        newest = max(r.released for r in rows)
        models = [self.entities.get(f"model:{r.id}") for r in rows if r.released == newest]
        return [m for m in models if m] or group

    def unknown_version(self, question: str) -> str | None:
        """A known family with a version no row has ('Phi-2', 'Llama 5'), as written."""
        tokens = norm(question).split()
        families = {a for e in self.entities.values() if e.type == "family" for a in e.aliases}
        models = {a for e in self.entities.values() if e.type == "model" for a in e.aliases}
        for i in range(len(tokens) - 1):
            versioned = tokens[i] in families and re.fullmatch(r"\d+(\.\d+)?", tokens[i + 1])
            if versioned and not any(" ".join(tokens[i:j]) in models
                                     for j in range(i + 2, len(tokens) + 1)):
                return f"{tokens[i]} {tokens[i + 1]}"
        return None

    def link(self, question: str) -> list[Entity]:
        """Entities named in the question, in order of appearance."""
        out: list[Entity] = []
        for group in self.mentions(question):
            out += [e for e in group if e not in out]
        return out

    def sources_of(self, entities: list[Entity]) -> set[str]:
        return set().union(*(e.sources for e in entities)) if entities else set()

    def on_topic(self, specific: list[Entity]) -> set[str]:
        """The sources about these entities, with the licence texts of the models among them
        (what retrieval lifts)."""
        mine = self.sources_of(specific)
        for e in specific:
            for row in e.rows:
                for lic in (self.licence_of(row), self.service_terms(row)):
                    mine |= lic.sources if lic else set()
        return mine

    def related(self, linked: list[Entity]) -> set[str]:
        """Every source an answer about these entities may cite: those on topic, the use
        policies their licences incorporate, and for a licence the rows under it and their
        families' pages (not lifted in retrieval, where they crowd out the clauses)."""
        mine = self.on_topic(linked)
        for e in linked:
            if e.type == "licence":
                mine |= {s for r in self.rows_under(e) for s in (f"model:{r.id}", r.family)}
            for lic in [e, *map(self.licence_of, e.rows)]:
                policy = lic and lic.licence and self.get(f"licence:{lic.licence.policy}")
                mine |= policy.sources if policy else set()
        return mine

    def owner(self, source_id: str) -> set[str]:
        """Ids of the specific entities (models and licences) a source is about."""
        return {e.id for e in self.entities.values() if e.type in ("model", "licence")
                and source_id in e.sources}


def page_front_matter(path: Path) -> dict:

    if not path.is_file():  # a family without a page of its own
        return {}
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return {}
    return read_yaml(text.split("---", 2)[1]) or {}


def section_text(path: Path, heading: str) -> str:
    """The text of a page's section under a '## heading' ('' when the page has none), split
    as ingest splits it."""
    if not path.is_file():
        return ""
    _, body = split_front_matter(path.read_text(encoding="utf-8"))
    return next((text for name, text in markdown_sections(body) if name == heading), "")


def build(corpus_dir: Path) -> Catalogue:
    """The catalogue of one corpus folder (models table, licence list, model pages and
    licence explainers)."""
    rows, licences = read_models(corpus_dir), read_licence_list(corpus_dir)
    explainers: dict[str, list[str]] = defaultdict(list)  # licence key -> explainer ids
    for path in sorted((corpus_dir / "licences").glob("*.md")):
        meta = page_front_matter(path)
        for key in meta.get("licence_keys", []):
            explainers[key].append(meta["id"])
    entities: list[Entity] = []
    lic_entities = {}
    for entry in licences:
        e = Entity(f"licence:{entry.key}", "licence", entry.name, licence_aliases(entry),
                   {f"licence:{entry.key}", *explainers.get(entry.key, [])}, licence=entry)
        lic_entities[entry.key] = e
        entities.append(e)
    summaries = {}
    for desc in read_described_licences(corpus_dir):
        e = Entity(f"licence:{desc.key}", "licence", desc.name, described_aliases(desc),
                   {desc.page} - {""}, described=desc)
        lic_entities[desc.key] = e
        entities.append(e)
        summaries[desc.key] = section_text(corpus_dir / "licences" / f"{desc.page}.md",
                                           desc.section) if desc.page else ""
    families: dict[str, Entity] = {}
    developers: dict[str, Entity] = {}
    for row in rows:
        model = Entity(f"model:{row.id}", "model", strip_parens(row.name), model_aliases(row),
                       {f"model:{row.id}", row.family}, [row])
        entities.append(model)
        fam = families.setdefault(row.family, Entity(f"family:{row.family}", "family",
                                                     row.family, sources={row.family}))
        fam.rows.append(row)
        fam.sources.add(f"model:{row.id}")
        dev_id = f"developer:{norm(strip_parens(row.developer)).replace(' ', '-')}"
        dev = developers.setdefault(dev_id, Entity(dev_id, "developer", row.developer,
                                                   developer_aliases(row.developer)))
        dev.rows.append(row)
        dev.sources |= {f"model:{row.id}", row.family}
    for fam in families.values():
        fam.aliases |= family_aliases(fam.rows)
    drop_borrowed_names([e for e in entities if e.type == "model"])
    for fam in families.values():
        titles = page_front_matter(corpus_dir / "models" / f"{fam.key}.md").get("title", "")
        fam.name = titles or fam.name
        fam.aliases -= AMBIGUOUS
    family_words = set().union(*(f.aliases for f in families.values()))
    model_words = set()
    for e in entities:
        if e.type == "model":
            e.aliases -= family_words  # a bare "Gemma" means the family, not its first row
            model_words |= e.aliases
    # "Llama's licence" is whichever Llama licence the user means, not the first one's
    several = {f"{a} license" for f in families.values() if len({r.licence for r in f.rows}) > 1
               for a in f.aliases}
    spelt = {k: {norm(n) for n in (e.name, *(e.licence or e.described).aliases)}
             for k, e in lic_entities.items()}
    for k, e in lic_entities.items():
        # a name another licence gives itself is that licence's, not one read from a key:
        # 'Llama 4 licence' is the Community License, not the use policy ScanCode keys
        # 'llama-4-license-2025'
        keyed = {norm(k), " ".join(re.sub(r"\b(19|20)\d\d\b", "", norm(k)).split())}
        e.aliases -= keyed & set().union(*(v for other, v in spelt.items() if other != k))
    for e in lic_entities.values():
        # "Llama 3.1" is the model, "Qwen" the family; "Llama 3.1 licence" is the licence
        named = {norm(n) for n in (e.name, *(e.licence or e.described).aliases)}  # 'Qwen
        # License' is its name
        e.aliases -= model_words | family_words | (several - named)
    entities += [*families.values(), *developers.values()]
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace").lower()
                     for p in sorted(corpus_dir.rglob("*")) if p.suffix in (".md", ".yaml"))
    items = {}
    for path in sorted((corpus_dir / "articles").glob("*.md")):
        meta = page_front_matter(path)
        if meta.get("items"):
            items[meta["id"]] = (meta["items"], meta.get("items_when", ""),
                                 meta.get("items_for", ""))
    return Catalogue(entities, text, items, read_licence_facts(corpus_dir), summaries)


@lru_cache(maxsize=4)
def catalogue(corpus_dir: Path) -> Catalogue:
    return build(corpus_dir)
