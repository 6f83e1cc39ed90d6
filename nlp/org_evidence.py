"""Is a name an organisation? The annotation guide's evidence and rejections, as data.

The statistical model calls many capitalised runs ORG: headings, job titles, facilities,
journals, diseases, policies and the titles of acts. An ORG is kept only with evidence
(an organisation word, a legal form written at the end of the name, a verb of acting, an
appositive such as "..., a Danish start-up", a name the record itself lists) and never
when its words say it is something else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from wordfreq import zipf_frequency

from scintel.nlp.lines import line_bounds
from scintel.nlp.normalise import UNIVERSITY_WORDS, tokens
from scintel.nlp.project_names import title_name

# Words that make a name an organisation (guide: companies, universities, institutes,
# agencies, offices, consortia, EU institutions).
INSTITUTION_WORDS = frozenset(
    [
        "university",
        "universities",
        "institute",
        "institut",
        "instituto",
        "istituto",
        "institution",
        "agency",
        "office",
        "department",
        "commission",
        "council",
        "laboratory",
        "laboratories",
        "lab",
        "labs",
        "centre",
        "center",
        "centro",
        "foundation",
        "fundacion",
        "association",
        "consortium",
        "company",
        "companies",
        "group",
        "bank",
        "ministry",
        "authority",
        "college",
        "school",
        "hospital",
        "administration",
        "service",
        "services",
        "board",
        "network",
        "alliance",
        "coalition",
        "society",
        "organisation",
        "organization",
        "partners",
        "industries",
        "fund",
        "directorate",
        "parliament",
        "academy",
        "observatory",
        "cooperative",
        "federation",
        "committee",
        "secretariat",
        "bureau",
        "unit",
        "division",
        "undertaking",
        "exchange",
    ]
)
# A word this common in English (wordfreq's Zipf scale) is a common word: alone it names
# no company (train and dev mark none of the model's one-word organisations above it but
# institution words), and a name of such words only is a product's ("Bake Off Technology").
COMMON_WORD_ZIPF = 3.5
# Words companies end their names with ("Bluestem Biosciences", "Range Fuels", "Erg Bio").
COMPANY_WORDS = frozenset(
    [
        "biosciences",
        "bioscience",
        "biotech",
        "biotechnologies",
        "biologics",
        "therapeutics",
        "pharmaceuticals",
        "pharma",
        "technologies",
        "chemicals",
        "foods",
        "fuels",
        "scientific",
        "bio",
        "bioenergy",
        "biorefining",
        "biosolutions",
        "polymers",
        "ingredients",
        "ventures",
        "holdings",
        "enterprises",
        "genomics",
        "diagnostics",
        "bioworks",
        "biologicals",
    ]
)
ORG_WORDS = INSTITUTION_WORDS | UNIVERSITY_WORDS
# In a heading ("Harmful Alien Species - Integrated Solutions", "AI Situational Awareness
# Foundation") every word is capitalised, so only words no heading uses loosely count.
STRONG_WORDS = UNIVERSITY_WORDS | frozenset(
    [
        "university",
        "universities",
        "institute",
        "institut",
        "instituto",
        "istituto",
        "laboratory",
        "laboratories",
        "agency",
        "ministry",
        "department",
        "office",
        "commission",
        "college",
        "hospital",
        "academy",
        "bank",
        "authority",
        "directorate",
        "parliament",
        "bureau",
        "undertaking",
    ]
)
# Legal forms as written at the end of a company name ("Acme Bio, Inc.", "Novozymes A/S").
LEGAL_FORM_END = re.compile(
    r"(?:,?\s)(?:GmbH(?: & Co\.? KG)?|AG|SE|S\.A\.?|SA|B\.V\.?|BV|N\.V\.?|NV|A/S|AS|ApS|Oy|Oyj|AB|"
    r"LLC|L\.L\.C\.|Ltd\.?|Limited|Inc\.?|Corp\.?|Corporation|Co\.|plc|PLC|S\.p\.A\.|SpA|S\.L\.|SL|"
    r"SAS|S\.A\.S\.|S\.r\.l\.|Srl|SRL|KG|KGaA|e\.V\.|GMBH|LTD|INC|CORP)$"
)
# Verbs that show a name acting, right after it ("Evonik starts", "Novozymes said", "The
# Bio-Based Industries Joint Undertaking (BBI JU) will be providing"). Active forms only:
# "HMF was produced" or "PHB is a polymer" says nothing about an organisation.
_AUXILIARY = (
    r"(?:(?:has|have|had|will|would|shall|also|today|now|recently|jointly|officially|"
    r"successfully|then|just|further|is set to|are set to|plans to|is to|are to)\s+){0,3}"
)
_ACTING = (
    r"announce[sd]?|said|says|sign(?:s|ed)|acquire[sd]?|raise[sd]?|open(?:s|ed)|"
    r"launch(?:es|ed)|partner(?:s|ed)|invest(?:s|ed)|award(?:s|ed)|select(?:s|ed)|offer(?:s|ed)|"
    r"receive[sd]?|secure[sd]?|join(?:s|ed)|coordinate[sd]?|agree[sd]?|buy(?:s)?|bought|"
    r"build(?:s)?|built|operate[sd]?|manufacture[sd]?|fund(?:s|ed)|employ(?:s|ed)|"
    r"expect(?:s|ed)|unveil(?:s|ed)|hire[sd]?|appoint(?:s|ed)|license[sd]?|licensed|"
    r"collaborate[sd]?|won|wins|closed|completed|approve[sd]?|authori[sz]e[sd]|adopt(?:s|ed)|"
    r"propose[sd]|publishe[sd]|release[sd]|start(?:s|ed)|lead(?:s)?|led|provide[sd]|"
    r"develop(?:s|ed)|produce[sd]|commercialis(?:es|ed)|commercializ(?:es|ed)|uses?|"
    r"brings|brought|aims|aimed|intends|intended|seeks|sought|marks|dedicate[sd]|"
    r"contribute[sd]?|establishe[sd]|"
    r"chose|choose[s]?|confirm(?:s|ed)|report(?:s|ed)|welcome[sd]|applaud(?:s|ed)|"
    r"support(?:s|ed)|sponsor(?:s|ed)|oversee[sn]?|oversaw|host(?:s|ed)|"
    r"is (?:a|an|the) (?:[\w'’-]+ ){0,3}(?:company|firm|start-?up|spin-?off|producer|"
    r"manufacturer|supplier|developer|provider|leader|institute|university|"
    r"organi[sz]ation|consortium|partnership|agency|group|SME|cooperative|subsidiary)|"
    r"(?:is|are|was|were|will be|has been|have been) (?:now |currently |also |actively )?"
    r"(?:providing|developing|pioneering|working|building|investing|leading|coordinating|"
    r"offering|launching|planning|seeking|partnering|collaborating|funding|supporting|"
    r"opening|producing|scaling|commercialising|commercializing|expanding|headquartered|"
    r"based in|founded|established)"
)
# After the name: an optional apposition (", its Danish partner,") or bracketed short form.
ACTS = re.compile(
    rf"^\)?\s*(?:\([^()\n]{{1,40}}\)\s*)?(?:\s*(?:and|&)\s+[A-Z][\w&.-]*(?:\s[A-Z][\w&.-]*){{0,2}}\s+)?(?:,\s+(?:a|an|the|its|their|which|who|based|headquartered|[\w-]+ed\s+(?:by|in|under|with))\b[^,\n]{{0,60}},\s*)?"
    rf"{_AUXILIARY}(?:{_ACTING})\b(?!\s+by\b)",  # "developed by": passive
    re.I,
)
# "..., a Danish start-up" after the name; "the French company ..." before it.
_ORG_NOUN = (
    r"(?:company|companies|firm|start-?up|spin-?off|scale-?up|producer|manufacturer|maker|supplier|provider|"
    r"developer|subsidiary|SME|partner|coordinator|university|institute|consortium|group|"
    r"biotech|agency|organi[sz]ation|cooperative|partnership)"
)
APPOSITION_AFTER = re.compile(
    rf"^\s*(?:\([^()\n]{{1,40}}\))?,\s+(?:a|an|the)\s+(?:[\w'’-]+\s+){{0,4}}{_ORG_NOUN}\b", re.I
)
NOUN_BEFORE = re.compile(rf"\b{_ORG_NOUN}\s+$", re.I)
_BENEFICIARY_BEFORE = re.compile(
    r"\b(?:in favou?r of|(?:investment |State )?aid to|awarded to|granted to|loan to)\s+$"
)
# Nouns that call a name a company (not a role a person has, like "coordinator").
COMPANY_NOUN = (
    r"(?:company|firm|start-?up|spin-?off|SME|biotech|manufacturer|supplier|subsidiary|"
    r"maker|producer|cooperative)"
)
_COMPANY_BEFORE = re.compile(rf"\b{COMPANY_NOUN}\s+$", re.I)
# A person described by their organisation: "..., a University of Chicago professor".
# Roles a person and an organisation can both have: for a name the model read as a
# person, they do not make it an organisation.
_ROLE_END = re.compile(r"\b(?:coordinator|partner)$", re.I)
_PERSON_NOUN = re.compile(
    r"[^,.;\n]{0,50}?\b(?:professor|director|researcher|scientist|founder|chief|CEO|head|"
    r"coordinator|manager|student|fellow|engineer|president|chair|officer|spokesperson)\b",
    re.I,
)
_EXCHANGES = r"(?:Nasdaq|NASDAQ|NYSE|Euronext|LSE|TSX|ASX|OTCQX|OTC|XETRA|SIX|OMX)"
# "Royal Cosun is one of the leading companies in ...", "BioNTech became the first
# European company to ...", a stock listing "BioNTech (Nasdaq: BNTX)".
ONE_OF = re.compile(
    r"\s+(?:is|was|remains)\s+one\s+of\s+the\s+(?:[\w'’-]+\s+){0,3}"
    r"(?:companies|producers|manufacturers|suppliers|developers|firms|players|makers)\b"
    r"|\s+(?:is|was|became|becomes)\s+(?:a|an|the)\s+(?:[\w'’-]+\s+){0,3}"
    r"(?:company|producer|manufacturer|supplier|firm|start-?up|biotech)\b"
    rf"|\s*\({_EXCHANGES}[\w ]{{0,20}}:"
)
LISTING_BEFORE = re.compile(rf"\({_EXCHANGES}[\w ]{{0,20}}:\s*$")
# "biotech companies such as MolMed and BioNTech": names a plural organisation noun lists.
SUCH_AS_BEFORE = re.compile(
    r"\b(?:companies|firms|start-?ups|producers|manufacturers|suppliers|SMEs|partners)"
    r"\s+(?:such\s+as|like|including)\s+(?:[A-Z][\w&'’.-]*(?:\s[A-Z][\w&'’.-]*){0,3}"
    r"(?:,\s+|\s+and\s+))?$"
)
# Job titles: "Principal Group Manager", "DOE Assistant Secretary", "NREL Director ...".
_TITLE_WORDS = (
    r"CEO|CTO|CFO|COO|CSO|President|Vice[- ]President|Director(?:-General)?|Manager|Secretary|"
    r"Minister|Commissioner|Chair|Chairman|Chairwoman|Chairperson|Professor|Prof\.|Dean|"
    r"Officer|Founder|Co-[Ff]ounder|Administrator|Spokesperson|Ambassador|Governor|Senator|"
    r"Mayor|Rapporteur|Coordinator|Head|Investigator|Candidate|Fellow|Postdoc|"
    r"PhD|Ph\.D|MPH|DrPH|MSc|BSc"
)
TITLE_WORD = re.compile(rf"\b(?:{_TITLE_WORDS})\b")
# Words that qualify a title and belong to it: "Principal Group Manager", "Senior Director for".
TITLE_MODIFIER = frozenset(
    [
        "principal",
        "senior",
        "junior",
        "associate",
        "assistant",
        "deputy",
        "executive",
        "interim",
        "acting",
        "general",
        "managing",
        "group",
        "program",
        "programme",
        "project",
        "technical",
        "scientific",
        "technology",
        "development",
        "business",
        "research",
        "chief",
        "vice",
        "under",
        "former",
    ]
)
# What a name ending so is not: a facility, a publication, a document or policy.
PLACE_OR_EVENT = re.compile(
    r"\b(?:(?:Convention|Conference|Exhibition|Congress|Visitor|Visitors|Events?)\s+(?:Cent(?:er|re)|Hall)|"
    r"Plant|Biorefinery|Refinery|Facility|Mill|Factory|Hotel|Airport|Stadium|Arena|Meeting|Forum|"
    r"Summit|Conference|Congress|Symposium|Workshop|Expo|Week|Day|Awards?)$"
)
PUBLICATION = re.compile(
    r"^(?:Journal|Proceedings|Annals|Trends|Frontiers|Advances|Current Opinion|Critical Reviews|"
    r"Archives|Bulletin|Transactions|Letters)\b|\b(?:Journal|Reviews|Letters|Reports|Review)$|"
    r"^(?:Nature|Science|Cell|PLOS|PLoS|PNAS|PubMed|Scopus|Web of Science|Google Scholar|"
    r"bioRxiv|medRxiv|arXiv|ScienceDirect)\b"
)
DOCUMENT = re.compile(
    r"\b(?:Regulation|Directive|Decision|Act|Law|Treaty|Standard|Strategy|Plan|Agenda|"
    r"Announcement|FOA|Order|Deal|Pact|Roadmap|Framework|Guidelines?|Policy|Declaration|"
    r"Charter|Report|Communication|Call|Topic|Annex|Article|Section|Chapter|Title|Agreement|"
    r"Contracts?|Grants?|Prize|Challenge|Opportunity|Opportunities|Solicitation|Notice|Arrangement)$"
)
# A method, study or treatment named in title case ("Topological Data Analysis", "Life Cycle
# Assessment", "Adaptive Laboratory Evolution", "Progressive Tinnitus Management").
METHOD_END = re.compile(
    r"\b(?:Analysis|Analyses|Assessment|Management|Evolution|Learning|Modell?ing|Education|"
    r"Intervention|Therapy|Model|Synthesis|Screening|Sequencing|Evaluation|Fermentation|"
    r"Hydrolysis|Pretreatment|Chromatography|Spectrometry|Spectroscopy|Microscopy|Simulation|"
    r"Optimi[sz]ation)$"
)
PRODUCT_END = re.compile(r"\b(?:Fuels?|Boards?|Oils?|Technology|Techniques?)$")
PROGRAMME_END = re.compile(r"\b(?:Program|Programme|Initiative)$")
# "The BER program", "Efficient Equipment as a Service (eEaaS) program": a programme.
PROGRAMME_AFTER = re.compile(r"^\)?\s*(?:\([^()\n]{1,20}\)\s*)?program(?:me)?\b")
DISEASE = re.compile(
    r"\b(?:[Dd]isease|[Ss]yndrome|[Ff]ever|[Vv]irus|[Ii]nfection|[Dd]isorder|[Cc]ancer|[Dd]iabetes|"
    r"COVID(?:-19)?|SARS(?:-CoV-2)?|MERS|HIV|AIDS|Ebola|[Mm]alaria|[Tt]uberculosis|[Ii]nfluenza|"
    r"[Pp]andemic|[Ee]pidemic|[Ss]clerosis|Alzheimer['’]?s?|Parkinson['’]?s?)\b"
)
# EU and US acts by their title: an institution named inside one does not act there
# ("Regulation (EU) 2015/2283 of the European Parliament and of the Council").
ACT_TITLE = re.compile(
    r"\b(?:(?:Commission|Council)\s+)?(?:Implementing\s+|Delegated\s+)?"
    r"(?:Regulation|Directive|Decision|Recommendation)\s*(?:\((?:EU|EC|EEC|Euratom)\)\s*)?"
    r"(?:No\.?\s*)?\d{1,4}/\d{1,4}(?:/(?:EU|EC|EEC))?"
    r"(?:\s+of\s+the\s+European\s+Parliament(?:\s+and\s+of\s+the\s+Council)?|\s+of\s+the\s+Council)?"
)
# Institutions named as the authors of an act at its head: "THE EUROPEAN COMMISSION,"
# reads as acting, the act's title does not.
_HEADLINE_VERB = re.compile(
    r"\s+(?:Awards?|Announces?|Offers?|Opens?|Launch(?:es)?|Selects?|Invests?|Signs?|Acquires?|"
    r"Partners?|Receives?|Wins?|Funds?|Breaks?|Unveils?|Teams?|Joins?|Expands?|Completes?|"
    r"Celebrates?|Marks?|Dedicates?|Names?|Starts?|Begins?|Secures?|Raises?|Reports?|Releases?|"
    r"Dr\.?|Mr\.?|Mrs\.?|Ms\.?)$"
)
_BODY_PROGRAMME = frozenset(
    [
        "undertaking",
        "council",
        "agency",
        "authority",
        "bank",
        "foundation",
        "commission",
        "partnership",
    ]
)


def has_org_word(text: str, heading: bool = False) -> bool:
    """An organisation word among a name's words ("University of Graz"), or a company
    word ending it ("Bluestem Biosciences", not "Bio Products"); in a heading only a
    word that headings do not use loosely."""
    found = tokens(text)
    if len(found) < 2:
        return False
    if heading:
        return any(w in STRONG_WORDS for w in found)
    return any(w in ORG_WORDS for w in found) or found[-1] in COMPANY_WORDS


def in_heading(text: str, start: int, end: int) -> bool:
    """Whether the name at start:end stands in a heading: a line with most of its longer
    words capitalised, of which the name is only a part (a line that is just the name is
    an item of a list, such as a paper's funders)."""
    line_start, line_end = line_bounds(text, start, end)
    line = text[line_start:line_end]
    long_words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line) if len(w) > 3]
    capitalised = sum(w[0].isupper() for w in long_words)
    rest = text[line_start:start] + text[end:line_end]
    return (
        len(line) <= 200
        and not re.search(r"[.;]\s*$|;", line)  # a sentence or a list is no heading
        and len(long_words) >= 3
        and capitalised >= 0.75 * len(long_words)
        and len(re.findall(r"[^\W\d_]{4,}", rest)) >= 2
    )


