"""Stage 1: files -> sections. Reads the corpus (Markdown, text, HTML, PDF), the licence texts
named in corpus/licences.yaml and the model openness table into LangChain Documents, one per
section, each with typed metadata (records.SectionMeta)."""

from __future__ import annotations

import hashlib
import importlib.util
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from langchain_core.documents import Document
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, model_validator

from app.records import SectionMeta
from app.settings import Settings

TEXT_TYPES = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".html": "html",
              ".htm": "html", ".pdf": "pdf"}
SKIP_NAMES = {"README.md", "FORMAT.md"}
LICENCE_LIST = "licences.yaml"
LICENCE_FACTS = "licence-facts.yaml"
MODELS_TABLE = "models.yaml"


# ---------------------------------------------------------------- schemas


class SourceLink(BaseModel):
    title: str
    url: HttpUrl


class FrontMatter(BaseModel):
    """Front matter of a knowledge-base document we write."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")
    title: str
    kind: Literal["article", "model"] = "article"
    topics: list[str] = Field(default_factory=list)
    licence_keys: list[str] = Field(default_factory=list)
    sources: list[SourceLink] = Field(default_factory=list)
    items: list[str] = Field(default_factory=list)  # sections that are the items of its list
    items_when: str = ""  # regex: the list questions those items answer
    items_for: str = ""  # regex: the subject that names the page even when it ranks low
    updated: date | None = None


class LicenceEntry(BaseModel):
    """One licence of corpus/licences.yaml, its text read from the installed ScanCode data."""

    key: str
    name: str
    spdx: str
    family: str
    url: HttpUrl
    osi_approved: bool = False
    aliases: list[str] = Field(default_factory=list)  # more names users call it by
    policy: str = ""  # key of a use policy the licence incorporates by reference, if we hold it
    # terms of service, not a licence: the developer whose hosted models they govern
    services_of: str = ""


class DescribedLicence(BaseModel):
    """A licence whose text no installed package ships: Faultline describes it from the
    models table and its summary page (where we wrote one), and never quotes it."""

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")  # our key; models.yaml rows use it
    name: str
    aliases: list[str] = Field(default_factory=list)
    page: str = ""  # id of its summary page in corpus/licences, if we wrote one
    section: str = ""  # heading of that page's part about this licence


class LicenceList(BaseModel):
    licences: list[LicenceEntry]
    described: list[DescribedLicence] = Field(default_factory=list)


# the questions users ask of a licence, answered per licence in corpus/licence-facts.yaml
FACT_KEYS = ["commercial_use", "user_threshold", "attribution", "naming_rule", "outputs_training",
             "use_policy", "patent_grant", "patent_termination", "share_alike", "modification",
             "redistribution", "governing_law", "military_use", "medical_use", "eu_use",
             "hosted_service", "network_source", "change_notices", "trademarks", "output_ownership",
             "termination", "fee"]


class Threshold(BaseModel):
    """A licence's user or revenue threshold as numbers, and what crossing it means."""

    model_config = ConfigDict(extra="forbid")

    monthly_active_users: int | None = None
    annual_revenue_usd: int | None = None
    monthly_revenue_usd: int | None = None
    above: Literal["permission", "conditions", "forbidden"]


class LicenceFact(BaseModel):
    """One fact of a licence, checked against its text: the verdict, one sentence in our words,
    the section it comes from, and a verbatim quote that a test finds in the text."""

    model_config = ConfigDict(extra="forbid")

    value: Literal["yes", "no", "conditional", "silent", "unknown"]
    detail: str = Field(max_length=240)
    section: str = ""
    quote: str = ""
    threshold: Threshold | None = None  # user_threshold only: the numbers, for the checker


class LicenceFactsFile(BaseModel):
    licences: dict[str, dict[str, LicenceFact]]


Level = Literal["none", "partial", "full"]

# the openness components recorded per row, after the European Open Source AI Index, the Model
# Openness Framework and the OSI definition's checklist (docs/corpus-format.md defines each value)
COMPONENTS = ["base_weights", "instruct_weights", "training_data", "data_documentation",
              "training_code", "inference_code", "evaluation", "paper", "model_card",
              "checkpoints", "use_policy"]
COMPONENT_NAMES = {"base_weights": "base weights", "instruct_weights": "instruct weights",
                   "training_data": "training data", "data_documentation": "data documentation",
                   "training_code": "training code", "inference_code": "inference code",
                   "evaluation": "evaluation", "paper": "paper or technical report",
                   "model_card": "model card", "checkpoints": "intermediate checkpoints",
                   "use_policy": "use policy"}


