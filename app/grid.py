"""The compare tab's openness grid: models x openness components, coloured open / partial /
closed / unknown (as the European Open Source AI Index does), each cell linking its evidence;
filters, two or three models side by side, and the table as CSV. Pure functions over the
models table: HTML in, nothing else out."""

from __future__ import annotations

import csv
import io
from html import escape

from pydantic import BaseModel

from app.load import COMPONENTS, LicenceEntry, ModelRow

SHORT = {"base_weights": "Base weights", "instruct_weights": "Instruct weights",
         "training_data": "Training data", "data_documentation": "Data docs",
         "training_code": "Training code", "inference_code": "Inference code",
         "evaluation": "Evaluation", "paper": "Paper", "model_card": "Model card",
         "checkpoints": "Checkpoints", "use_policy": "Use policy"}
SYMBOL = {"open": "●", "partial": "◐", "closed": "○", "unknown": "?"}
OPENNESS = ["closed", "open weights", "fully open"]


class Cell(BaseModel):
    value: str
    url: str = ""
    note: str = ""


class GridRow(BaseModel):
    id: str
    name: str
    developer: str
    released: str
    licence: str
    licence_family: str
    commercial: str
    access: str
    openness: str
    osi_licence: bool
    osaid: str
    mof: str
    verified: str
    cells: dict[str, Cell]
    sources: list[tuple[str, str]]


def openness_of(row: ModelRow) -> str:
    if row.weights == "none":
        return "closed"
    return "fully open" if row.training_data == row.training_code == "full" else "open weights"


def grid_rows(rows: list[ModelRow], licences: list[LicenceEntry]) -> list[GridRow]:
    family = {e.key: e.family for e in licences}
    out = []
    for row in rows:
        o = row.openness
        cells = {key: Cell(value=c.value, url=str(c.url or ""), note=c.note)
                 for key, c in (o.cells().items() if o else [])}
        out.append(GridRow(
            id=row.id, name=row.name, developer=row.developer,
            released=row.released.isoformat()[:7 if row.date_precision == "month" else 10],
            licence=row.licence_name, licence_family=family.get(row.licence, row.licence),
            commercial=row.commercial_use, access=row.access, openness=openness_of(row),
            osi_licence=row.osi_approved, osaid=o.osaid if o else "not assessed",
            mof=o.mof_class if o else "unknown", verified=o.verified.isoformat() if o else "",
            cells={key: cells.get(key, Cell(value="unknown")) for key in COMPONENTS},
            sources=[(s.title, str(s.url)) for s in row.sources]))
    return out


def choices(rows: list[GridRow]) -> dict[str, list[str]]:
    """The values each filter offers, from the rows themselves."""
    return {"developer": sorted({r.developer for r in rows}, key=str.lower),
            "family": sorted({r.licence_family for r in rows}),
            "year": sorted({r.released[:4] for r in rows})}


def filtered(rows: list[GridRow], developer: str = "all", family: str = "all",
             commercial: str = "all", since: str = "all", openness: str = "all",
             part: str = "any") -> list[GridRow]:
    """The rows every filter lets through ('all' / 'any' lets everything through)."""
    wanted = next((key for key, label in SHORT.items() if label == part), None)
    return [r for r in rows
            if developer in ("all", r.developer) and family in ("all", r.licence_family)
            and commercial in ("all", r.commercial) and openness in ("all", r.openness)
            and (since == "all" or r.released[:4] >= since)
            and (wanted is None or r.cells[wanted].value == "open")]


def cell_html(key: str, cell: Cell) -> str:
    label = f"{SHORT[key]}: {cell.value}" + (f" — {cell.note}" if cell.note else "")
    mark = f"{SYMBOL[cell.value]}<span class='word'> {cell.value}</span>"
    inner = (f"<a href='{escape(cell.url)}' target='_blank' rel='noopener'>{mark}</a>"
             if cell.url else mark)
    return (f"<td class='comp c-{cell.value}' data-label='{SHORT[key]}' "
            f"title='{escape(label)}'>{inner}</td>")


def grid_html(rows: list[GridRow]) -> str:
    """The grid: a table at desktop widths, one card per model on a phone (CSS in GRID_CSS)."""
    if not rows:
        return "<p class='grid-empty'>No model matches these filters.</p>"
    head = "".join(f"<th class='comp' title='{v}'><span>{v}</span></th>" for v in SHORT.values())
    body = []
    for r in rows:
        comps = "".join(cell_html(key, r.cells[key]) for key in COMPONENTS)
        body.append(
            f"<tr><td class='model' data-label='Model'><b>{escape(r.name)}</b>"
            f"<span class='dev'>{escape(r.developer)}</span></td>"
            f"<td data-label='Released'>{r.released}</td>"
            f"<td class='lic' data-label='Licence'>{escape(r.licence)}</td>"
            f"<td data-label='Commercial use'>{r.commercial}</td>{comps}"
            f"<td data-label='OSI OSAID'>{escape(r.osaid)}</td>"
            f"<td data-label='MOF class'>{escape(r.mof)}</td></tr>")
    return ("<div class='grid-wrap'><table class='grid'><thead><tr><th>Model</th>"
            "<th>Released</th><th>Licence</th><th>Commercial use</th>" + head +
            "<th>OSI OSAID</th><th>MOF class</th></tr></thead><tbody>" + "".join(body) +
            "</tbody></table></div>")