def has_legal_form(text: str) -> bool:
    return bool(LEGAL_FORM_END.search(text)) and len(text.split()) > 1


# A preposition right before a name makes it no subject: in "the Joint Programming
# Initiative (JPI) on Anti-Microbial Resistance (AMR) provides", the initiative provides.
_OBJECT_OF = re.compile(
    r"\b(?:of|on|for|in|to|from|with|by|about|at|under|between|among|into|via|through|"
    r"against|towards?)\s+(?:the\s+)?$",
    re.I,
)


def acts_after(text: str, start: int, end: int) -> bool:
    """A verb of acting (or an appositive naming the kind of organisation) follows the
    name at `start`-`end`, and no preposition before it makes it an object."""
    if _OBJECT_OF.search(text, max(0, start - 20), start):
        return False
    after = text[end : end + 120]
    return bool(ACTS.match(after) or APPOSITION_AFTER.match(after))


def acts_itself(text: str, start: int, end: int) -> bool:
    """The name acts (`acts_after`) and is not a short form in brackets, which acts through
    its long form: in "Framework Partnership Agreement (FPA) awarded" the verb is the long
    form's, and a short form takes its long form's evidence."""
    if text[start - 1 : start] == "(" and text[end : end + 1] == ")":
        return False
    return acts_after(text, start, end)


