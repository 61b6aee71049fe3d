"""A fact answer being built: its sentences, each with the sources it cites, and its verdict;
and the small phrasing helpers every fact answer uses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.load import LicenceFact


@dataclass
class Draft:
    """A fact answer before its passages are numbered: sentences, each with the sources
    (source id, optional text the passage must contain) it cites."""

    sentences: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    verdict: str | None = None  # yes | no | conditional | depends | partly | None
    fact: str = ""

    def say(self, sentence: str, *cites: tuple[str, str]) -> Draft:
        self.sentences.append((sentence, list(cites)))
        return self


VERDICT_WORD = {"yes": "Yes.", "no": "No.", "partly": "Partly.", "depends": "It depends on the "
                "version.", "conditional": "Only under a condition."}


def flip(value: str) -> str:
    return {"yes": "no", "no": "yes"}.get(value, value)


def users(count: float) -> str:
    """9e8 -> '900 million', 1e9 -> '1 billion'."""
    if count >= 1e9:
        return f"{count / 1e9:g} billion"
    return f"{count / 1e6:,.0f} million" if count >= 1e6 else f"{count:,.0f}"


def with_section(fact: LicenceFact) -> str:
    """The fact's sentence, naming its section unless it already does."""
    text = fact.detail.rstrip(". ")
    ident = fact.section.split()[-1].lower() if fact.section else ""
    cited = re.search(r"\((sections?|items?|article|attachment)\b[^)]*\)$", text, re.I)
    if fact.section and fact.section.lower() not in text.lower() and not cited and not (
            re.search(r"\d", ident) and re.search(rf"(?<![\w.]){re.escape(ident)}(?![\w])",
                                                 text.lower())):
        text += f" ({fact.section})"
    return text + "."


def join(names: list[str]) -> str:
    """'A, B and C'; 'A and B, and C' when a name holds 'and' itself."""
    if len(names) < 2:
        return "".join(names)
    last = ", and " if any(" and " in n for n in names) else " and "
    return ", ".join(names[:-1]) + last + names[-1]