class Cell(BaseModel):
    """One openness component of a row: its value and the page that shows it."""

    model_config = ConfigDict(extra="forbid")

    value: Literal["open", "partial", "closed", "unknown"]
    url: HttpUrl | None = None
    note: str = Field(default="", max_length=200)

    @model_validator(mode="after")
    def _evidence(self) -> Cell:
        if self.value != "unknown" and self.url is None:
            raise ValueError(f"a {self.value!r} cell needs the url that shows it")
        return self


class Openness(BaseModel):
    """A row's openness components, the OSI verdict and MOF class, and when they were checked."""

    model_config = ConfigDict(extra="forbid")

    verified: date
    base_weights: Cell
    instruct_weights: Cell
    training_data: Cell
    data_documentation: Cell
    training_code: Cell
    inference_code: Cell
    evaluation: Cell
    paper: Cell
    model_card: Cell
    checkpoints: Cell
    use_policy: Cell
    osaid: Literal["open source ai", "not open source ai", "not assessed"] = "not assessed"
    osaid_url: HttpUrl | None = None
    mof_class: Literal["I", "II", "III", "none", "unknown"] = "unknown"
    mof_url: HttpUrl | None = None

    @model_validator(mode="after")
    def _verdict_sources(self) -> Openness:
        if self.osaid != "not assessed" and self.osaid_url is None:
            raise ValueError("an OSI verdict needs osaid_url, the page where OSI published it")
        return self

    def cells(self) -> dict[str, Cell]:
        return {key: getattr(self, key) for key in COMPONENTS}

    def sentence(self) -> str:
        """The components as one sentence a passage can carry."""
        parts = ", ".join(f"{COMPONENT_NAMES[k]} {c.value}" for k, c in self.cells().items())
        osaid = {"open source ai": "listed by OSI as Open Source AI",
                 "not open source ai": "not Open Source AI in OSI's validation",
                 "not assessed": "no OSI verdict"}[self.osaid]
        return (f"openness components checked {self.verified:%d %B %Y}: {parts}; {osaid}; "
                f"MOF class {self.mof_class}.")


class ModelRow(BaseModel):
    """One row of the model openness table."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")
    name: str
    family: str
    developer: str
    released: date
    date_precision: Literal["day", "month"] = "day"
    access: Literal["api", "download", "gated"]
    licence: str
    licence_name: str
    osi_approved: bool
    weights: Level
    training_code: Level
    training_data: Level
    commercial_use: Literal["yes", "restricted", "no"]
    restrictions: str = ""
    aliases: list[str] = Field(default_factory=list)  # more names users call it by
    sources: list[SourceLink] = Field(min_length=1)
    openness: Openness | None = None

    def passage(self) -> str:
        """The row as one retrievable sentence-style passage."""
        access = {"api": "available only through an API",
                  "download": "weights downloadable", "gated": "weights downloadable after "
                  "accepting terms (gated)"}[self.access]
        when = self.released.strftime("%B %Y" if self.date_precision == "month" else "%d %B %Y")
        osi = "an OSI-approved licence" if self.osi_approved else "not an OSI-approved licence"
        text = (f"{self.name} by {self.developer}, released {when}: {access}; licence: "
                f"{self.licence_name} ({osi}). Published: weights {self.weights}, training code "
                f"{self.training_code}, training data {self.training_data}. Commercial use: "
                f"{self.commercial_use}.")
        return text + (f" Notable restrictions: {self.restrictions}" if self.restrictions else "")


class ModelsTable(BaseModel):
    models: list[ModelRow]


# ---------------------------------------------------------------- results


@dataclass
class LoadError:
    """A source that could not be loaded: which, why, and how to fix it."""

    source: str
    reason: str
    fix: str = ""

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}" + (f" ({self.fix})" if self.fix else "")


@dataclass
class Source:
    """One loaded source: its identity, a content hash, and its sections as Documents."""

    id: str
    title: str
    kind: str
    path: str
    content_hash: str
    sections: list[Document] = field(default_factory=list)


class SourceRejected(ValueError):
    """Raised by a loader with a user-facing reason and fix."""

    def __init__(self, reason: str, fix: str = ""):
        super().__init__(reason)
        self.reason, self.fix = reason, fix


def read_yaml(text: str):
    """YAML with libyaml's C loader when the install has it (the table is 160 rows)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506


