"""A funded project's coined name, known by the role the text gives it.

"The objective of Nymphe is", "MultiSoil's goal", "PHARMECO is supported by the Innovative
Health Initiative", "InnoCAR-T aims to", "the EU-funded Colorifix project", "the BIOSYSMO
and MIBIREM projects", "LOVE-FOOD is an EU funded project", "(SABIP) project", "EiCLaR, as a
EU/China consortium": the sentence says the name is the project (the
guide's ORG: a funded project's consortium), though no dictionary knows it and it does not
act the way a company does. Only a coined word counts: a mixed-case, digit or hyphenated
name ("Cure4Aqua", "SPIN-FERT"), or one general English does not use ("Nymphe"). On the
corpus's train and dev texts these roles name an organisation 64 times in 73.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from wordfreq import zipf_frequency

from scintel.nlp.normalise import MADE_ADJECTIVE

# A name may start in lower case where a capital follows ("upPE-T").
_NAME = r"((?:[A-Z]|[a-z]+(?=[A-Z]))[A-Za-z0-9À-ÖØ-öø-ÿ]*(?:[-–][A-Za-z0-9À-ÖØ-öø-ÿ]+)*)"
_ROLE_NOUN = r"(?:objectives?|aims?|goals?|ambition|mission|vision|purpose|consortium|partners)"
_ROLES = (
    re.compile(rf"\b{_ROLE_NOUN} of(?: the)? {_NAME}(?= (?:is|are|was|were|will|project)\b|[,:.])"),
    re.compile(
        rf"{_NAME}[’'´]s? (?:main |overall |key |primary |ultimate )?"
        r"(?:goal|aim|objective|ambition|mission|vision|consortium|partners)\b"
    ),
    re.compile(rf"{_NAME} (?:is|was|has been) (?:supported|funded|co-funded|coordinated) by\b"),
    re.compile(
        rf"{_NAME} (?:aims|proposes|addresses|focuses|seeks|intends|tackles|combines|introduces"
        r"|develops|developed|has developed|will develop|delivers|will deliver|demonstrates"
        r"|will demonstrate|brings|builds)\b"
    ),
    re.compile(rf"(?:\b[Tt]he|-funded) {_NAME} (?:project|consortium)\b"),
    re.compile(rf"{_NAME} and (?:the )?{_NAME} projects\b"),
    re.compile(rf"\b{_NAME} (?:is|was) an? (?:[\w/-]+ ){{0,4}}(?:project|consortium)\b"),
    re.compile(rf"\({_NAME}\) (?:project|consortium)\b"),
    re.compile(rf"\b{_NAME}, (?:as )?an? (?:[\w/-]+ ){{0,3}}(?:project|consortium)\b"),
    # "Project acronym: MycoRed", "the project, which was called eForFuel", "This project,
    # CCMeat, will", and a CORDIS report's title ("Periodic Reporting for period 2 - BIOPEN
    # (BIOPEN)", "Final Report Summary - BIOOX (Developing ...)").
    re.compile(rf"\bProject acronym:[ \t]*{_NAME}"),
    re.compile(rf"\b[Pp]roject,? (?:which was |that was )?(?:called|named|entitled) {_NAME}"),
    re.compile(rf"\b[Tt]his project, {_NAME},"),
    re.compile(
        rf"^(?:Periodic Reporting for period \d+|Final Report Summary|Report Summary) - {_NAME} \(",
        re.M,
    ),
)
# What a project has done or was set up for, as a report says it ("PROMYS has made
# substantial developments", "INGREEN has demonstrated", "PROMYS was designed to"). People
# do these things too ("Dr Satpathi has identified"), so only a name in capitals or with a
# capital, digit or hyphen inside counts here, never a rare word alone.
_REPORTED = (
    re.compile(
        rf"{_NAME} (?:has|have|had) (?:made|achieved|demonstrated|delivered|shown|created"
        r"|established|generated|succeeded|reached|identified|contributed|produced|enabled"
        r"|set up|addressed|improved)\b"
    ),
    re.compile(
        rf"{_NAME} (?:is|was|were) (?:designed|set up|launched|conceived|structured"
        r"|organi[sz]ed|implemented) (?:to|as|in|on|around)\b"
    ),
)
_SENTENCE_WORDS = frozenset(["The", "This", "These", "It", "Its", "Our", "Their", "Each"])
# A capitalised word rarer than this in English is a coined name ("Nymphe"), not a word.
RARE_ZIPF = 2.0


def _coined(name: str, rare_word: bool = True) -> bool:
    """A coined name: mixed case, a digit or a hyphen inside, or (`rare_word`) a
    capitalised word general English does not use."""
    if len(name) < 3 or name in _SENTENCE_WORDS or (name.isupper() and len(name) <= 3):
        return False
    if re.fullmatch(r"[A-Z]{2,}s", name):
        return False  # a plural short form names a class ("the network of MIIs")
    if MADE_ADJECTIVE.search(name):
        return False  # "the EU-funded project": who funds it, not its name
    if re.search(r"[A-Z0-9]|[-–]", name[1:]):
        return True
    return rare_word and zipf_frequency(name.lower(), "en") < RARE_ZIPF


# A project summary's title that gives the project's name: "ForestValue - Innovating
# forest-based bioeconomy", "ACTINOGEN – Uncovering ...", "... sugarbeet Pulp into VALUE added
# products (PULP2VALUE)", a CORDIS report's "Periodic Reporting for period 2 - eCHO Systems
# (Enhancing ...)". On train and dev such a name is the project's ORG 22 times in 25.
_TITLE_NAMES = (
    re.compile(rf"^{_NAME} ?[-–:] "),
    re.compile(rf"\({_NAME}\)$"),
    re.compile(
        r"^(?:Periodic Reporting for period \d+|Final Report Summary|Report Summary) - "
        r"([A-Za-z0-9][\w-]*(?: [A-Z0-9][\w-]*){0,2}) \("
    ),
)


def title_name(title: str) -> str | None:
    """The coined name a project summary's title gives the project, if it gives one."""
    for pattern in _TITLE_NAMES:
        match = pattern.search(title.strip())
        if match and _coined(match.group(1).split()[0]):
            return match.group(1)
    return None


def project_names(text: str) -> set[str]:
    """The coined names the text gives a project's role."""
    return {
        name
        for pattern in _ROLES
        for match in pattern.finditer(text)
        for name in match.groups()
        if _coined(name)
    } | {
        name
        for pattern in _REPORTED
        for name in (match.group(1) for match in pattern.finditer(text))
        if _coined(name, rare_word=False)
    }


def named_projects(
    text: str, mentions: list, make: Callable[[str, str, int, int], object | None]
) -> list:
    """The mentions with every occurrence of a project's coined name an ORG, in place of
    the model's reading of it; a name a rule or dictionary labelled stays as it is."""
    for name in project_names(text):
        at = [  # in a report's capitals too ("BiOPEN" of "BIOPEN"), if still coined
            (match.start(), match.end())
            for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.I)
            if match.group() == name or (match.group()[1:] != match.group()[1:].lower())
        ]
        if any(
            m.start < e and s < m.end and m.origin != "model" and m.label != "ORG"
            for m in mentions
            for s, e in at
        ):
            continue
        for s, e in at:
            if any(m.label == "ORG" and m.start <= s and e <= m.end for m in mentions):
                continue
            mentions = [m for m in mentions if not (m.start < e and s < m.end)]
            made = make("ORG", text[s:e], s, e)
            if made is not None:
                mentions.append(made)
    return mentions