def named_as_organisation(text: str, start: int) -> bool:
    """ "the French company Suprême", "start-up Esencia Foods": the noun before says so;
    "aid to NordFuel", "in favour of NordFuel": so does a beneficiary's preposition."""
    before = text[max(0, start - 40) : start]
    return bool(
        NOUN_BEFORE.search(before)
        or _BENEFICIARY_BEFORE.search(before)
        or SUCH_AS_BEFORE.search(text[max(0, start - 80) : start])
    )


def called_organisation(text: str, start: int, end: int, person: bool = False) -> bool:
    """The text calls the name an organisation: "biotech company Bavarian Nordic",
    "Protix, a producer of ...", "Royal Cosun is one of the leading companies"; not a
    person it describes by an organisation ("Laurens Mets, a University of Chicago
    professor", "project coordinator Manuel Tárraga")."""
    after = text[end : end + 120]
    apposition = APPOSITION_AFTER.match(after)
    if apposition and _PERSON_NOUN.match(after, apposition.end()):
        apposition = None
    if apposition and person and _ROLE_END.search(apposition.group(0)):
        apposition = None  # "Birgir Örn Smárason, the coordinator of ...": a person's role
    return bool(
        _COMPANY_BEFORE.search(text[max(0, start - 40) : start])
        or apposition
        or ONE_OF.match(after)
    )


