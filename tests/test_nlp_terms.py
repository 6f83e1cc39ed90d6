"""The profile's term dictionaries on real corpus text (nlp/corpus train and dev; ids cited),
run through the profile's rules on a blank pipeline (no statistical model, fast)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from scintel.errors import ScintelError
from scintel.nlp.corpus import CORPUS_DIR, load_split
from scintel.nlp.harvest import harvest
from scintel.nlp.lexicon import TABLE_MEMBER, load_lexicon, select, table_lines
from scintel.nlp.normalise import entity_key
from scintel.nlp.patterns import dash_variants
from scintel.nlp.pipeline import Resources, add_enrichment, load_resources
from scintel.profile import load_profile


@pytest.fixture(scope="module")
def resources() -> Resources:
    return load_resources(load_profile("ket-biotech"))


@pytest.fixture(scope="module")
def nlp(resources: Resources) -> Language:
    return add_enrichment(spacy.blank("en"), resources)


def _text(split: str, record_id: str) -> str:
    for line in (CORPUS_DIR / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["id"] == record_id:
            return record["text"]
    raise AssertionError(f"{record_id} not in {split}")


def _ents(nlp: Language, text: str, label: str) -> list[tuple[str, str]]:
    return [(e.text, e.ent_id_) for e in nlp(text).ents if e.label_ == label]


def test_dash_variants_join_parts_every_way() -> None:
    assert set(dash_variants("gas fermentation")) == {
        "gas fermentation",
        "gas-fermentation",
        "gas–fermentation",
    }
    assert "CRISPR–Cas9" in dash_variants("CRISPR/Cas9")
    assert dash_variants("E. coli") == ["E. coli"]


def test_hyphenated_term_is_the_listed_one(nlp: Language) -> None:
    # train project-steelanol: "an innovative gas-fermentation process"
    text = _text("train", "project-steelanol")
    assert ("gas-fermentation", "gas fermentation") in _ents(nlp, text, "TECHNOLOGY")


def test_fermentation_modes_are_distinct_entities(resources: Resources) -> None:
    """Continuous and gas fermentation are no aliases of fed-batch fermentation."""
    surfaces = ("continuous fermentation", "gas fermentation", "fed-batch fermentation")
    keys = {resources.alias_keys[("TECHNOLOGY", entity_key("TECHNOLOGY", s))] for s in surfaces}
    assert len(keys) == 3


def test_enzyme_of_a_capitalised_title_keeps_its_substrate(nlp: Language) -> None:
    # dev patent-cyclezyme-ispetase-thermostable-variant: "... SAKAIENSIS PET-HYDROLASE VARIANT"
    text = _text("dev", "patent-cyclezyme-ispetase-thermostable-variant")
    chemicals = [t for t, _ in _ents(nlp, text, "CHEMICAL")]
    assert "PET-HYDROLASE" in chemicals
    assert "HYDROLASE" not in chemicals


def test_waste_keeps_its_origin(nlp: Language) -> None:
    # train project-enzycle-enzymatic-recycling-plastics: "27 million tonnes of plastic waste"
    text = _text("train", "project-enzycle-enzymatic-recycling-plastics")
    assert "plastic waste" in [t for t, _ in _ents(nlp, text, "CHEMICAL")]


def test_organisms_in_capitals_by_latin_name_and_by_common_name(nlp: Language) -> None:
    # train patent-wo2006038128-citrobacter-phytase: "CITROBACTER FREUNDII PHYTASE AND HOMOLOGUES"
    title = _text("train", "patent-wo2006038128-citrobacter-phytase").split("\n")[0]
    assert [t for t, _ in _ents(nlp, title, "ORGANISM")] == ["CITROBACTER FREUNDII"]
    assert [t for t, _ in _ents(nlp, title, "CHEMICAL")] == ["PHYTASE"]  # not "AND PHYTASE"
    # train news-ec-second-insect-novel-food: "Locusta migratoria (migratory locust)"
    text = _text("train", "news-ec-second-insect-novel-food")
    found = [t for t, _ in _ents(nlp, text, "ORGANISM")]
    assert "Locusta migratoria" in found and "migratory locust" in found
    # dev news-ec-insects-two-years: "migratory locust, house cricket and lesser mealworm"
    text = _text("dev", "news-ec-insects-two-years")
    found = [t for t, _ in _ents(nlp, text, "ORGANISM")]
    assert {"house cricket", "lesser mealworm"} <= set(found)


def test_latin_binomial_rule_leaves_places_and_words(nlp: Language) -> None:
    text = "Trials in California showed media effects; the Consortium premium rose in Bulgaria."
    assert _ents(nlp, text, "ORGANISM") == []


def test_programme_pillars_and_instruments(nlp: Language) -> None:
    # dev project-phbottle-phb-from-juice-wastewater names its FP7 theme in full.
    text = _text("dev", "project-phbottle-phb-from-juice-wastewater")
    programmes = [t for t, _ in _ents(nlp, text, "PROGRAMME")]
    assert "NMP – Nanosciences, Nanotechnologies, Materials and New Production Technologies" in (
        programmes
    )


def test_one_topic_term_spelled_with_a_hyphen_counts(nlp: Language) -> None:
    doc = nlp("Scale-up of gas-fermentation and fed batch fermentation.")
    assert doc._.topic_terms.get("gas fermentation") == 1


def test_harvest_lists_terms_the_train_split_marks_consistently() -> None:
    """`scintel nlp harvest` keeps a term the annotators mark every time ("synthetic
    biology"), not one they mark once and write unmarked elsewhere ("cosmetics" as a
    sector), nor short acronyms or terms the profile already names."""
    records = load_split("train")
    entries = harvest(records, known=set())
    names = {(e["label"], e["name"].casefold()) for e in entries}
    assert ("TECHNOLOGY", "synthetic biology") in names
    assert ("CHEMICAL", "cosmetics") not in names
    assert not any(label == "CHEMICAL" and name == "pe" for label, name in names)
    known = {entity_key("TECHNOLOGY", "synthetic biology")}
    assert ("TECHNOLOGY", "synthetic biology") not in {
        (e["label"], e["name"].casefold()) for e in harvest(records, known)
    }


def test_harvest_lists_a_common_word_only_when_marked_whole_nearly_every_time() -> None:
    """A word frequent in general English enters on much evidence: the train texts write
    "wine" and "beer" and mark them nearly every time, as a whole; "acid" they mark
    mostly inside a longer name ("lactic acid"), "water" and "food" mostly not at all."""
    names = {(e["label"], e["name"].casefold()) for e in harvest(load_split("train"), set())}
    assert {("CHEMICAL", "wine"), ("CHEMICAL", "beer")} <= names
    assert not {("CHEMICAL", "acid"), ("CHEMICAL", "water"), ("CHEMICAL", "food")} & names


def test_harvest_lists_a_common_word_marked_nearly_every_time_it_stands_alone() -> None:
    """ "rubber" the train texts mark inside longer names ("natural rubber") and, standing
    alone, every time; "wood" and "milk" standing alone they leave unmarked one time in
    four or more, "acid" three times in four."""
    names = {(e["label"], e["name"].casefold()) for e in harvest(load_split("train"), set())}
    assert ("CHEMICAL", "rubber") in names
    assert not {("CHEMICAL", "wood"), ("CHEMICAL", "milk"), ("CHEMICAL", "acids")} & names


def test_harvest_lists_programme_names_and_no_organisations() -> None:
    """Programme names recur from call to call ("Agriculture and Food Research Initiative");
    an organisation's name needs evidence in every text, so none is listed."""
    entries = harvest(load_split("train"), set())
    names = {(e["label"], e["name"]) for e in entries}
    assert ("PROGRAMME", "Agriculture and Food Research Initiative") in names
    assert not any(e["label"] == "ORG" for e in entries)


