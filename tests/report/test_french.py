"""The review pack in French (issue 15): every word of the page, ids and codes unchanged."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import replace
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from missionplan.report.model import LABELS, BoardLine, Change, Issue, build_report, written
from missionplan.report.page import EXTRACTION_OPTIONS, plural, render_page
from missionplan.report.run import report_paths
from missionplan.schema.language import ENGLISH, FRENCH, Language, speaking, translate
from missionplan.validate.dates import parse_date_text
from tests.cli_helpers import run_main
from tests.report.builders import TODAY, plan_meta, sample_items
from tests.report.conftest import DEMO_REVIEWS, DEMO_TODAY

TEMPLATE = Path(__file__).resolve().parents[2] / "missionplan" / "report" / "report.html.j2"
ENGLISH_HEADINGS = (
    "Headline", "Submissions", "Coverage: outputs by components", "Timeline of activities",
    "Top risks", "Gaps and conflicts", "What changed", "Performance", "Items",
    "Trend by quarter",
)  # fmt: skip
FRENCH_HEADINGS = (
    "Vue d'ensemble", "Soumissions", "Couverture : produits par composante",
    "Calendrier des activités", "Principaux risques", "Lacunes et conflits", "Ce qui a changé",
    "Performance", "Éléments", "Tendance par trimestre",
)  # fmt: skip
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
JINJA_KEYWORDS: dict[str, object] = {"_": None, "gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w*\}")


def _full(language: Language) -> str:
    """The sample pack with every section filled (board, issues, changes, two quarters)."""
    from missionplan.merge.performance import performance, trend
    from missionplan.schema.review import Period
    from tests.merge.test_performance import ITEMS, Q2, _item

    later = [_item("1.1-A1", "activity", status="completed", planned_end=dt.date(2027, 9, 1))]
    lights = replace(performance(ITEMS, Q2, {}), trend=trend({Q2: ITEMS, Period(2027, 3): later}))
    with speaking(language):
        return render_page(
            build_report(
                plan_meta(), sample_items(), TODAY,
                board=[BoardLine("AAA", "valid", "on time", 1, 0),
                       BoardLine("BBB", "missing", "overdue", 0, None)],
                conflicts=[Issue("different-values", "1.1-A2", "1.1", "AAA", "Pick one.")],
                gaps=[Issue("no-owner", "1.1-BS1", "1.1", "AAA", "Name an owner.")],
                changes=[Change("1.1-A2", "1.1", "changed", "Start")],
                baseline="q4.xlsx",
                performance=lights,
            )
        )  # fmt: skip


def _words(page: str) -> str:
    """What a reader sees, tooltips and labels included: the page without its markup,
    style and script."""
    body = re.sub(r"<style>.*?</style>|<script>.*?</script>", "", page, flags=re.S)
    labels = " ".join(re.findall(r'aria-label="([^"]*)"', body))
    return html.unescape(re.sub(r"<[^>]+>", " ", body) + " " + labels)


def _template_messages() -> list[str]:
    """Every message of the template, as the catalogue's updater extracts it."""
    return _messages(TEMPLATE, "jinja2.ext:babel_extract", JINJA_KEYWORDS, EXTRACTION_OPTIONS)


def _messages(
    path: Path, method: str, keywords: dict[str, object], options: dict[str, str]
) -> list[str]:
    from babel.messages.extract import extract

    with path.open("rb") as file:
        found = extract(method, file, keywords=keywords, options=dict(options))  # type: ignore[arg-type]
        return [
            text
            for _, message, _, _ in found
            for text in ((message,) if isinstance(message, str) else message)
        ]


def _pack_messages() -> list[str]:
    """Every message of the pack: its template's, and its Python's (pictures, model)."""
    python = [
        text
        for path in sorted(TEMPLATE.parent.glob("*.py"))
        for text in _messages(path, "python", {"translate": (1,), "plural": (1, 2)}, {})
    ]
    return _template_messages() + python