def is_body(name: str) -> bool:
    """A programme that is also a body that can act (a joint undertaking, a council)."""
    return any(w in _BODY_PROGRAMME for w in tokens(name))


# A kind of body, never one body's name: "The SME will receive", "an Inter-Agency
# Announcement", "a Centre of Excellence", any body with its indefinite article ("a European
# Research Infrastructure Consortium"), and a funding phase ("Phase 2") (on train and dev
# never marked alone: SME 0 of 109, Member State 0 of 54, Centre of Excellence 0 of 3,
# Phase 0 of 56).
KIND_OF_BODY = re.compile(
    r"^(?:(?:M?SME|NGO|RTO|CSO)s?|Inter-Agency|Member States?|(?:an? )?Cent(?:re|er)s? of Excellence"
    r"|[Aa]n? [A-Z][^\n]*|[Pp]hase(?: (?:[0-9]{1,2}|[IV]{1,4}))?)$"
)

# The short forms of documents and of practice standards are neither bodies nor programmes:
# "the NOFO", "this DCL", "an RFI", "CGMP manufacturing" (on train and dev never marked
# alone: 0 of 166).
DOCUMENT_ACRONYM = re.compile(r"(?:NOFO|FOA|RFA|RFP|RFI|DCL|NOI|[cC]?GMP|GLP|GCP)s?")


