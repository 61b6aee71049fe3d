import os
from pathlib import Path

import pytest

from app.load import (
    LoadError,
    Source,
    licence_data_dir,
    licence_sections,
    load_all,
    load_folder,
    load_licence,
    read_licence_list,
)
from app.settings import load_settings
from tests.conftest import FIXTURES


def load_one(tmp_path: Path, name: str, content: bytes) -> Source | LoadError:
    folder = tmp_path / "docs" / name.replace(".", "_")
    folder.mkdir(parents=True)
    (folder / name).write_bytes(content)
    (item,) = list(load_folder(folder, "", load_settings(max_file_mb=0.01)))
    return item


def test_markdown_front_matter_and_heading_paths(tmp_path):
    src = load_one(tmp_path, "a.md", (FIXTURES / "corpus/articles/open-weights.md").read_bytes())
    assert isinstance(src, Source)
    assert (src.id, src.kind) == ("open-weights", "article")
    assert [d.metadata["section"] for d in src.sections] == [
        "The short answer", "What you can do with the weights"]
    assert src.sections[0].metadata["url"].startswith("https://")


@pytest.mark.parametrize("name,content,reason", [
    ("empty.md", b"", "empty"),
    ("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    ("latin1.txt", "caf\xe9 cr\xe8me".encode("latin-1"), "UTF-8"),
    ("bad.md", b"---\ntitle: [unclosed\n---\n# T\n\nbody\n", "malformed front matter"),
    ("noid.md", b"---\ntitle: No id\n---\n# T\n\nbody\n", "front matter: id"),
    ("big.txt", b"word " * 5000, "too large"),
    ("scan.pdf", None, "no text layer"),
    ("broken.pdf", b"%PDF-1.4\n garbage", "PDF"),
])
def test_bad_files_are_reported_with_reason_and_fix(tmp_path, name, content, reason):
    if content is None:
        from io import BytesIO

        from pypdf import PdfWriter

        writer, buf = PdfWriter(), BytesIO()
        writer.add_blank_page(200, 200)
        writer.write(buf)
        content = buf.getvalue()
    item = load_one(tmp_path, name, content)
    assert isinstance(item, LoadError)
    assert reason in item.reason
    assert item.source == name


def test_symlink_outside_corpus_is_refused(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    folder = tmp_path / "docs"
    folder.mkdir()
    os.symlink(outside, folder / "link.txt")
    (item,) = list(load_folder(folder, "", load_settings()))
    assert isinstance(item, LoadError) and "outside" in item.reason


def test_html_and_text(tmp_path):
    html = b"<html><title>Page</title><body><h1>Hi</h1><script>x()</script><p>Text</p></body>"
    item = load_one(tmp_path, "p.html", html)
    assert item.title == "Page" and "x()" not in item.sections[0].page_content
    item = load_one(tmp_path, "n.txt", b"Title line\nbody")
    assert item.title == "Title line"


def test_licence_sections_keep_their_numbers():
    entry = next(e for e in read_licence_list(FIXTURES / "corpus") if e.key.startswith("llama"))
    source = load_licence(entry, licence_data_dir())
    labels = [d.metadata["section"] for d in source.sections]
    assert "Section 2. Additional Commercial Terms" in labels
    assert source.kind == "licence" and source.id == "licence:llama-3.1-license-2024"


def test_licence_splitter_on_cc_style_text():
    text = "Intro\nSection 1 -- Definitions.\n  a. x\nSection 2 -- Scope.\n  b. y\n"
    assert [label for label, _ in licence_sections(text)] == [
        "Preamble", "Section 1. Definitions", "Section 2. Scope"]


def test_missing_licence_key_is_reported(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "licences.yaml").write_text(
        "licences:\n  - {key: no-such-licence, name: X, spdx: X, family: x, "
        "url: 'https://example.org'}\n")
    errors = [i for i in load_all(load_settings(corpus_dir=corpus)) if isinstance(i, LoadError)]
    assert errors and "not in the installed licence data" in errors[0].reason


def test_every_manifest_key_is_installed():
    """The product's manifest (corpus/licences.yaml) names only licences the package ships."""
    data = licence_data_dir()
    assert data is not None, "scancode-toolkit-mini is not installed: run make setup"
    keys = [e.key for e in read_licence_list(Path(__file__).parent.parent / "corpus")]
    assert len(keys) >= 27
    assert [k for k in keys if not (data / f"{k}.LICENSE").exists()] == []


def text_pdf(pages: list[str]) -> bytes:
    """A small PDF with a real text layer, one line of Helvetica per page."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", ""]
    kids = []
    for n, line in enumerate(pages):
        page, content = 4 + 2 * n, 5 + 2 * n
        kids.append(f"{page} 0 R")
        stream = f"BT /F1 12 Tf 20 100 Td ({line}) Tj ET"
        objects += [f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents "
                    f"{content} 0 R /Resources << /Font << /F1 3 0 R >> >> >>",
                    f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream"]
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>"
    objects.insert(2, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF"\
        .encode()
    return out


def test_a_pdf_is_split_by_page_and_its_card_names_the_page(tmp_path):
    from app.retrieve import Passage
    from app.ui import source_card

    item = load_one(tmp_path, "terms.pdf", text_pdf(["Opening terms here.",
                                                     "Use is allowed for research."]))
    assert [s.metadata["section"] for s in item.sections] == ["page 1", "page 2"]
    assert "research" in item.sections[1].page_content
    card = source_card(Passage(n=2, id="x", text="Use is allowed", source_id=item.id,
                               title=item.title, kind="upload", section="page 2", score=0.5))
    assert "— page 2 · YOUR UPLOAD" in card["metadata"]["title"]