def test_an_entry_of_one_number_does_not_match_the_other(nlp: Language) -> None:
    """'hydrocarbons' is marked wherever the corpus writes it (train
    patent-synthetic-jet-fuel-syngas); 'hydrocarbon' names a kind of fuel (dev
    news-doe-mega-bio-lignin-award: 'sugars for the production of hydrocarbon fuels')."""
    plural = _text("train", "patent-synthetic-jet-fuel-syngas")
    singular = _text("dev", "news-doe-mega-bio-lignin-award")
    assert "hydrocarbons" in [t.lower() for t, _ in _ents(nlp, plural, "CHEMICAL")]
    assert "hydrocarbon" in singular
    assert "hydrocarbon" not in [t.lower() for t, _ in _ents(nlp, singular, "CHEMICAL")]


def test_harvest_lists_a_term_once_whatever_its_dashes() -> None:
    """Annotators wrote "wheat stem sawfly" and "wheat-stem sawfly" in one train text
    (patent-entomopathogenic-fungi-wheat-stem-sawfly); the ruler matches both spellings of
    one entry, and two entries would be a duplicate the profile refuses."""
    record = next(
        r
        for r in load_split("train")
        if r["id"] == "patent-entomopathogenic-fungi-wheat-stem-sawfly"
    )
    assert {"wheat stem sawfly", "wheat-stem sawfly"} <= {e["text"] for e in record["entities"]}
    entries = harvest([record], known=set())
    sawflies = [e["name"] for e in entries if "sawfly" in e["name"].lower()]
    assert len(sawflies) == 1