def not_an_organisation(name: str) -> bool:
    """Facilities, publications, documents, diseases and methods, by the words of their
    name; a kind of body ("SME"); and one common word a heading or a sentence's start
    capitalises ("Applicants", "Actions", "Phase"), unless it is an organisation word ("the
    Commission")."""
    if PLACE_OR_EVENT.search(name) or PUBLICATION.search(name) or DOCUMENT.search(name):
        return True
    if KIND_OF_BODY.match(name):
        return True
    if (
        name.isalpha()
        and name.istitle()
        and name.lower() not in INSTITUTION_WORDS
        and zipf_frequency(name.lower(), "en") >= COMMON_WORD_ZIPF
    ):
        return True
    return bool(DISEASE.search(name) or is_method(name)) and not any(
        w in INSTITUTION_WORDS for w in tokens(name)
    )


def is_method(name: str) -> bool:
    """A method or study in title case, no organisation word in it ("Life Cycle Assessment",
    not "Institute for Systems Analysis"), or a product or technique named in common words
    ("Sustainable Aviation Fuels", "Bake Off Technology"; not "Range Fuels", "Alder
    Fuels" or "DG Fuels Company": two words, a rare word or capitals make a company)."""
    if any(w in INSTITUTION_WORDS for w in tokens(name)):
        return False
    if METHOD_END.search(name):
        return True
    words = name.split()
    return (
        bool(PRODUCT_END.search(name))
        and len(words) > 2
        and not any(w.isupper() for w in words)
        and all(zipf_frequency(w.lower(), "en") >= COMMON_WORD_ZIPF for w in words)
    )


