"""The link rules and the confidence each earns: the precision it measured on labelled data.

A link's confidence is not a score its rule makes up: it is the rule's precision on the dev
split of the labelled link set (bench/links/, real CORDIS projects and real records),
smoothed as (right + 1) / (right + wrong + 2) so that a rule seen on few pairs stays modest.
`python bench/links.py --split dev` prints the counts per rule; update RULES from them.
A rule without labelled pairs gets a stated prior below SHOW_THRESHOLD: its links are
candidates until labelled data shows otherwise.

The digest shows links at or above SHOW_THRESHOLD and lists the others as candidates;
v_project_outputs has every link with its confidence, to filter in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass

SHOW_THRESHOLD = 0.8


@dataclass(frozen=True)
class LinkRule:
    method: str  # document_links.method
    right: int | None  # labelled pairs on dev the rule linked rightly (None: not measured)
    wrong: int | None
    prior: float = 0.5  # used only when the rule has no labelled pairs
    what: str = ""

    @property
    def confidence(self) -> float:
        if self.right is None or self.wrong is None:
            return self.prior
        return round((self.right + 1) / (self.right + self.wrong + 2), 3)


# Counts: bench/links.py --split dev, link set of 2026-12-04 (305 dev pairs, 85 dev events),
# every rule that found a labelled pair counted, whichever rule's link was kept.
RULES: dict[str, LinkRule] = {
    "manual": LinkRule("manual", None, None, 1.0, "an analyst's link (curation)"),
    "grant_id": LinkRule(
        "harvested", 57, 0, what="the record's grant field names the project number"
    ),
    "grant_number_acronym": LinkRule(
        "text-mined", 5, 0, what="the project number and its acronym in the text"
    ),
    "grant_code": LinkRule(
        "text-mined", 2, 0, what="an FP7/H2020 contract code ending in the project number"
    ),
    "grant_number_wording": LinkRule(
        "text-mined", 4, 0, what="the project number after grant wording with an EU funder"
    ),
    "acronym_project_word": LinkRule(
        "text-mined", 9, 0, what="the acronym as written, beside 'project', 'consortium'..."
    ),
    "acronym_title": LinkRule(
        "text-mined", 3, 0, what="the acronym as written, near most words of the project title"
    ),
    "patent_applicant": LinkRule(
        "matched",
        None,
        None,
        0.6,
        "an applicant is a participant; filed in the project's window; similar text",
    ),
    "news_actor": LinkRule(
        "matched",
        None,
        None,
        0.6,
        "a participant acts in the story (headline subject or party of its event); similar text",
    ),
    "follow_on_participant": LinkRule(
        "matched",
        36,
        0,
        what="a later project shares a participant and starts after the earlier ran a while",
    ),
    "uptake_party": LinkRule(
        "matched",
        3,
        0,
        what="a participant (its group, or the company a subsidiary is named after) is a party"
        " of a typed uptake signal in the project's window",
    ),
}


def confidence(rule: str) -> float:
    return RULES[rule].confidence


def method(rule: str) -> str:
    return RULES[rule].method