def digest(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode()
    return hashlib.sha256(data).hexdigest()


Part = tuple[str, str]  # (section label, text), as a loader reads them


def sections_of(meta: SectionMeta, parts: list[Part]) -> list[Document]:
    """One Document per non-empty part, its metadata the source's with the part's label."""
    return [Document(page_content=text.strip(),
                     metadata=meta.model_copy(update={"section": label}).model_dump())
            for label, text in parts if text.strip()]


# ---------------------------------------------------------------- files


def read_text(raw: bytes) -> str:
    if not raw.strip():
        raise SourceRejected("the file is empty", "add some text or remove the file")
    if b"\x00" in raw:
        raise SourceRejected("binary content, not text", "save it as UTF-8 text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceRejected(
            f"not valid UTF-8 (byte {exc.start})", "re-save the file with UTF-8 encoding"
        ) from exc


FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.S)


def split_front_matter(text: str) -> tuple[dict, str]:
    match = FRONT.match(text)
    if not match:
        return {}, text
    try:
        meta = read_yaml(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise SourceRejected(
            f"malformed front matter: {str(exc).splitlines()[0]}",
            "fix the YAML between the --- lines",
        ) from exc
    if not isinstance(meta, dict):
        raise SourceRejected("malformed front matter: not a mapping", "use `key: value` lines")
    return meta, text[match.end():]


def markdown_sections(body: str) -> list[Part]:
    from langchain_text_splitters import MarkdownHeaderTextSplitter

    splitter = MarkdownHeaderTextSplitter(
        [("#", "h1"), ("##", "h2"), ("###", "h3")], strip_headers=True
    )
    return [(" > ".join(part.metadata[h] for h in ("h2", "h3") if h in part.metadata),
             part.page_content) for part in splitter.split_text(body)]


def load_markdown(raw: bytes, rel: str) -> tuple[dict, list[Part]]:
    text = read_text(raw)
    front, body = split_front_matter(text)
    if front:
        try:
            fm = FrontMatter.model_validate(front)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            raise SourceRejected(
                f"malformed front matter: {where}: {err['msg']}", "see docs/corpus-format.md"
            ) from exc
        info = {"id": fm.id, "title": fm.title, "kind": fm.kind,
                "url": str(fm.sources[0].url) if fm.sources else ""}
    else:
        heading = re.search(r"^#\s+(.+)$", body, re.M)
        info = {"id": rel, "title": heading.group(1).strip() if heading else Path(rel).stem,
                "kind": "article", "url": ""}
    return info, markdown_sections(body)


def load_html(raw: bytes, rel: str) -> tuple[dict, list[Part]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(read_text(raw), "html.parser")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    title = soup.title.get_text(strip=True) if soup.title else Path(rel).stem
    text = re.sub(r"\n\s*\n+", "\n\n", soup.get_text("\n"))
    if not text.strip():
        raise SourceRejected("the HTML page has no visible text")
    return {"id": rel, "title": title, "kind": "article", "url": ""}, [("", text)]


def load_pdf(raw: bytes, rel: str) -> tuple[dict, list[Part]]:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        pages = [(n, (p.extract_text() or "")) for n, p in enumerate(reader.pages, 1)]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise SourceRejected(f"corrupt PDF ({exc})", "re-export the PDF") from exc
    docs = [(f"page {n}", t) for n, t in pages if t.strip()]
    if not docs:
        raise SourceRejected(
            "the PDF has no text layer (a scan?)", "run OCR on it or add a text version"
        )
    title = (reader.metadata.title if reader.metadata else None) or Path(rel).stem
    return {"id": rel, "title": str(title), "kind": "article", "url": ""}, docs


def load_plain(raw: bytes, rel: str) -> tuple[dict, list[Part]]:
    text = read_text(raw)
    first = text.strip().splitlines()[0].strip()
    title = first if len(first) < 100 else Path(rel).stem
    return {"id": rel, "title": title, "kind": "article", "url": ""}, [("", text)]


LOADERS = {"markdown": load_markdown, "html": load_html, "pdf": load_pdf, "text": load_plain}


def load_file(path: Path, rel: str, max_bytes: int) -> Source:
    """Load one file; raises SourceRejected with a reason the user can act on."""
    kind = TEXT_TYPES.get(path.suffix.lower())
    if kind is None:
        raise SourceRejected(
            f"unsupported file type {path.suffix or '(none)'}",
            "use .md, .txt, .html or .pdf",
        )
    size = path.stat().st_size
    if size > max_bytes:
        raise SourceRejected(
            f"too large ({size / 1e6:.1f} MB > {max_bytes / 1e6:.0f} MB)",
            "split it or raise FAULTLINE_MAX_FILE_MB",
        )
    raw = path.read_bytes()
    info, parts = LOADERS[kind](raw, rel)
    meta = SectionMeta(source_id=info["id"], title=info["title"], kind=info["kind"],
                       url=info["url"], path=rel)
    return Source(info["id"], info["title"], info["kind"], rel, digest(raw),
                  sections_of(meta, parts))


def walk(folder: Path) -> Iterator[tuple[Path, str]]:
    """Files under a folder (sorted, hidden ones and our YAML tables left out)."""
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if path.name in SKIP_NAMES or path.name in (LICENCE_LIST, LICENCE_FACTS, MODELS_TABLE):
            continue
        yield path, rel.as_posix()


def load_folder(folder: Path, prefix: str, settings: Settings) -> Iterator[Source | LoadError]:
    root = folder.resolve()
    for path, rel in walk(folder):
        name = f"{prefix}{rel}"
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            yield LoadError(name, "symlink pointing outside the corpus folder",
                            "copy the file into the folder instead")
            continue
        try:
            source = load_file(path, name, int(settings.max_file_mb * 1e6))
        except SourceRejected as exc:
            yield LoadError(name, exc.reason, exc.fix)
        except OSError as exc:
            yield LoadError(name, f"cannot read ({exc.strerror})", "check its permissions")
        else:
            yield source


# ---------------------------------------------------------------- licences


def licence_data_dir() -> Path | None:
    """ScanCode's licence texts, found without importing ScanCode (its API needs more deps)."""
    spec = importlib.util.find_spec("licensedcode")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "licenses"


@lru_cache(maxsize=32)
def _parsed(path: Path, stamp: tuple[int, int], model: type[BaseModel]) -> BaseModel:
    return model.model_validate(read_yaml(path.read_text()))


def parsed(path: Path, model: type[BaseModel]) -> Any:
    """A YAML file validated into `model`, parsed again only when the file changes (the
    tables are read for every checked model and every page view). Treat it as read-only."""
    stat = path.stat()
    return _parsed(path, (stat.st_mtime_ns, stat.st_size), model)


def read_licence_list(corpus_dir: Path) -> list[LicenceEntry]:
    path = corpus_dir / LICENCE_LIST
    if not path.exists():
        return []
    return parsed(path, LicenceList).licences


def read_described_licences(corpus_dir: Path) -> list[DescribedLicence]:
    """The licences Faultline describes from a summary page, holding no text of them."""
    path = corpus_dir / LICENCE_LIST
    return parsed(path, LicenceList).described if path.exists() else []


def read_licence_facts(corpus_dir: Path) -> dict[str, dict[str, LicenceFact]]:
    """{licence key: {fact key: fact}} from corpus/licence-facts.yaml ({} when absent)."""
    path = corpus_dir / LICENCE_FACTS
    if not path.exists():
        return {}
    return parsed(path, LicenceFactsFile).licences


HEADING = re.compile(
    r"^ {0,4}(?:Section\s+)?(?P<major>\d{1,2})(?:\.(?P<minor>\d{1,2}))?\.?\s*(?:-+\s*)?"
    r"(?P<title>[A-Z\u201c\"'][^\n]*)$"
)
ATTACHMENT = re.compile(r"^\s*(?P<title>(?:Attachment|Exhibit|Appendix|Schedule)\s+[A-Z0-9]+\b.*)$")


def licence_sections(text: str) -> list[tuple[str, str]]:
    """Split a licence at its numbered sections: [(label, text)], labels like 'Section 2'."""
    sections: list[tuple[str, list[str]]] = [("Preamble", [])]
    current, prefix = -1, ""
    for line in text.splitlines():
        att = ATTACHMENT.match(line)
        head = HEADING.match(re.sub(r"[\\*_]", "", line))
        if att and len(line) < 120:
            prefix, current = att.group("title").strip().rstrip(".:") + ", ", -1
            sections.append((prefix.rstrip(", "), [line]))
            continue
        if head:
            major = int(head.group("major"))
            minor = head.group("minor")
            first = current < 0 and major in (0, 1)
            if first or major == current + 1 or (minor and major == current):
                current = major
                number = f"{major}.{minor}" if minor else str(major)
                title = re.split(r"(?<=[a-z])\.\s", head.group("title"))[0].strip(" .:")[:70]
                sections.append((f"{prefix}Section {number}. {title}", [line]))
                continue
        sections[-1][1].append(line)
    found = [(label, "\n".join(lines).strip()) for label, lines in sections]
    found = [(label, body) for label, body in found if body]
    return [("Full text", found[0][1])] if len(found) == 1 else found


def load_licence(entry: LicenceEntry, data_dir: Path) -> Source:
    path = data_dir / f"{entry.key}.LICENSE"
    if not path.exists():
        raise SourceRejected(
            f"licence key {entry.key!r} is not in the installed licence data",
            "fix the key in corpus/licences.yaml or run `make setup`",
        )
    raw = path.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    parts = text.split("---", 2)  # YAML header between --- lines, then the text
    body = parts[2] if text.startswith("---") and len(parts) == 3 else text
    meta = SectionMeta(source_id=f"licence:{entry.key}", title=entry.name, kind="licence",
                       url=str(entry.url), path=f"licence:{entry.key}")
    return Source(meta.source_id, entry.name, "licence", meta.path, digest(raw),
                  sections_of(meta, licence_sections(body)))


# ---------------------------------------------------------------- models table


def read_models(corpus_dir: Path) -> list[ModelRow]:
    path = corpus_dir / MODELS_TABLE
    if not path.exists():
        return []
    return parsed(path, ModelsTable).models


def model_source(row: ModelRow) -> Source:
    meta = SectionMeta(source_id=f"model:{row.id}", title=f"{row.name} (openness table)",
                       kind="model", url=str(row.sources[0].url), path=f"models.yaml#{row.id}")
    parts = [("table row", row.passage())]
    if row.openness:  # its own passage, so the components do not crowd the row's facts
        name = re.sub(r"\s*\([^)]*\)", "", row.name).strip()
        parts.append(("openness components", f"{name}: {row.openness.sentence()}"))
    return Source(meta.source_id, meta.title, "model", meta.path,
                  digest(row.model_dump_json()), sections_of(meta, parts))


# ---------------------------------------------------------------- everything


def load_all(settings: Settings) -> Iterator[Source | LoadError]:
    """Every source Faultline indexes: corpus files, extra folders, licences, table rows."""
    corpus = settings.corpus_dir
    if not corpus.is_dir():
        yield LoadError(str(corpus), "corpus folder not found", "set FAULTLINE_CORPUS_DIR")
        return
    if settings.force_kind:  # the uploads folder: files only, all of one kind
        for item in load_folder(corpus, "", settings):
            if isinstance(item, Source):
                item.kind = settings.force_kind
                for section in item.sections:
                    section.metadata["kind"] = settings.force_kind
            yield item
        return
    yield from load_folder(corpus, "", settings)
    for extra in settings.extra_dirs:
        if not extra.is_dir():
            yield LoadError(str(extra), "extra folder not found", "fix FAULTLINE_EXTRA_DIRS")
            continue
        yield from load_folder(extra, f"{extra.name}/", settings)
    try:
        entries = read_licence_list(corpus)
    except (ValidationError, yaml.YAMLError) as exc:
        yield LoadError(LICENCE_LIST, f"invalid licence list: {exc}".splitlines()[0])
        entries = []
    data_dir = licence_data_dir()
    for entry in entries:
        if data_dir is None:
            yield LoadError(f"licence:{entry.key}", "licence data not installed",
                            "run `make setup` (installs scancode-toolkit-mini)")
            continue
        try:
            yield load_licence(entry, data_dir)
        except SourceRejected as exc:
            yield LoadError(f"licence:{entry.key}", exc.reason, exc.fix)
    try:
        rows = read_models(corpus)
    except (ValidationError, yaml.YAMLError) as exc:
        yield LoadError(MODELS_TABLE, f"invalid table: {exc}".splitlines()[0])
        rows = []
    for row in rows:
        yield model_source(row)


def reload_source(settings: Settings, path: str) -> Source:
    """A source read again by the path its chunks record (a corpus or extra-folder
    file, 'licence:<key>' or 'models.yaml#<id>'), to show the whole document."""
    if path.startswith("licence:"):
        key = path.split(":", 1)[1]
        entry = next((e for e in read_licence_list(settings.corpus_dir) if e.key == key), None)
        data_dir = licence_data_dir()
        if entry is None or data_dir is None:
            raise SourceRejected(f"licence {key!r} is no longer in corpus/licences.yaml")
        return load_licence(entry, data_dir)
    if path.startswith(f"{MODELS_TABLE}#"):
        row_id = path.split("#", 1)[1]
        row = next((r for r in read_models(settings.corpus_dir) if r.id == row_id), None)
        if row is None:
            raise SourceRejected(f"model {row_id!r} is no longer in the models table")
        return model_source(row)
    folders = [(settings.corpus_dir, ""), *((d, f"{d.name}/") for d in settings.extra_dirs)]
    for folder, prefix in folders:
        if prefix and not path.startswith(prefix):
            continue
        file = (folder / path[len(prefix):]).resolve()
        if file.is_relative_to(folder.resolve()) and file.is_file():
            return load_file(file, path, int(settings.max_file_mb * 1e6))
    raise SourceRejected(f"{path} is no longer in the knowledge base", "run `faultline ingest`")