def side_by_side_html(rows: list[GridRow], names: list[str]) -> str:
    """Two or three models as columns, every fact and component as a row, with evidence."""
    picked = [r for name in names for r in rows if r.name == name][:3]
    if not picked:
        return "<p class='grid-empty'>Pick two or three models to compare them side by side.</p>"
    facts = [("Developer", lambda r: escape(r.developer)), ("Released", lambda r: r.released),
             ("Licence", lambda r: escape(r.licence)), ("Commercial use", lambda r: r.commercial),
             ("Access", lambda r: r.access), ("OSI OSAID", lambda r: escape(r.osaid)),
             ("MOF class", lambda r: escape(r.mof)), ("Verified", lambda r: r.verified)]
    lines = [f"<tr><th>{label}</th>" + "".join(f"<td>{get(r)}</td>" for r in picked) + "</tr>"
             for label, get in facts]
    for key in COMPONENTS:
        lines.append(f"<tr><th>{SHORT[key]}</th>" + "".join(
            cell_html(key, r.cells[key]).replace("<span class='word'>", "<span>")
            for r in picked) + "</tr>")
    names_row = "".join(f"<th>{escape(r.name)}</th>" for r in picked)
    return (f"<div class='grid-wrap'><table class='grid side'><thead><tr><th></th>{names_row}"
            f"</tr></thead><tbody>{''.join(lines)}</tbody></table></div>")


def csv_text(rows: list[GridRow]) -> str:
    """The rows as CSV: the facts, then each component's value and its evidence URL."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["model", "developer", "released", "licence", "licence_family",
                     "commercial_use", "access", "openness", "osi_approved_licence", "osi_osaid",
                     "mof_class", "verified",
                     *(f"{key}{part}" for key in COMPONENTS for part in ("", "_url"))])
    for r in rows:
        writer.writerow([r.name, r.developer, r.released, r.licence, r.licence_family,
                         r.commercial, r.access, r.openness, r.osi_licence, r.osaid, r.mof,
                         r.verified,
                         *(x for key in COMPONENTS for x in (r.cells[key].value,
                                                              r.cells[key].url))])
    return out.getvalue()


GRID_CSS = """
.grid-wrap { max-width: 100%; }
table.grid { border-collapse: collapse; width: 100%; font-size: 13px; table-layout: auto; }
table.grid th, table.grid td { border: 1px solid #d0d7de; padding: 3px 5px; text-align: left;
  vertical-align: top; }
table.grid thead th { position: sticky; top: 0; background: var(--background-fill-secondary); }
table.grid th.comp { width: 26px; padding: 4px 2px; vertical-align: bottom; }
table.grid th.comp span { writing-mode: vertical-rl; transform: rotate(180deg);
  white-space: nowrap; }
table.grid td.comp { text-align: center; width: 26px; padding: 2px; font-size: 15px; }
table.grid td.comp a { text-decoration: none; color: inherit; display: block; }
table.grid td.comp .word { display: none; }
table.grid td.model b { display: block; }
table.grid td.model .dev { font-size: 11px; opacity: .75; }
table.grid td.lic { max-width: 180px; }
.c-open { background: #b7e4c7; } .c-partial { background: #ffe8a3; }
.c-closed { background: #f8c4c4; } .c-unknown { background: #e5e7eb; }
.v-allowed { background: #b7e4c7; } .v-conditions { background: #dcefd0; }
.v-permission { background: #ffe8a3; } .v-forbidden { background: #f8c4c4; }
.v-unknown, .v-unavailable { background: #e5e7eb; }
table.uses td details summary { cursor: pointer; }
table.uses td details p, table.uses td details q { font-size: 12px; margin: 4px 0; }
article.doc { max-height: 520px; overflow-y: auto; padding: 0 8px; font-size: 14px; }
article.doc section.cited { border-left: 4px solid #0969da; padding-left: 8px; }
article.doc mark { background: #fff3a3; }
.dark article.doc mark { background: #6b5312; color: inherit; }
.dark .c-open { background: #1f5f3a; } .dark .c-partial { background: #6b5312; }
.dark .c-closed { background: #6e2424; } .dark .c-unknown { background: #3a3f46; }
@media (max-width: 700px) {
  table.grid:not(.side), table.grid:not(.side) tbody, table.grid:not(.side) tr,
  table.grid:not(.side) td { display: block; width: auto; }
  table.grid:not(.side) thead { display: none; }
  table.grid:not(.side) tr { border: 1px solid #d0d7de; margin-bottom: 10px; border-radius: 6px; }
  table.grid:not(.side) td { border: none; border-bottom: 1px solid #eaeef2; display: flex;
    justify-content: space-between; gap: 8px; text-align: right; }
  table.grid:not(.side) td::before { content: attr(data-label); font-weight: 600;
    text-align: left; }
  table.grid:not(.side) td.comp { width: auto; text-align: right; font-size: 13px; }
  table.grid:not(.side) td.comp .word { display: inline; }
  table.grid:not(.side) td.lic { max-width: none; }
}
"""