def act_titles(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in ACT_TITLE.finditer(text)]


def headline_verb(name: str) -> int:
    """Length of a title-case verb glued to a name in a headline ("DOE Offers"), or of a
    form of address glued to its end ("... Institute of Health Dr"), else 0."""
    match = _HEADLINE_VERB.search(name)
    return len(match.group(0)) if match and match.start() > 0 else 0


def title_follows(text: str, end: int) -> bool:
    """A job title right after a name: "Principal Group" in "Principal Group Manager"."""
    return bool(re.match(rf"\s(?:{_TITLE_WORDS})\b", text[end : end + 30]))


def without_title(name: str) -> tuple[int, int] | None:
    """The part of a name that is not a job title, as (start, end) in `name`; None when
    nothing is left. "NREL Director" -> "NREL"; "Director of the Bioenergy Technologies
    Office" -> "Bioenergy Technologies Office"; "Principal Group Manager" -> None. Titles
    inside an office's name ("Office of the Under Secretary of Defense") stay."""
    match = TITLE_WORD.search(name)
    if match is None:
        return (0, len(name))
    before = name[: match.start()]
    if re.match(r"^(?:the\s+)?(?:Office|Department|Ministry|Bureau|Directorate)\b", name, re.I):
        return (0, len(name))
    of = re.match(r"\s+(?:of|at|for)\s+(?:the\s+)?", name[match.end() :])
    if not before.strip() and of:
        start = match.end() + of.end()
        rest = name[start:]
        return (start, len(name)) if rest and rest[0].isupper() else None
    return title_modifiers_cut(before)