@pytest.mark.parametrize(
    ("command", "option", "shipped"),
    [
        ("harvest", "--out", "entities/corpus_terms.jsonl"),
        ("harvest", "--modifiers-out", "entities/corpus_modifiers.json"),
        ("topics", "--out", "topic_model.json"),
    ],
)
def test_the_shipped_corpus_files_are_what_the_commands_write(
    tmp_path: Path, command: str, option: str, shipped: str
) -> None:
    """The profile's corpus_terms.jsonl, corpus_modifiers.json and topic_model.json are
    `scintel nlp harvest`'s and `scintel nlp topics`'s output for the current train and dev
    splits (rerun them after the corpus changes)."""
    from typer.testing import CliRunner

    from scintel.cli.app import app

    out = tmp_path / Path(shipped).name
    outs = (
        [option, str(out)]
        if option == "--out"
        else ["--out", str(tmp_path / "x"), option, str(out)]
    )
    result = CliRunner().invoke(app, ["nlp", command, *outs])
    assert result.exit_code == 0, result.output
    expected = load_profile("ket-biotech").path(shipped)
    assert out.read_text(encoding="utf-8") == expected.read_text(encoding="utf-8")


def test_harvest_and_train_refuse_a_broken_corpus_in_one_line(tmp_path: Path) -> None:
    """A corpus file that is missing or not JSON is one error line and exit 2, and
    nothing is written."""
    broken = tmp_path / "broken"
    broken.mkdir()
    good = (CORPUS_DIR / "train.jsonl").read_text(encoding="utf-8").splitlines()[0]
    (broken / "train.jsonl").write_text(good + "\n" + good[:-40] + "\n", encoding="utf-8")
    out = tmp_path / "terms.jsonl"
    cases = [
        (["nlp", "harvest", "--corpus", str(tmp_path / "missing"), "--out", str(out)],
         f"{tmp_path / 'missing' / 'train.jsonl'}: no such corpus file"),
        (["nlp", "harvest", "--corpus", str(broken), "--out", str(out)],
         f"{broken / 'train.jsonl'}:2: not JSON"),
        (["nlp", "train", "--corpus", str(broken), "--out", str(tmp_path / "model")],
         f"{broken / 'train.jsonl'}:2: not JSON"),
        (["nlp", "topics", "--corpus", str(broken), "--out", str(out)],
         f"{broken / 'train.jsonl'}:2: not JSON"),
    ]  # fmt: skip
    for args, expected in cases:
        result = subprocess.run(
            [sys.executable, "-m", "scintel", *args],
            check=False, capture_output=True, text=True, cwd=tmp_path, timeout=300,
        )  # fmt: skip
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 2 and len(lines) == 1, result.stderr
        assert lines[0].startswith(f"scintel: error: {expected}"), lines[0]
    assert not out.exists() and not (tmp_path / "model").exists()


def test_the_classifier_drops_topics_one_loose_term_gave(
    nlp: Language, resources: Resources
) -> None:
    """dev patent-givaudan-nootkatone-laccase-valencene (a laccase process, gold: enzymes
    only): the rules alone also file it under fermentation and bio-based chemicals on a
    word each; mixed with the classifier only the enzyme topic stays, with its evidence."""
    from scintel.nlp.topics import TopicScorer

    assert resources.topic_model is not None
    text = _text("dev", "patent-givaudan-nootkatone-laccase-valencene")
    doc = nlp(text)
    cpc = ["C12P7/00", "C07C45/00", "C07C35/22"]
    by_rules = TopicScorer(resources.taxonomy).score(doc._.topic_terms, cpc)
    assert {"enzymes_biocatalysis", "bioprocessing_fermentation"} <= {t.key for t in by_rules}
    mixed = resources.scorer.score(doc._.topic_terms, cpc, text)
    assert [t.key for t in mixed] == ["enzymes_biocatalysis"]
    assert mixed[0].evidence[0]["term"] == "laccase"  # the rules' evidence first
    pushed = [e for e in mixed[0].evidence if "model" in e]
    assert pushed and all(e["weight"] > 0 and 0 < e["model"] < 1 for e in pushed)


