"""The use-case checker ("Can I use it for this?"): verdicts read from the licence facts, each
with its clause. The product pairs below were read from the licence texts by hand."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from app import check
from app.load import LicenceEntry, LicenceFact, ModelRow, Threshold, licence_data_dir
from app.settings import ROOT

CORPUS = ROOT / "corpus"


def licence_text(key: str) -> str:
    body = (licence_data_dir() / f"{key}.LICENSE").read_text().split("---", 2)[2]
    return re.sub(r"\s+", " ", body).casefold()


# (row id, plan, verdict, licence key holding the clause, section, words of that clause)
HAND_READ = [
    ("llama-3-1", {"users": 900_000_000}, "permission", "llama-3.1-license-2024", "section 2",
     "is greater than 700 million monthly active users in the preceding calendar month, you "
     "must request a license from Meta"),
    ("llama-3-1", {"users": 5_000_000}, "allowed", "llama-3.1-license-2024", "section 2",
     "greater than 700 million monthly active users"),
    ("llama-2", {"commercial": True}, "conditions", "llama-2-license-2023", "section 2",
     "greater than 700 million monthly active users"),
    ("llama-3-1", {"fine_tune": True}, "conditions", "llama-3.1-license-2024", "section 1.a",
     "create derivative works of, and make modifications to the Llama Materials"),
    ("qwen2-5-72b", {"users": 150_000_000}, "permission", "qwen-2024", "section 4",
     "your product or service has more than 100 million monthly active users, you shall "
     "request a license from us"),
    ("qwen2-5-72b", {"users": 50_000_000}, "allowed", "qwen-2024", "section 4",
     "more than 100 million monthly active users"),
    ("qwen-7b", {"train_on_outputs": True}, "forbidden", "tongyi-qianwen-2023", "section 5.b",
     "you can not use the materials or any output therefrom to improve any other large "
     "language model"),
    ("kimi-k2", {"users": 150_000_000}, "conditions", "moonshot-ai-modified-mit-2025", None,
     "you shall prominently display \"kimi k2\" on the user interface"),
    ("kimi-k2", {"revenue": 600_000_000}, "conditions", "moonshot-ai-modified-mit-2025", None,
     "more than 20 million us dollars (or equivalent in other currencies) in monthly revenue"),
    ("kimi-k2", {"revenue": 100_000_000}, "unknown", "moonshot-ai-modified-mit-2025", None,
     "in monthly revenue"),  # 100M a year: some month may or may not pass 20M
    ("stable-diffusion-3-5", {"revenue": 5_000_000}, "permission",
     "stability-ai-community-2024", "section III",
     "generate more than usd $1,000,000 in annual revenue"),
    ("stable-diffusion-3-5", {"revenue": 500_000}, "allowed", "stability-ai-community-2024",
     "section III", "generate more than usd $1,000,000 in annual revenue"),
    ("mistral-7b", {"commercial": True}, "allowed", "apache-2.0", "section 2",
     "perpetual, worldwide, non-exclusive, no-charge, royalty-free, irrevocable copyright "
     "license"),
    ("llama-1", {"commercial": True}, "forbidden", "llama-license-2023", None,
     "solely for your non-commercial research purposes"),
    ("flux-1-dev", {"commercial": True}, "forbidden", "flux-1-nc", None, "non-commercial"),
    ("gemma-3", {"train_on_outputs": True}, "conditions", "gemma-tou-2025-03-24",
     "section 1.1(e)", "including distillation methods"),
    ("deepseek-v3", {"military": True}, "forbidden", "deepseek-la-1.0", None,
     "for military use in any way"),
    ("bloom", {"medical": True}, "conditions", "bigscience-rail-1.0", None,
     "to provide medical advice and medical results interpretation"),
    ("llama-4-scout", {"military": True}, "forbidden", "llama-4-license-2025", None,
     "military, warfare, nuclear industries or applications, espionage"),
    ("llama-4-scout", {"eu": True}, "conditions", "llama-4-license-2025", None,
     "a company with a principal place of business in, the european union"),
    # its acceptable use policy is not a text Faultline holds
    ("llama-3-1", {"military": True}, "unknown", "llama-3.1-license-2024", None, ""),
    ("olmo", {"military": True}, "allowed", "apache-2.0", None, "worldwide"),
    ("gpt-4o", {"fine_tune": True}, "unavailable", "", None, ""),  # API only
    ("gpt-4o", {"commercial": True}, "unknown", "", None, ""),  # service terms: no facts
]


@pytest.fixture(scope="module")
def rows():
    from app.load import read_models

    return {r.id: r for r in read_models(CORPUS)}


@pytest.mark.parametrize(("row_id", "plan", "value", "key", "section", "words"), HAND_READ,
                         ids=[f"{r}-{next(iter(p))}" for r, p, *_ in HAND_READ])
def test_hand_read_verdicts(rows, row_id, plan, value, key, section, words):
    from app.load import read_licence_facts, read_licence_list

    result = check.check(check.Plan(**plan), [rows[row_id]], read_licence_facts(CORPUS),
                         read_licence_list(CORPUS))
    verdict = result[0].verdicts[0]
    assert (verdict.value, verdict.licence) == (value, key), verdict
    if section:
        assert verdict.section == section
    if words:  # the clause that decides it is in that licence's text, as read
        assert words.casefold() in licence_text(key)
    if value != "unknown" and value != "unavailable":
        assert verdict.quote, "a verdict from a licence cites its words"
        assert re.sub(r"\s+", " ", verdict.quote).casefold() in licence_text(verdict.licence)


def test_at_least_twenty_pairs_were_read_by_hand():
    assert len(HAND_READ) >= 20


# the logic, on facts made up for the test
def fact(value: str, threshold: Threshold | None = None) -> LicenceFact:
    return LicenceFact(value=value, detail=f"{value} detail", section="s. 1",
                       quote="" if value in ("silent", "unknown") else "words",
                       threshold=threshold)


def row(**kw) -> ModelRow:
    base = dict(id="m", name="M", family="f", developer="d", released="2025-01-01",
                access="download", licence="lic", licence_name="Lic", osi_approved=False,
                weights="full", training_code="none", training_data="none",
                commercial_use="yes", sources=[{"title": "t", "url": "https://example.org"}])
    return ModelRow(**{**base, **kw})


LICENCES = [LicenceEntry(key="lic", name="Lic", spdx="x", family="f", url="https://e.org",
                         policy="pol"),
            LicenceEntry(key="pol", name="Pol", spdx="y", family="f", url="https://e.org")]


def one(plan: dict, facts: dict, **row_kw) -> check.Verdict:
    return check.check(check.Plan(**plan), [row(**row_kw)], facts, LICENCES)[0].verdicts[0]


@pytest.mark.parametrize(("users", "expected"), [(10, "allowed"), (1000, "allowed"),
                                                 (1001, "permission")])
def test_user_threshold_is_strictly_more_than(users, expected):
    limit = Threshold(monthly_active_users=1000, above="permission")
    assert one({"users": users}, {"lic": {"user_threshold": fact("yes", limit)}}).value == \
        expected


@pytest.mark.parametrize(("revenue", "expected"), [(20, "allowed"), (12 * 20 + 1, "conditions"),
                                                   (21, "unknown"), (240, "unknown")])
def test_annual_revenue_against_a_monthly_threshold_only_where_certain(revenue, expected):
    limit = Threshold(monthly_revenue_usd=20, above="conditions")
    assert one({"revenue": revenue}, {"lic": {"user_threshold": fact("yes", limit)}}).value == \
        expected


def test_a_threshold_without_numbers_is_unknown_not_allowed():
    assert one({"users": 5}, {"lic": {"user_threshold": fact("yes")}}).value == "unknown"


def test_silent_is_not_a_yes():
    verdict = one({"train_on_outputs": True}, {"lic": {"outputs_training": fact("silent")}})
    assert verdict.value == "unknown" and verdict.detail.startswith("Not addressed")


def test_the_incorporated_policy_decides_and_the_stricter_wins():
    facts = {"lic": {"military_use": fact("unknown")}, "pol": {"military_use": fact("no")}}
    verdict = one({"military": True}, facts)
    assert (verdict.value, verdict.licence) == ("forbidden", "pol")
    assert "the version Faultline holds" in verdict.detail
    facts = {"lic": {"military_use": fact("no")}, "pol": {"military_use": fact("yes")}}
    assert one({"military": True}, facts).licence == "lic"


def test_no_facts_means_unknown_and_no_weights_means_not_possible():
    assert one({"commercial": True}, {}, licence="other").value == "unknown"
    assert one({"fine_tune": True}, {}, licence="proprietary", access="api").value == \
        "unavailable"


def test_the_row_takes_its_strictest_verdict():
    facts = {"lic": {"commercial_use": fact("yes"), "modification": fact("no")}}
    result = check.check(check.Plan(commercial=True, fine_tune=True), [row()], facts, LICENCES)
    assert result[0].overall == "forbidden"


def test_a_plan_with_nothing_ticked_asks_nothing_and_bad_numbers_are_refused():
    assert check.Plan().uses() == []
    with pytest.raises(ValueError):
        check.Plan(users=-5)
    with pytest.raises(ValueError):
        check.Plan(colour="red")


def test_unknown_model_names_say_how_to_name_one():
    with pytest.raises(LookupError, match="no model in the table matches 'zzz'"):
        check.for_corpus(check.Plan(eu=True), ["zzz"], CORPUS)


def test_names_find_rows_by_id_version_or_family():
    def ids(name):
        return [c.row.id for c in check.for_corpus(check.Plan(eu=True), [name], CORPUS)]

    assert ids("llama-3.1") == ["llama-3-1"]
    assert ids("Llama 3.1") == ["llama-3-1"]
    assert "gemma-3" in ids("gemma")  # a family name: every row of the family
    assert ids("qwen2-5-72b") == ["qwen2-5-72b"]


# the command, as a user runs it
def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", "--corpus-dir", str(CORPUS),
                           "check", *args],
                          capture_output=True, text=True, timeout=60)


def test_cli_prints_the_verdict_with_its_clause():
    result = run("--users", "900000000", "--fine-tune", "llama-3.1")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Llama 3.1" in out and "NEEDS PERMISSION" in out
    assert "section 2" in out and "section 1.a" in out
    assert "not legal advice" in result.stderr


@pytest.mark.slow
def test_cli_json_and_bad_input():
    data = json.loads(run("--json", "--military", "deepseek-v3").stdout)
    assert data[0]["overall"] == "forbidden"
    assert data[0]["verdicts"][0]["licence"] == "deepseek-la-1.0"
    nothing = run("llama-3.1")
    assert nothing.returncode == 2 and "say what you plan" in nothing.stderr
    negative = run("--users", "-3", "llama-3.1")
    assert negative.returncode == 2 and "--users" in negative.stderr
    unknown = run("--eu", "no-such-model")
    assert unknown.returncode == 2 and "no model in the table matches" in unknown.stderr
    empty = subprocess.run([sys.executable, "-m", "app.cli", "check", "--eu"],
                           capture_output=True, text=True, timeout=60)  # the temp corpus
    assert empty.returncode == 2 and "no models table in" in empty.stderr


def test_page_grid_has_a_column_per_use():
    from app.settings import Settings
    from app.ui import use_html

    page = use_html(Settings(corpus_dir=CORPUS), ["fine-tune", "military use"], 800_000_000,
                    None)
    heads = re.findall(r"<th>([^<]*)</th>", page)
    assert heads == ["Model · licence", "Verdict", "monthly users", "fine-tune", "military use"]
    llama = next(r for r in page.split("<tr>") if "<b>Llama 3.1</b>" in r)
    cells = re.findall(r"<td class='v-(\w+)'", llama)
    assert cells == ["permission", "permission", "conditions", "unknown"]  # overall first
    assert "needs permission · section 2" in llama and "700 million" in llama
    assert "Tick what you plan" in use_html(Settings(corpus_dir=CORPUS), [], None, None)
