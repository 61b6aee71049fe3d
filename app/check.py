"""'Can I use it for this?': what each model's licence says about the uses someone plans,
read from the structured licence facts (corpus/licence-facts.yaml), each verdict with its
clause. No model call: code reads the facts that were checked against the licence texts."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from app.load import LicenceEntry, LicenceFact, ModelRow

Value = Literal["allowed", "conditions", "permission", "forbidden", "unknown", "unavailable"]
# the strictest verdict of a row's uses is the row's; a wrong "allowed" is the costly mistake
STRICTNESS: list[Value] = ["forbidden", "permission", "unknown", "unavailable", "conditions",
                           "allowed"]
LABEL = {"allowed": "allowed", "conditions": "conditions apply",
         "permission": "needs permission", "forbidden": "forbidden", "unknown": "unknown",
         "unavailable": "not possible"}
MARK = {"allowed": "✅", "conditions": "☑️", "permission": "✋", "forbidden": "⛔",
        "unknown": "❔", "unavailable": "➖"}
FROM_FACT: dict[str, Value] = {"yes": "allowed", "conditional": "conditions", "no": "forbidden",
                               "silent": "unknown", "unknown": "unknown"}


class Plan(BaseModel):
    """What the user means to do with a model."""

    model_config = {"extra": "forbid"}

    commercial: bool = False
    users: int | None = Field(None, ge=0, description="monthly active users of the product")
    revenue: int | None = Field(None, ge=0, description="annual revenue in US dollars")
    fine_tune: bool = False
    redistribute: bool = False
    train_on_outputs: bool = False
    military: bool = False
    medical: bool = False
    eu: bool = False

    def uses(self) -> list[str]:
        """The uses asked about, in the order of USES."""
        return [use for use in USES if getattr(self, use) not in (None, False)]


# use -> (its label, the licence fact that answers it)
USES: dict[str, tuple[str, str]] = {
    "commercial": ("commercial product", "commercial_use"),
    "users": ("monthly users", "user_threshold"),
    "revenue": ("annual revenue", "user_threshold"),
    "fine_tune": ("fine-tune", "modification"),
    "redistribute": ("redistribute the weights", "redistribution"),
    "train_on_outputs": ("train a model on its outputs", "outputs_training"),
    "military": ("military use", "military_use"),
    "medical": ("medical use", "medical_use"),
    "eu": ("use in the EU", "eu_use"),
}
WEIGHT_USES = {"fine_tune", "redistribute"}
POLICY_USES = {"military", "medical", "eu"}  # a use policy the licence incorporates may decide


class Verdict(BaseModel):
    use: str
    label: str
    value: Value
    detail: str
    licence: str = ""  # ScanCode key of the text the clause is in ("" when none holds it)
    section: str = ""
    quote: str = ""

    def line(self) -> str:
        where = f" ({self.section})" if self.section else ""
        quote = f"\n      “{self.quote}”" if self.quote else ""
        return f"{MARK[self.value]} {self.label}: {LABEL[self.value]}{where}\n      " \
               f"{self.detail}{quote}"


class RowCheck(BaseModel):
    row: ModelRow
    licence_name: str
    verdicts: list[Verdict]

    @property
    def overall(self) -> Value:
        return strictest(self.verdicts).value if self.verdicts else "unknown"


def strictest(verdicts: list[Verdict]) -> Verdict:
    return min(verdicts, key=lambda v: STRICTNESS.index(v.value))


def from_fact(use: str, key: str, fact: LicenceFact) -> Verdict:
    label = USES[use][0]
    value = FROM_FACT[fact.value]
    detail = fact.detail
    if fact.value == "silent":
        detail = f"Not addressed: {detail[0].lower()}{detail[1:]}"
    return Verdict(use=use, label=label, value=value, detail=detail, licence=key,
                   section=fact.section, quote=fact.quote)


def over_threshold(use: str, amount: int, key: str, fact: LicenceFact) -> Verdict:
    """A user count or revenue against the licence's threshold, if it has one for that measure.
    An annual revenue is compared with a monthly threshold only where the answer is certain."""
    label = f"{amount:,} {'monthly users' if use == 'users' else 'US$ annual revenue'}"
    limit = fact.threshold
    if fact.value == "no":
        return Verdict(use=use, label=label, value="allowed", detail=fact.detail, licence=key,
                       section=fact.section, quote=fact.quote)
    if limit is None:
        return Verdict(use=use, label=label, value="unknown", licence=key,
                       section=fact.section, quote=fact.quote,
                       detail=f"The threshold is not recorded as a number: {fact.detail}")
    over: bool | None
    if use == "users":
        over = None if limit.monthly_active_users is None else \
            amount > limit.monthly_active_users
    elif limit.annual_revenue_usd is not None:
        over = amount > limit.annual_revenue_usd
    elif limit.monthly_revenue_usd is not None:
        # some month exceeds it if the average does; none can if the whole year does not
        over = (True if amount / 12 > limit.monthly_revenue_usd else
                False if amount <= limit.monthly_revenue_usd else None)
    else:
        over = None
    if over is None:
        measure = "users" if use == "users" else "revenue"
        if (limit.monthly_active_users if use == "users" else
                limit.annual_revenue_usd or limit.monthly_revenue_usd) is None:
            return Verdict(use=use, label=label, value="allowed", licence=key,
                           section=fact.section, quote=fact.quote,
                           detail=f"The licence sets no {measure} threshold; its threshold is "
                                  f"on another measure: {fact.detail}")
        return Verdict(use=use, label=label, value="unknown", licence=key,
                       section=fact.section, quote=fact.quote,
                       detail="Its threshold is on monthly revenue; an annual figure cannot "
                              f"settle it: {fact.detail}")
    value: Value = limit.above if over else "allowed"
    detail = fact.detail if over else f"Below the threshold. {fact.detail}"
    return Verdict(use=use, label=label, value=value, detail=detail, licence=key,
                   section=fact.section, quote=fact.quote)


def no_terms(use: str, row: ModelRow, licence_name: str) -> Verdict:
    label = USES[use][0]
    if use in WEIGHT_USES and row.access == "api":
        return Verdict(use=use, label=label, value="unavailable",
                       detail="Its weights are not published: it is available only through "
                              "an API.")
    return Verdict(use=use, label=label, value="unknown",
                   detail=f"Faultline holds no checked facts for its terms ({licence_name}); "
                          "read them before relying on this use.")


def check_row(plan: Plan, row: ModelRow, facts: dict[str, dict[str, LicenceFact]],
              licences: dict[str, LicenceEntry]) -> RowCheck:
    entry = licences.get(row.licence)
    name = entry.name if entry else row.licence_name
    own = facts.get(row.licence)
    policy = facts.get(entry.policy) if entry and entry.policy else None
    verdicts = []
    for use in plan.uses():
        fact_key = USES[use][1]
        if own is None or fact_key not in own:
            verdicts.append(no_terms(use, row, row.licence_name))
            continue
        if use in ("users", "revenue"):
            amount = plan.users if use == "users" else plan.revenue
            verdicts.append(over_threshold(use, int(amount or 0), row.licence, own[fact_key]))
            continue
        verdict = from_fact(use, row.licence, own[fact_key])
        if use in POLICY_USES and policy is not None and fact_key in policy:
            # the licence defers to its use policy: the policy's clause decides, unless the
            # licence itself is stricter
            ruled = from_fact(use, entry.policy, policy[fact_key])
            held = licences.get(entry.policy)
            ruled.detail += f" (from the {held.name if held else entry.policy}, the version " \
                            "Faultline holds; the licence points to the current one)"
            verdict = ruled if verdict.value == "unknown" else strictest([verdict, ruled])
        verdicts.append(verdict)
    return RowCheck(row=row, licence_name=name, verdicts=verdicts)


def check(plan: Plan, rows: list[ModelRow], facts: dict[str, dict[str, LicenceFact]],
          licences: list[LicenceEntry]) -> list[RowCheck]:
    """Every row's verdicts for the plan, in the table's order."""
    by_key = {e.key: e for e in licences}
    return [check_row(plan, row, facts, by_key) for row in rows]


def pick_rows(names: list[str], rows: list[ModelRow], catalogue) -> list[ModelRow]:
    """The rows a user named ('llama-3.1', 'Gemma 3', 'qwen2.5-72b'): row ids by prefix,
    then the models and families the catalogue links; every row when no name is given."""
    from app.entities import norm

    if not names:
        return rows
    picked: list[ModelRow] = []
    for name in names:
        wanted = re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")
        linked = catalogue.link(name) or catalogue.link(name.replace("-", " "))
        # "gemma" is the family (though a row has that id); "bloom-7b1" or "llama-3-1" a row
        family = [r for e in linked if e.type == "family" and norm(name) in e.aliases
                  for r in e.rows]
        found = (family or [r for r in rows if r.id == wanted]
                 or [r for e in linked if e.type in ("model", "family") for r in e.rows]
                 or [r for r in rows if r.id.startswith(wanted + "-")])
        if not found:
            example = f" such as {rows[0].id!r}" if rows else ""
            raise LookupError(f"no model in the table matches {name!r}: use a row id{example} "
                              "or a model or family name")
        picked += [r for r in found if r not in picked]
    return picked


def report_lines(checks: list[RowCheck]) -> list[str]:
    """Plain text for the CLI: each model, its overall verdict, each use with its clause."""
    out = []
    for c in checks:
        out.append(f"{MARK[c.overall]} {c.row.name} — {c.licence_name}: "
                   f"{LABEL[c.overall].upper()}")
        out += [f"    {v.line()}" for v in c.verdicts]
    return out


def for_corpus(plan: Plan, names: list[str], corpus_dir) -> list[RowCheck]:
    """The checks of the rows named (every row when none) against the corpus's facts."""
    from app.entities import catalogue
    from app.load import read_licence_facts, read_licence_list, read_models

    rows = read_models(corpus_dir)
    if not rows:
        raise LookupError(f"no models table in {corpus_dir}: point --corpus-dir (or "
                          "FAULTLINE_CORPUS_DIR) at the knowledge base")
    picked = pick_rows(names, rows, catalogue(corpus_dir)) if names else rows
    return check(plan, picked, read_licence_facts(corpus_dir), read_licence_list(corpus_dir))