def test_the_french_page_has_no_word_of_the_english_template_left() -> None:
    french, english = _full(FRENCH), _full(ENGLISH)
    assert '<html lang="fr">' in french and '<html lang="en">' in english
    for heading_fr, heading_en in zip(FRENCH_HEADINGS, ENGLISH_HEADINGS, strict=True):
        assert f">{heading_fr}<" in french and f">{heading_en}<" in english, heading_fr
        if heading_fr != heading_en:
            assert f">{heading_en}<" not in french, heading_en
    seen = _words(french)
    messages = _pack_messages()
    assert len(messages) > len(_template_messages()) > 80
    for message in messages:
        for fragment in re.split(rf"{PLACEHOLDER.pattern}|<[^>]+>", message):
            fragment = fragment.strip(" ,;:.()-")
            if len(fragment) >= 4 and fragment not in translate(message, FRENCH):
                found = re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", seen)
                assert not found, (message, fragment)


def test_the_french_page_writes_labels_and_dates_in_french() -> None:
    words = _words(_full(FRENCH))
    assert not ISO_DAY.search(words), ISO_DAY.search(words)
    for said in (
        "Période de planification du 1er janvier 2027 au 31 décembre 2029, cycle 1 ; "
        "situation au 1er mai 2027.",
        "aujourd'hui 1er mai 2027",
        "court terme, d'ici le 30 juin 2027",  # a benchmark's term and target date
        "du 1er mars 2027 au 31 mai 2027",  # an activity's dates
        "Depuis q4.xlsx : 1 élément modifié.",
        "Trimestre 2027-Q2 (du 1er avril 2027 au 30 juin 2027)",
        "La règle : Chaque jalon et chaque activité donne un signal",
        "au moins 25 % de ses signaux",
        "en retard : fin prévue le 1er mai 2027, en cours",  # the review's late activity
        "0 erreur à corriger",  # 0 takes the singular in French
    ):
        assert said in words, said
    for value, shown in (("ongoing", "en cours"), ("missing", "manquant"),
                         ("overdue", "échéance dépassée"), ("changed", "modifié"),
                         ("red", "rouge"), ("activity", "activité")):  # fmt: skip
        assert f">{shown}<" in _full(FRENCH) and f">{value}<" in _full(ENGLISH), value


def test_ids_codes_links_and_colours_are_the_same_in_both_languages() -> None:
    french, english = _full(FRENCH), _full(ENGLISH)

    def structure(html: str) -> tuple[list[str], ...]:
        return (
            re.findall(r'\bid="([^"]+)"', html),
            re.findall(r'href="#([^"]+)"', html),
            re.findall(r'fill="(#[0-9a-f]{6})"', html),
            re.findall(r"<(circle|rect|path|tr)\b", html),
        )

    assert structure(french) == structure(english)
    for code in ("<td>no-owner</td>", "<td>different-values</td>", "2027-Q2", "1.1-BS1",
                 "<td>AAA</td>", "p-test"):  # fmt: skip
        assert code in french and code in english, code
    assert 'aria-label="Produit 4.5 : rouge"' in french
    assert 'aria-label="Output 4.5: red"' in english
    assert _full(FRENCH) == french  # deterministic


def test_every_message_of_the_template_is_in_the_catalogue_with_its_slots() -> None:
    from tests.schema.test_catalogues import _updater

    template = {(m.id, m.context) for m in _updater().template()}
    for message in _template_messages():
        assert (message, None) in template, message
        french = translate(message, FRENCH)
        assert sorted(PLACEHOLDER.findall(french)) == sorted(PLACEHOLDER.findall(message))
    for text, context in LABELS:
        assert (text, context) in template, text


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_a_day_written_in_french_reads_back_as_the_same_day(day: dt.date) -> None:
    with speaking(FRENCH):
        text = written(day)
    assert parse_date_text(text) == day
    assert ("1er " in text) == (day.day == 1) and not ISO_DAY.search(text)
    assert written(day) == day.isoformat()  # English: as before


def test_a_count_takes_the_form_its_language_gives_it() -> None:
    forms = ("{count} risk", "{count} risks")
    assert [plural(*forms, n).format(count=n) for n in (0, 1, 2)] == [
        "0 risks",
        "1 risk",
        "2 risks",
    ]
    with speaking(FRENCH):
        shown = [plural(*forms, n).format(count=n) for n in (0, 1, 2)]
    assert shown == ["0 risque", "1 risque", "2 risques"]