def test_a_broken_topic_model_file_is_one_clear_error(tmp_path: Path) -> None:
    from scintel.errors import ScintelError
    from scintel.nlp.topic_model import TopicModel

    broken = tmp_path / "topic_model.json"
    broken.write_text('{"rule_weight": 0.3}', encoding="utf-8")
    with pytest.raises(ScintelError, match=r"not a topic model.*scintel nlp topics"):
        TopicModel.load(broken)
    with pytest.raises(ScintelError, match="cannot read the topic model"):
        TopicModel.load(tmp_path / "missing.json")


PUBCHEM_SAMPLE = Path(__file__).parent / "fixtures" / "nlp" / "pubchem" / "identifiers_sample.tsv"


def test_the_lexicon_takes_pubchem_names_a_text_writes_but_rarely() -> None:
    """From real lines of PubChem's identifiers table: "heme", "kaempferol", "scopolamine"
    are written in general English, rarely; "nickel" is too common to decide without the
    annotators; "temephos" and "mefluidide" nobody writes; their synonyms "abate" and
    "embark" (trade names that are English words) are never read."""
    lines = list(table_lines(PUBCHEM_SAMPLE))
    assert any("\tabate\t" in line for line in lines)
    assert select(lines) == ["heme", "kaempferol", "scopolamine"]
    shipped = set(load_lexicon(load_profile("ket-biotech").path("entities/chemical_lexicon.txt")))
    assert {"heme", "kaempferol", "scopolamine"} <= shipped
    assert not {"nickel", "temephos", "abate", "embark"} & shipped


def test_scintel_nlp_lexicon_reads_the_chemicals_wheel_and_refuses_other_files(
    tmp_path: Path,
) -> None:
    from typer.testing import CliRunner

    from scintel.cli.app import app

    wheel = tmp_path / "chemicals-1.5.2-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.write(PUBCHEM_SAMPLE, TABLE_MEMBER)
    out = tmp_path / "lexicon.txt"
    result = CliRunner().invoke(app, ["nlp", "lexicon", str(wheel), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "chemicals-1.5.2-py3-none-any.whl" in out.read_text(encoding="utf-8")
    assert load_lexicon(out) == ["heme", "kaempferol", "scopolamine"]

    other = tmp_path / "other.whl"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("README", "no table here")
    result = subprocess.run(
        [sys.executable, "-m", "scintel", "nlp", "lexicon", str(other), "--out", str(out)],
        check=False, capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1, result.stderr
    assert lines[0].startswith(f"scintel: error: SOURCE: {other}: not PubChem's identifiers")
    assert load_lexicon(out) == ["heme", "kaempferol", "scopolamine"]  # left as it was
    with pytest.raises(ScintelError, match=r"missing\.txt: cannot read the chemical lexicon"):
        load_lexicon(tmp_path / "missing.txt")


def test_harvest_adds_the_lexicons_chemicals_the_corpus_does_not_write_otherwise() -> None:
    """A PubChem name the texts never write joins the harvested terms ("kaempferol" beside
    these two train texts), and so does one the annotators mark inside chemicals' names
    ("heme" in "heme peroxidases"); one they write and leave unmarked ("lactose" in a
    review of lactose-free dairy, three times) does not, nor one the profile names."""
    train = {r["id"]: r for r in load_split("train")}
    records = [
        train["publication-unspecific-peroxygenases-epa-pollutants"],
        train["publication-foods-lactose-free-dairy-review-2023"],
    ]
    lexicon = ["heme", "kaempferol", "lactose", "scopolamine"]
    known = {entity_key("CHEMICAL", "scopolamine")}
    names = {e["name"] for e in harvest(records, known, lexicon) if e["label"] == "CHEMICAL"}
    assert {"heme", "kaempferol"} <= names
    assert not {"lactose", "scopolamine"} & names


def test_harvest_keeps_a_term_to_its_number_where_the_other_is_left_unmarked() -> None:
    """The train texts mark "antioxidants" as chemicals ("vitamins, antioxidants,
    essential oils", news-cordis-bioactive-net-mediterranean-residues) but leave the
    adjective "antioxidant" ("its antioxidant activity", project-leaf-lutein-algae)
    unmarked nearly every time: the harvested entry matches its own number only."""
    entries = {e["name"]: e for e in harvest(load_split("train"), set())}
    assert entries["antioxidants"].get("one_number") is True
    assert "one_number" not in entries["wine"]