def title_modifiers_cut(name: str) -> tuple[int, int] | None:
    """`name` without the words that qualify a title after it ("Principal Group")."""
    kept = list(re.finditer(r"\S+", name))
    while kept and kept[-1].group(0).lower() in TITLE_MODIFIER:
        kept.pop()
    return (kept[0].start(), kept[-1].end()) if kept else None


def known_organisations(record: Any) -> tuple[str, ...]:
    """Names a record itself gives for organisations: a project's acronym (or the name
    its title gives it), coordinator and participants (with their short names), a
    patent's applicants."""

    def get(obj: Any, name: str) -> Any:
        return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)

    names: list[str] = []
    for field in ("acronym", "coordinator"):
        value = get(record, field)
        if isinstance(value, str):
            names.append(value)
    title = get(record, "title")
    if get(record, "kind") == "project" and not get(record, "acronym") and isinstance(title, str):
        names.extend(filter(None, [title_name(title)]))
    for applicant in get(record, "applicants") or ():
        if isinstance(applicant, str):
            names.append(applicant)
    for participant in get(record, "participants") or ():
        if isinstance(participant, str):
            names.append(participant)
            continue
        for field in ("name", "short_name"):
            value = get(participant, field)
            if isinstance(value, str):
                names.append(value)
    return tuple(dict.fromkeys(n.strip() for n in names if n and n.strip()))


def occurrences(text: str, names: Iterable[str]) -> list[tuple[int, int]]:
    """Where the record's own organisation names stand in the text, as written: acronyms
    (and names with two capitals) in any case when the text writes them with two capitals
    ("SEAMARK" as "SeaMark"), other names ignoring case."""
    found = []
    for name in names:
        if len(name) < 3 or not any(c.isalpha() for c in name):
            continue
        pattern = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", re.I)
        for match in pattern.finditer(text):
            surface = match.group(0)
            if sum(c.isupper() for c in surface) >= 2 or (" " in surface and surface[:1].isupper()):
                found.append(match.span())
    return found