def test_report_speaks_lang_else_the_plan_else_the_merged_plan(
    demo_run: Path, tmp_path: Path
) -> None:
    merged = demo_run / "mission-plan.xlsx"
    out = tmp_path / "dossier.html"
    reviews = [arg for folder in DEMO_REVIEWS for arg in ("--reviews", str(demo_run / folder))]
    code, stdout, err = run_main("report", str(merged), "-o", str(out), "--lang", "fr",
                                 "--today", DEMO_TODAY.isoformat(), *reviews)  # fmt: skip
    assert code == 0, err
    assert stdout.startswith(f"{out} écrit : 372 éléments, ") and "2 conflits, 19 lacunes" in stdout
    html = out.read_text(encoding="utf-8")
    assert '<html lang="fr">' in html and "situation au 15 septembre 2027" in html
    assert "Conflits (2)" in html and "Lacunes (19)" in html and "<b>372</b>éléments" in html
    # the lights' objectives and outputs by the framework's French titles (title_fr)
    assert "<td>Renforcer l&#39;état de droit</td>" in html and "<td>Civils protégés</td>" in html
    assert "Trimestre 2027-Q3 (du 1er juillet 2027 au 30 septembre 2027)" in html
    assert re.search(r"Jalons échus non atteints \(\d+ ; les 10 premiers\)", html)
    plan = tmp_path / "plan.yaml"  # the demo's plan, in French (no register beside it)
    text = (demo_run / "plan.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  language: \w+.*\n", "", text).replace(
        "plan:\n", "plan:\n  language: fr\n", 1
    )
    plan.write_text(text, encoding="utf-8")
    assert "  language: fr" in plan.read_text(encoding="utf-8")
    run = report_paths(merged, tmp_path / "a.html", today=DEMO_TODAY, language=None)
    assert run.language == ENGLISH  # the merged plan's own language
    code, _, err = run_main("report", str(merged), "-p", str(plan), "-o", str(tmp_path / "b.html"),
                            "--today", DEMO_TODAY.isoformat())  # fmt: skip
    assert code == 0, err
    assert '<html lang="fr">' in (tmp_path / "b.html").read_text(encoding="utf-8")
    code, stdout, err = run_main("report", str(merged), "-p", str(plan), "--lang", "en",
                                 "-o", str(tmp_path / "c.html"))  # fmt: skip
    assert code == 0 and stdout.startswith("wrote "), err
    assert '<html lang="en">' in (tmp_path / "c.html").read_text(encoding="utf-8")
    code, _, err = run_main("report", str(merged), "-o", str(tmp_path / "d.html"), "--lang", "de")
    assert code == 2 and "unknown language 'de'" in err and not (tmp_path / "d.html").exists()


def test_a_french_baseline_names_the_changed_columns_in_french(
    demo_run: Path, tmp_path: Path
) -> None:
    template = next((demo_run / "templates").glob("*-HOM-*.xlsx"))
    out = tmp_path / "r.html"
    run = report_paths(demo_run / "mission-plan.xlsx", out, baseline=template,
                       today=DEMO_TODAY, language=FRENCH)  # fmt: skip
    assert run.report.changes
    english = report_paths(demo_run / "mission-plan.xlsx", tmp_path / "en.html",
                           baseline=template, today=DEMO_TODAY)  # fmt: skip
    assert english.report.changes is not None
    pairs = zip(run.report.changes, english.report.changes, strict=True)
    assert any(fr.detail != en.detail for fr, en in pairs)  # the columns' French headers
    assert [c.item_id for c in run.report.changes] == [c.item_id for c in english.report.changes]
    assert "modifié" in out.read_text(encoding="utf-8")


def test_retitling_changes_only_the_titles_it_is_given() -> None:
    from missionplan.merge.performance import performance
    from missionplan.report.model import retitled
    from tests.merge.test_performance import ITEMS, Q2

    lights = performance(ITEMS, Q2, {"4": "Objective four", "4.5": "Output"})
    done = retitled(lights, {"4.5": "Produit quatre-cinq", "9.9": "absent"})
    assert [(o.id, o.title) for o in done.outputs if o.id == "4.5"] == [
        ("4.5", "Produit quatre-cinq")
    ]
    assert [o.title for o in done.objectives if o.id == "4"] == ["Objective four"]
    assert [(o.id, o.light, o.counts) for o in done.outputs] == [
        (o.id, o.light, o.counts) for o in lights.outputs
    ]
    assert done.activities == lights.activities and done.rule == lights.rule
