"""Span rules after the recognisers, from the annotation guide: evidence for organisations,
abbreviations that take their long form's label, strains kept inside organism spans,
project acronyms, `EU` as a polity.

Each rule reads the whole text: a recogniser sees tokens, not that "POI" was defined as
"protein of interest (POI)" three sentences earlier.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from spacy.lang.en.stop_words import STOP_WORDS
from wordfreq import zipf_frequency

from scintel.nlp import crops, elements, modifiers, people, places
from scintel.nlp import org_evidence as evidence
from scintel.nlp.coordination import coordinated, typed_lists
from scintel.nlp.lines import line_bounds
from scintel.nlp.normalise import MADE_ADJECTIVE, country_code, entity_key, tokens
from scintel.nlp.project_names import named_projects

# A chemical made an adjective: "lactose-free", "chitin-containing", "protein-rich".
_CHEMICAL_ADJECTIVE = re.compile(r"-(?:based|free|containing|rich|like) (?=\w)")
_SHORT_COUNTRIES = frozenset(["UK", "US", "USA", "U.S.", "U.K."])  # not "GE", "AS": words too
_SHORT_PLACES = _SHORT_COUNTRIES | {"EU", "UAE", "EEA"}
_LEGAL_SHORT_PLACE = re.compile(
    r"^(?:the )?(?:Union|Member States?|Contracting Parties|Parties)$", re.I
)
# "EU-funded SUSTAINABLEMEAT": the funder is a place, the rest the name.
_FUNDED_PREFIX = re.compile(r"^([A-Z][\w.]*)-(?:funded|supported|financed|backed) ")
# A name the recogniser cut after a connective ("the Office of the Under") goes on with
# capitalised words ("Secretary of Defense for Research and Engineering").
_DANGLING = re.compile(r"\s(?:of|of the|for|and|Under|Assistant|Deputy)$")
# The rest of a name cut on a dangling word: a name never runs on into the next paragraph
# ("European Consortium for Microbial Resource Centres" | "Microbes are ...").
_GAP = r"(?:[ \t]*\n[ \t]*|[ \t]+)"  # blanks, or one line break ("Department of \nAgriculture")
_CONTINUED = re.compile(
    rf"(?:{_GAP}(?:of|for|and|the|on)(?={_GAP}[A-Z]))*"
    rf"(?:{_GAP}[A-Z][\w&'’-]*(?:{_GAP}(?:of|for|and|the|on)(?={_GAP}[A-Z]))*)+"
)
# A coined name: "NextGenProteins", "SeaMark" (capitals inside), "BIOTREAT" (five capitals),
# "ALIENinSoil", "BIO4COAT".
_COINED = re.compile(
    r"(?<![\w-])(?:[A-Z][a-z]+(?:[A-Z][a-z]*)+|[A-Z]{5,}|[A-Z]{2,}[a-z]+[A-Z][A-Za-z]*"
    r"|(?=(?:[A-Z0-9]*[A-Z]){4})[A-Z][A-Z0-9]*[0-9][A-Z0-9]*[A-Z])(?![\w-])"
)
# "SeaMark will scale up", "ALIENinSoil will, therefore, assess"
_WILL = re.compile(r"\s+will(?:,\s*[a-z]+,)?\s+(?!be\b|not\b)[a-z]{3,}")
_INSIDE_NAME_BEFORE = re.compile(r"[A-Z][\w'’-]*[ \t]$")
_INSIDE_NAME_AFTER = re.compile(r"[ \t]+[A-Z]")
# "... Algenesis Corporation in San Diego; Bluestem Biosciences in Omaha, Nebraska; ..."
_LISTED = re.compile(
    r"(?:(?<=; )|(?<=;\n)|(?<=include )|(?<=includes )|(?<=; and )|(?<=, and ))"
    r"([A-Z][\w&.'’-]*(?: [A-Z][\w&.'’-]*){0,4}),? in ([A-Z][\w.]*(?: [A-Z][\w.]*){0,2})"
    r"(?:, [A-Z][\w.]*(?: [A-Z][\w.]*)?)?(?=[;.]|, and )"
)
_POLITY = re.compile(r"(?<![\w.])(?:U\.S\.|U\.K\.|EU(?:2[78])?|UK|USA)(?![\w])")
_CODE_LIKE = re.compile(r"[0-9\u0370-\u03ff]|^[a-z]")
# Earth, the Moon and the planets are no places in the guide's sense (countries, regions,
# cities): the annotators leave "Mars" out (9 of 9 on train and dev).
_NOT_PLACES = frozenset(
    ["Earth", "the Earth", "Moon", "the Moon", "Mercury", "Venus", "Mars", "Jupiter", "Saturn",
     "Uranus", "Neptune"]
)  # fmt: skip
# Seas, oceans and lakes are no places in the guide's sense (countries, regions, cities,
# continents): the annotators leave "the Atlantic", "North Sea", "Chesapeake Bay" out
# (8 of 9 on train and dev).
_WATER = re.compile(
    r"(?:[A-Z][a-z]+ )*(?:Sea|Ocean|Bay|Gulf|Lakes?)|Atlantic|Pacific|Mediterranean|Baltic|"
    r"Adriatic|Caribbean|Arctic"
)
# The last words of laws' and policies' names: no place ends with them, and no money comes
# under them as under a scheme.
_LAWS_AND_POLICIES = r"Act|Acts|Regulation|Directive|Treaty|Deal|Agenda|Strategy"
# A policy's, law's or plan's name is no place, whatever the model says: "the Green Deal",
# "Regulation (EC) No 1107/2009", "the Lisbon Agenda", "the Work Programme": none of the 15
# the model calls places on train and dev is marked one.
_POLICY_END = re.compile(
    rf"(?<![\w-])(?:{_LAWS_AND_POLICIES}|Plan|Programme|Program|Initiative|Partnership)$"
)
_SECTION_WORDS = frozenset(
    ["Background", "Abstract", "Methods", "Results", "Conclusions", "Conclusion", "Objective",
     "Objectives", "Summary", "Introduction", "Purpose", "Aims", "Highlights"]
)  # fmt: skip
# Capitalised words going on after a name ("... Consortium", "... Research Agenda").
_NAME_RUN = re.compile(
    r"(?:[ \t]+(?:of|for|and|on)(?=[ \t]+[A-Z]))*(?:[ \t]+[A-Z][\w'’-]*(?:[ \t]+(?:of|for|and|on)(?=[ \t]+[A-Z]))*)+"
)
_SCHEME_WORD = re.compile(r"\b(?:program|programme|initiative|action|partnership|fund)s?$")
_NAME_BEFORE = re.compile(r"(?<![\w.])([A-Z][a-z][\w'’-]*)[ \t]+$")
_UNFINISHED = re.compile(r"\s(?:a|an|the|of|and|or|for|to|with|in|on|by|from)$")
# The hyphenated code a programme's name stands in ("BBI-RIA", "H2020-JTI-BBI-2017").
_CODE_AROUND = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+")
_LOCATED = re.compile(r"\b(?:in|at)\s+$")
_AND_PLACE = re.compile(r"\sand\s+([A-Z][\w.]+(?:\s[A-Z][\w.]+)?)$")
# "A's B": an organisation inside another ("the U.S. Department of Energy's National
# Renewable Energy Laboratory").
_OWNER = re.compile(r"['’]s\s+(?=[A-Z])")
# A bare organisation word after an article ("the Department", "The Authority").
_ANAPHOR = re.compile(
    r"(?<=\b[Tt]he )(Department|Authority|Agency|Commission|Council|Ministry|Office|Bank|"
    r"Foundation|Institute|University|Undertaking|Laboratory|Committee)\b(?! of\b| for\b)"
)
# A body's officers ("BBI JU's Executive Director", "the CBE JU interim Executive Director").
_SPEAKS = re.compile(
    r"^(?:['’]s)?\s+(?:[\w-]+\s+){0,2}(?:Executive Director|Director|Chair|President|Head"
    r"|Project Officer|Programme Officer)\b"
)
# An officer named before the body ("Nicoló Giacomuzzi-Moore, Executive Director, CBE JU"),
# or the body as the author of a study or article ("New study by BBI JU"; "funded by the
# BBI JU" names the programme money comes from).
_OFFICER_BEFORE = re.compile(
    r"(?:Executive Director|Director|Chair|President|Head),\s+(?:the\s+)?$"
)
_AUTHOR_BEFORE = re.compile(
    r"\b(?:study|report|article|paper|analysis|survey|written|published|prepared|organi[sz]ed)"
    r" by (?:the )?$"
)
# What a body owns ("EIC's objectives", "BBI JU's support", "IMI's first Ebola+ Call"),
# not its projects or calls, nor a name ("IMI's Zoonosis Anticipation ... Initiative").
_OWNS = re.compile(r"['’]s\s+(?!projects?\b|calls?\b|programmes?\b|[A-Z])[a-z]")
_CAPITAL = re.compile(r"\b(?:Washington|WASHINGTON),\s?D\.\s?C\.")
_AUSPICES = re.compile(r"auspices of (?:the )?$")
POLITIES = {"eu": "EU", "european union": "European Union", "europe": "Europe"}
# A clause inside a long form: "people who inject drugs (PWID)" is no drug.
_CLAUSE = re.compile(r"\b(?:who|which|that|whose|whom)\b", re.I)
_PROGRAMME_PART = re.compile(r" (?:Cluster|Pillar|Destination) (?:\d{1,2}|[IVX]{1,4})\b")
# A cluster's or pillar's name after its number, to the end of the line ("Cluster 6 - Food,
# Bioeconomy, Natural Resources, Agriculture and Environment").
_PART_NUMBER = re.compile(r"(?:Cluster|Pillar|Destination) (?:\d{1,2}|[IVX]{1,4})$")
_PART_NAME = re.compile(
    r" [-–] [A-Z][\w'’-]*(?:,? (?:(?:and|&|of|for|the|in) )*[A-Z][\w'’-]*)*[ \t]*(?=\n|$)"
)
_ACTION_CODE = re.compile(r"Types? of actions?\s*:\s*([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*) $")
# An action type's code before the kind of action: "all requirements for IA - demonstration
# actions", "RIA – flagship actions".
_ACTION_KIND = re.compile(r"(?<![\w-])(RIA|IA|CSA)(?=\s[-–]\s[a-z]+ actions?\b)")
# An NIH activity code names the funding mechanism ("(R01 Clinical Trial Not Allowed)", "the
# cooperative agreement (U01) mechanism", "funded by the R61 mechanism", "R43/R44"); only in a
# text that speaks of NIH funding, where "(P19)" is not a protein nor "K12" a strain.
_ACTIVITY_CODE = re.compile(
    r"(?<![\w/.-])((?:R|U|P|K|F|T|UG|UH|UC|UM|DP|RM|OT)\d{2}(?:/(?:R|U|P|K|F|T|UG|UH)\d{2})?)"
    r"(?=\)|,? Clinical Trial| mechanism| phase| (?:research )?grants?\b| awards?\b"
    r"| [Cc]ooperative [Aa]greement)"
)
_NIH_FUNDING = re.compile(
    r"\bNIH\b|National Institutes? of Health|Funding Opportunity Announcement|Clinical Trial"
    r" (?:Not Allowed|Optional|Required)"
)
_FOCUS_AREA = re.compile(
    r"(?m)^Focus area\s*:\s*([A-Z][^\n()]{3,120}?)(?:\s\(([A-Z]{2,6})\))?[ \t]*$"
)
_NAME_AFTER = re.compile(
    r" (Programme|Program|Initiative|Office|Center|Centre|Institute|Laboratory|Consortium|"
    r"Challenge|Network|Alliance|Association|Platform|Society|Council|Department)\b"
)
_NAMED_RUN = re.compile(
    rf"\b{evidence.COMPANY_NOUN}\s+((?:[A-Z][\w&'’.-]*)(?:\s(?:[A-Z][\w&'’.-]*)){{0,3}})"
)
# Methane stays a chemical before "emissions": the annotators mark it there (2 of 2), where
# they leave CO2 out (5 of 6).
_GREENHOUSE = re.compile(r"CO2|CO₂|carbon dioxide|N2O|greenhouse gas(?:es)?", re.I)
_EMISSION_AFTER = re.compile(
    r"[\s-]+(?:emissions?|releases?|footprint|equivalents?|eq\b|-eq\b)", re.I
)
_FEEDSTOCK_BEFORE = re.compile(
    r"\b(?:from|use|using|uses|utili[sz]\w*|captur\w*|convert\w*|fix\w*|recycl\w*|valori[sz]\w*)"
    r"\s+(?:[\w-]+\s+){0,3}$",
    re.I,
)
_GENERIC_PROGRAMME = re.compile(r" program(?:me)?s?$")
_STATE_UNIVERSITY = re.compile(r" State (?:University|College)\b")
_CODE_BEFORE = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]{2,}-$")
# A chemical's acronym, with digits or lower-case letters in it ("PHBV", "3HB", "PEFs").
_CHEMICAL_ACRONYM = re.compile(r"[0-9]*[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*s?")
_LOCANT_START = re.compile(r"(?:[0-9]+(?:,[0-9]+)*-|[α-ω]-)")
_CAMPUS = re.compile(r"[–-][A-Z][a-z]+(?:[ -][A-Z][a-z]+)?(?![\w-])")
# A word ending as chemicals' names do (-ate, -ide, -ine, -ol, -ole, -ene, -amine, -oate, -in,
# the sugars' -ose ...), with its locant or prefix ("1,3-", "p-", "α-", "1,8-"), or a locant
# inside ("butan-2-ol", "xylulose-5-phosphate"); verbs' -ains endings excluded.
_CHEMICAL_WORD = re.compile(
    r"(?<![\w-])(?:(?:[0-9]+(?:,[0-9]+)*-)?(?:[α-ω]|alpha|beta|gamma)-|[0-9]+(?:,[0-9]+)*-"
    r"|[a-zA-Z]{1,2}-)?[a-z]{3,}(?:-[0-9]+(?:,[0-9]+)*-[a-z]*)?"
    r"(?<!ain)(?:ates?|ides?|ines?|ols?|oles?|enes?|ites?|anes?|ones?|amines?|amides?|oates?|ydes?"
    r"|ins?|oses?)"
    r"(?![\w-])"
)
_BINARY_COMPOUND = re.compile(
    r"(?<![\w-])(?:carbon|nitrogen|nitrous|nitric|sulfur|sulphur|chlorine|hydrogen|phosphorus|"
    r"silicon|boron|selenium)[ \t]+(?:mono-?|di|tri|tetra|pent|hex)?(?:oxides?|chlorides?|"
    r"sulfides?|sulphides?|fluorides?|peroxides?|nitrides?|carbides?)(?![\w-])",
    re.I,
)
# Words with a chemical's ending that name a gene or a process stream: train and dev mark
# none of "transgene", "filtrate" and "retentate" (0 of 44).
_CHEMICAL_WORD_NOT = frozenset(
    ["derivate", "derivates", "estuarine", "transgene", "transgenes", "filtrate", "filtrates",
     "retentate", "retentates"]
)  # fmt: skip
# What a chemical's name writes glued before a part it shares with another name: a locant,
# a Greek letter, a stereo descriptor, a one-letter position ("N-", "D-") or a multiplying
# or isomer prefix ("11α-hydroxyprogesterone", "(R)-3-hydroxybutyric acid",
# "poly-γ-glutamic acid", "N-carbamoyl-D-alanine", "1-phenyl-1,2-ethanediol").
_NAME_PREFIX_MARK = re.compile(
    r"[0-9α-ωΑ-Ωß]|\([RSEZrs,0-9±+-]+\)|(?:^|-)[A-Za-z](?=-)"
    r"|(?:^|[-.])(?:alpha|beta|gamma|delta|omega|poly|cis|trans|iso|sec|tert)[-.]",
    re.I,
)
# Where a word starts: a chemical found right after one of these starts its own word.
_WORD_OPENS = frozenset(" \t\n\r\u00a0([/\"“‘'")
# Where a name's word starts, read backwards: a blank or one of these; brackets and primes
# inside it ("(R)-", "2'-") are part of the name.
_NAME_WORD_STOPS = frozenset('/"“‘[')
# Words that join names rather than build one ("corn-to-ethanol", "acid-and-base").
_JOINING_WORD = re.compile(r"-(?:to|and|or|of|in)-", re.I)
# The rest of a bracket left open inside a name, up to its closer, within a few words and
# no sentence end ("poly(aryl| ether sulfone)").
_CLOSING = re.compile(r"[^()\[\].;:\n]{0,40}?[)\]]")
# A combining form before a common English word makes no chemical ("biocontrol",
# "bioprotocol"), as it does before a chemical's name ("bioethanol", "biomethane").
_COMBINING = re.compile(r"^(?:bio|eco|agro|agri|micro|nano|multi|co|non|anti|pre|post|re|sub)-?")
COMMON_WORD_ZIPF = 4.3


def _prefixed_word(word: str) -> bool:
    prefix = _COMBINING.match(word)
    rest = word[prefix.end() :] if prefix else ""
    return len(rest) >= 4 and zipf_frequency(rest, "en") >= COMMON_WORD_ZIPF


# A word with a chemical's ending right after these is a verb ("a biorefinery that
# fractionates sugar beet pulp", "which oxidates").
_VERB_BEFORE = re.compile(r"(?<![\w-])(?:that|which|who|it|also|then|thereby)[ \t]+$", re.I)
# Rarer than this in general English (wordfreq's Zipf scale), a chemical-looking word is one.
RARE_ZIPF = 2.0
# A rare "-ates" word whose "-ating" form English writes at least this often is a verb
# ("recirculates", "elucidates", "calibrates"); salts have no such form ("carboxylates",
# "hydrolysates"): out of fold on train and dev, 16 such words found, none marked.
VERB_ING_ZIPF = 1.0


def _verb_form(word: str) -> bool:
    """A third person's verb that ends like a salt, told by its "-ating" form."""
    return word.endswith("ates") and zipf_frequency(word[:-2] + "ing", "en") >= VERB_ING_ZIPF


# A person's surname rarer than this in English is theirs wherever it stands alone ("Ullah");
# "Green" or "Young" may be a word. Up to the second bound it is theirs where the text
# never writes it in lower case ("Greg Holt" ... "Holt is working on"; but "Wood" beside
# "wood waste").
SURNAME_ZIPF = 3.5
NAME_ONLY_SURNAME_ZIPF = 5.0
# Method nouns the corpus marks only with the word that says their kind before them.
_KINDED_HEAD = re.compile(r"(?<![\w-])(?:editing|transfection|breeding|modell?ing)(?![\w-])")
# Process nouns a chemical names the kind of: "biogas upgrading", "protein expression",
# "enzyme catalysis", "CO2 storage" are methods (train and dev mark 19 of 21 so).
_PROCESS_OF = re.compile(
    r" (?:upgrading|precipitation|detection|electroextraction|expression|catalysis|storage|"
    r"therapy|therapies|reprocessing|stripping|delignification)(?![\w-])"
)
# A group of bacteria named by what they make or eat ("lactic acid bacteria", "acetic acid
# bacteria") is no chemical: train and dev mark none of the chemicals written before
# "bacteria", and the guide leaves such groups unlabelled.
_BACTERIA_AFTER = re.compile(r" bacteri(?:a|um)(?![\w-])")
# Water listed with chemicals is a reagent or a product ("ethanol and water", "HMF and
# water", "water and an ionic liquid"): marked 18 times in 30 on train and dev, the rest
# water as a farm's resource beside fertilisers or energy, or water's properties.
_WATER_WORD = re.compile(r"(?<![\w-])water(?![\w-])")
_IN_LIST = re.compile(
    r"(?:,[ \t](?:and[ \t]|or[ \t])?|[ \t](?:and|or)[ \t])(?:(?:the|an?|some|possibly|optionally"
    r"|at least one)[ \t])*"
)
_NOT_REAGENT = re.compile(r"(?:fertili[sz]ers?|pesticides?|energy|nutrients?|oil|products?)$", re.I)
_WATER_PROPERTY = re.compile(
    r"[ \t-](?:soluble|insoluble|solubility|treatment|content|resistant|bath|systems?|samples?"
    r"|retention|streams?|usage|removal|spray|phase|holding|line|pollution|use|consumption"
    r"|footprint|quality|supply|management|for)\b"
)
# A scale before a technology says how big a plant is, not which technology
# ("commercial-scale biorefineries", "industrial scale biorefinery"): train and dev leave
# it out 43 times in 59.
_SCALE = re.compile(
    r"(?:small|large|commercial|full|industrial|demonstration|pilot|lab|laboratory|bench"
    r"|production|farm)[- ]scale\s+",
    re.I,
)
# The heads of a named research unit or office; a culture collection is one ("ARS Patent
# Culture Collection": marked whole 19 times of 23 on train and dev).
_UNIT_WORDS = (
    r"(?:Unit|Center|Centre|Laboratory|Laboratories|Division|Branch|Service|Institute|"
    r"Station|Facility|Collection)"
)
# A unit's name runs back over "X and" ("Root Diseases and Biological Control Research
# Unit"), and over the agency's short name written just before it ("ARS Cotton Production
# and Processing Research Unit").
_UNIT_HEAD = re.compile(rf"\s{_UNIT_WORDS}$")
# An agency's unit named after its short form: "ARS" | " Southern Regional Research Center".
_UNIT_AFTER = re.compile(
    r"[ \t]+([A-Z][\w’'-]*(?:[ \t]+(?:[A-Z][\w’'-]*|and|of|for)){0,7}?"
    rf"[ \t]+{_UNIT_WORDS})\b"
)
_UNIT_AND = re.compile(r"(?<![\w'’-])((?:[A-Z][\w-]*,?\s+){1,4})and\s+$")
# An IPC or CPC subclass and the group number after it.
_CLASS_SYMBOL = re.compile(r"[A-H][0-9]{2}[A-Z]")
_CLASS_GROUP = re.compile(r" ?[0-9]{1,4}/[0-9]{2,6}\b")
# A long form whose last name is a complement: "anaerobic oxidation of methane (AOM)"
# abbreviates the process, not the chemical.
_COMPLEMENT = re.compile(r"\s(?:of|from|for|to|with|into|by|in|on)\s+$")
# After "Program" these make a job, an office or a notice at an agency, not a programme:
# "ONR Program Manager Dr. Linda Chrisey", "Loan Programs Office", "Program Notice 03-05".
_NOT_PROGRAMME_AFTER = (
    r"(?!\s+(?:[Mm]anager|[Oo]fficer|[Dd]irector|[Oo]ffice|[Ll]ead(?:er)?|[Cc]oordinator|"
    r"[Ss]pecialist|[Aa]nalyst|[Nn]otice)s?\b)"
)
# An acronym the text calls a program: "(BRAG) Program", "the REMOTE program", in mixed case
# too ("the ECOSynBio program", "(FFPr) Program"); not a degree ("PhD programme").
_CALLED_PROGRAMME = re.compile(
    r"(?<![\w-])([A-Z][A-Z0-9]{2,}(?:-[A-Z0-9]+)?|(?!(?:PhD|MSc|BSc|MBA)\b)"
    r"(?=[A-Za-z0-9]*[a-z])[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*)\)?\s+(?:[Pp]rogram(?:me)?s?|PROGRAM)\b"
    + _NOT_PROGRAMME_AFTER
)
# "under (the) X", "funded through (the) X": X names the scheme the money comes from.
_UNDER_SCHEME = re.compile(
    r"\b(?:[Uu]nder|(?:funded|financed|supported) through) (?:the )?"
    rf"([A-Z][\w’'-]*(?:{_GAP}(?:[A-Z][\w’'-]*|of|for|and|to|&))*)"
)
_TRAILING_FUNCTION_WORDS = re.compile(r"(?:\s+(?:of|for|and|to|&))+$")
_NOT_SCHEME = re.compile(
    rf"\b(?:{_LAWS_AND_POLICIES}|Article|Decision|Secretary|Director|Office|Department|"
    r"Ministry|Agency|Commission|Council|Accession|Number|State)\b"
)
# A document number after an agency's short name: "NSF 18-599", "NSF 98-49".
_DOCUMENT_NUMBER = re.compile(r" \d{2}-\d{1,4}(?![\w-])")
_SYNGAS = re.compile(r"(?i)carbon monoxide|syngas|synthesis gas|gas fermentation")
# What joins the words of a name: blanks, not a comma, a dash or a line's end.
_BLANKS = re.compile(r"[ \t]+")
# A plain word of a name: letters and digits, inner hyphens ("ice-nucleating", "C2-C4").
_TERM_WORD = re.compile(r"(?<![\w'’-])[A-Za-z0-9α-ω][\w'’]*(?:-[\w'’]+)*")
_OF_WORD = re.compile(r"\s+of\s+\w+\s*")
# "(NZ)", and as legal texts define them, quoted and with a country: "(‘N&B’, USA)".
# The rest of a name: capitalised words joined by "and", "of", "&" and commas.
_NAME_REST = re.compile(r"(?:,?\s(?:and|of|for|&)?\s?[A-Z][\w'’-]*)+")
_SHORT = re.compile(
    r"\((?:([A-Za-z][A-Za-z0-9&/.\-]{1,11})|[‘'“\"]([A-Za-z][A-Za-z0-9&/.\-]{1,11})[’'”\"]"
    r"(?:,\s?[A-Z][A-Za-z. ]{1,20})?)\)"
)
# How Latin epithets end ("coli", "reesei", "tabacum", "mays", "rerio", "pyogenes").
_EPITHET = re.compile(r"(?:us|um|a|e|i|is|ns|x|er|or|es|o|ys|on)$")
# An epithet of two joined words, neither of them English ("kok-saghyz", "bursa-pastoris").
_JOINED_EPITHET = re.compile(r"[a-z]{2,}-[a-z]{3,}")
# English nouns no Latin epithet ends in ("Salmonella mitigation").
_ENGLISH_NOUN_END = re.compile(r"(?:tion|sion|ment|ness)$")
# A rank, a group or a part after a genus is no epithet, though Latin endings look like one
# ("Yarrowia clade", "Aspergillus fungi", "Bacillus spores", "BACILLUS GENUS"): the genus
# alone is the organism (CONVENTIONS 7).
_GROUP_AFTER_GENUS = frozenset(
    ["genus", "genera", "clade", "cluster", "species", "strain", "strains", "isolate", "isolates",
     "bacterium", "bacteria", "fungus", "fungi", "spore", "spores", "cell", "cells", "culture",
     "cultures", "genome", "genomes"]
)  # fmt: skip
_THIOESTER = re.compile(
    r"(?<![\w-])(?:[0-9,]+-)?[A-Za-z][\w()'’]*(?:-[\w()'’]+)*-CoA(?![\w-])", re.I
)
# The head of a method's name ("... therapy", "... refining", "... assessment").
_METHOD_HEAD = re.compile(
    r"(?:therapy|therapies|techniques?|technolog(?:y|ies)|methods?|platforms?|process(?:es)?|"
    r"assays?|analysis|assessment|refining|alteration|sequencing|engineering|editing|"
    r"fermentation|synthesis|screening|model(?:l)?ing|graphy|metry|scopy|omics)$",
    re.I,
)
_NOT_METHOD_HEADS = frozenset(["biotechnology", "technology", "process", "method"])
# A method's name in title case, with no function word that would make it an institution's
# or a programme's ("Multi-Criteria Decision Analysis", "New Breeding Techniques",
# "Automated Recommendation Tool", "Anaerobic Microbial Phenotyping Platform").
_TITLED_METHOD = re.compile(
    r"(?:[A-Z][\w/-]* )+(?:Techniques?|Technology|Analysis|Assessment|Tools?|Platforms?|"
    r"Sequencing|Engineering|Editing|Screening|Model(?:l)?ing|Assays?)"
)
# A body's name in title case whose head says it is an institution, not a programme, a
# facility or a project: "Committee for Advanced Therapies", "Office of Dietary Supplements".
# Narrower than org_evidence.INSTITUTION_WORDS, whose "Network", "Fund", "Unit" or
# "Undertaking" also end the names of programmes and facilities given short forms.
_BODY_HEAD = re.compile(
    r"\b(?:Centre|Center|Institute|Agency|Office|Committee|Council|Foundation|Laboratory|"
    r"Authority|Association|Federation|Organi[sz]ation|Academy|Society|Administration|Bureau|"
    r"Directorate|Department|University|College)\b"
)
# A long form whose head names a document, an instrument's notice or a device: its short
# form is no organisation ("Request for Applications (RFA)", "Environmental Sample
# Processor (ESP)", "Notice of Funding Opportunity (NOFO)", "Dear Colleague Letter (DCL)").
_THING_HEAD = re.compile(
    r"(?:\bRequests? [Ff]or (?:Applications?|Proposals?)|\b(?:Announcements?|Letters?|"
    r"Processors?|Notices?|Solicitations?|Acts?|Frameworks?|Agendas?|Regulations?|Directives?|"
    r"Strateg(?:y|ies)|Plans?|Reports?|Roadmaps?|Opportunity))$"
)
# How far back a look-behind for a name reads: further than any name it looks for, so the
# search need not scan the whole text before a mention.
_LOOK_BACK = 200
_BODY_WORD = re.compile(r"[A-Z][\w'’.-]*|of|for|and|the|on|in|&")
# NSF solicitations: "Program Title: Molecular Foundations for Biotechnology (MFB)".
_PROGRAM_TITLE = re.compile(
    r"Program(?:me)? Title:\s+([A-Z][^\n():]{3,120}?)(?:[ \t]+\(([A-Z][A-Za-z0-9-]{1,12})\)|[ \t]*(?=\n|$))"
)
# A solicitation's heading names the opportunity, in title case, with its short form:
# "Dear Colleague Letter: Use-Inspired Creativity Extension for the Bioeconomy (UICREX-
# Bioeconomy)", "Notice 03-05: Genomes to Life", "DE-FOA-0000206: Electrofuels"; not a
# fiscal year's round ("DE-FOA-0002203: FY20 Bioenergy Technologies Multi-Topic FOA") nor
# a letter's other business ("Announcing the Opportunity ...").
_SOLICITATION_TITLE = re.compile(
    r"(?m)(?:Dear Colleague Letter|Ideas Lab|Notice of Special Interest|Notice \d{2}-\d{2}|"
    r"DE-FOA-\d{7}|Funding Opportunity Announcement):[ \t]+(?!FY\d|Announcing\b|Special\b)"
    r"([A-Z][\w’'-]*(?:[ \t]+(?:[A-Z](?![A-Z]+\b)[\w’'-]*|(?:of|for|the|to|and|in|on|from|into|with)\b))*)"
    r"(?:[ \t]+\(([A-Z][A-Za-z0-9-]{1,20})\))?"
)
_NOT_SOLICITATION_END = re.compile(r"(?:\s+(?:of|for|the|to|and|in|on|from|into|with))+$")
# A programme named in title case with its kind: "Aquaculture Research Competitive Grants
# Program", "Office of Science Financial Assistance Program". Words run back to a
# possessive ("NIFA’s"), a line's start or a lower-case word; a short form in brackets
# stays inside ("National Research Initiative (NRI) Competitive Grants Program").
# A capitalised word, its full stops inside ("U.S.") but not a sentence's ("Program. This").
_TITLE_WORD = (
    r"(?:[A-Z](?:[\w&-]|\.(?=\w)|(?<=\b[A-Z])\.)*(?<!['’]s)|\([A-Z]{2,}\)|\d+(?:st|nd|rd|th))"
)
_NAMED_PROGRAMME = re.compile(
    r"(?<![\w'’(-])("
    + _TITLE_WORD
    + r"(?:[ \t]+(?:"
    + _TITLE_WORD
    + r"|of|and|for|on|in|to|&))*(?<![ \t]of)(?<![ \t]Of)[ \t]+Program(?:me)?s?)\b"
    + _NOT_PROGRAMME_AFTER
)
# "the EC", "EC-funded": the Commission, not an act's "(EC) No" or an enzyme's "EC 3.1.1.3".
_COMMISSION_INITIALS = re.compile(
    r"(?<=[Tt]he )EC(?=-funded|-sponsored|['’]s|(?![\w-])(?! ?(?:[A-Z]|[Dd]irective|"
    r"[Rr]egulation|[0-9])))|(?<![\w/(-])EC(?=-(?:funded|sponsored|supported)\b)"
)
# The word alone names no programme ("This Program is ..."; never marked alone on train
# and dev, 0 of 102).
_KIND_OF_PROGRAMME = re.compile(r"[Pp]rogram(?:me)?s?")
# A name's word of this many letters or more, all capitals, in a line at least this share
# capitals, that is this common in English, is a title's word, not a name (`_shouted_word`).
_NAME_LABELS = frozenset(["ORG", "PROGRAMME", "PERSON", "GPE"])
_SHOUTED_MIN = 5
_SHOUTED_SHARE = 0.9
_SHOUTED_ZIPF = 2.5
# Words a title-case run starts with that are no part of a programme's name.
_NOT_PROGRAMME_START = frozenset(
    ["The", "A", "An", "In", "Under", "Through", "Its", "Our", "This", "That", "These", "Their",
     "Each"]
)  # fmt: skip
# "Destination ‘Zero pollution’": a Horizon Europe work programme's destination.
_DESTINATION = re.compile(r"\bDestination[ \t]+[‘'“\"]([A-Z][^‘'’“”\"\n]{3,80})[’'”\"]")
_TERM_LABELS = frozenset(["TECHNOLOGY", "CHEMICAL", "ORGANISM"])
_SPECIES_UNNAMED = re.compile(r"\s+spp?\.")
# A rank below the species and its name: "Bacillus subtilis var. natto", "BACILLUS SUBTILIS
# SUBSP. NATTO", "Saccharothrix mutabilis subsp. mutabilis".
_INFRASPECIFIC = re.compile(r"[ \t]+(?:var|subsp|ssp|pv)\.[ \t]+[a-z][a-z-]+(?![\w-])", re.I)
# An isolate's designation in brackets after its species: "Bacillus cereus (AGB3)".
_BRACKETED_STRAIN = re.compile(r" \([A-Z][A-Za-z0-9-]*\d[A-Za-z0-9-]*\)")
# A capitalised word before "sp." or "spp." is a genus (55 of 58 times on train and dev),
# unless it names an order or a family ("Thraustochytriales sp.").
_GENUS_SP = re.compile(r"(?<![\w.-])([A-Z][a-z]{3,}(?<!ales)(?<!aceae)(?<!idae)) spp?\.")
# A genus and a Latin epithet (its ending: -us, -is, -um, -a, -ae, -i, -ensis, -ans, -ens ...).
_LATIN_BINOMIAL = re.compile(
    r"(?<![\w.-])([A-Z][a-z]{2,})\s([a-z]{4,}(?:us|is|um|a|ae|ii|i|ensis|ans|ens|ix|ax|ex|or|er)|"
    + _JOINED_EPITHET.pattern
    + r")(?![\w-])"
)
# Epithet endings no English word has, which make a binomial of a genus that is also a word
# ("Castor canadensis", "Citrus sinensis").
_LATIN_ONLY_EPITHET = re.compile(
    r"(?:ensis|ii|oides|icus|icum|atus|atum|ifera|iferum|ophila|ophilus|escens|iae)$"
)
# Culture collections whose deposit numbers name a strain ("NRRL B-30517", "ATCC 35864").
_COLLECTIONS = "ATCC|NRRL|DSMZ?|CBS|NCIMB|NCTC|NCCB|CECT|JCM|KCTC|CGMCC|NBRC|LMG|IFO|VTT|CCUG"
# A strain's designation after the species: "NRRL B-30517", "strain K5", "strain Inducia
# DSM 21379" (a strain's name only before its deposit number).
_STRAIN = re.compile(  # on the name's line or the next, never past a paragraph's end
    r"^(?:(?:[ \t]+|[ \t]*\n[ \t]*(?!\n))(?:(?:[Ss]train|STRAIN)\s+(?:[A-Z][A-Za-z]+\s+(?=(?:"
    + _COLLECTIONS
    + r")\s?(?:[A-Z]{1,2}-?)?\d))?|sp\.\s+)?(?:(?:"
    + _COLLECTIONS
    + r")\s?(?:[A-Z]{1,2}-?)?\d[\w.\-]*|[A-Z]{1,6}[- ]?\d[\w.\-]*|\d+-?[A-Z][\w\-]*|[A-Z]+\d*-\d+))+"
)
# A strain named by its designation alone ("the control strain DF00", "deposited as
# DSM32324", "NRRL B-30517 and NRRL B-30519"); not a seed deposit's "Accession Number".
_DESIGNATED = re.compile(
    r"(?:\b(?:strains?|isolates?|deposited as)[ \t]+((?:[A-Z][A-Za-z]{0,5}[ -]?)?\d[\w.-]*\w)"
    r"|(?<!Number )(?<![\w-])((?:" + _COLLECTIONS + r")[ -]?(?:[A-Z]{1,2}-?)?\d[\w.-]*\w))"
    r"(?![\w-])"
)
_ACRONYM = r"[A-Z][A-Za-z0-9\-]*[A-Z][A-Za-z0-9\-]*(?:\s[A-Z]{2,})?"
# The programme a LIFE or ERA-NET project's own name begins with ("LIFE Waste2Protein",
# "ERA CoBioTech").
_PROJECT_PREFIX_BEFORE = re.compile(r"(?<![\w-])(?:LIFE|ERA)[ -]$")
# Each pattern on its own: "the EU-supported project EMPOWERPUTIDA" holds two.
_PROJECT = (
    # CORDIS pages' link label may stand between: "The SPIN-FERT(opens in new window) project"
    re.compile(rf"\b({_ACRONYM})(?:\(opens in new window\))?\s+(?:project|consortium|partners)\b"),
    re.compile(
        rf"\b(?:project|consortium|EU-funded|EU funded|H2020|Horizon 2020)\s+({_ACRONYM})\b"
    ),
    re.compile(rf"(?:Report Summary|Reporting for period \d+)\s+[-–]\s+({_ACRONYM})\s+\("),
    # "the Fungateria project aims": a coined word, not "the European project"
    re.compile(r"\bthe\s+([A-Z][a-z]{3,}[a-z0-9]*)\s+(?:project|consortium)\b"),
    # "An EU-funded project, 'Enzymatic up-grading of wool fibres' (ENZUP)": name and acronym.
    re.compile(rf"\bproject,?\s+['‘“]([A-Z][^'’”\n]{{4,150}})['’”],?\s+\(({_ACRONYM})\)"),
)
# A consortium listed as "AINIA (Project coordinator, Spain), TNO (The Netherlands)".
_PARTNER = re.compile(
    r"(?<![\w-])([A-Z][\w&.'’-]*(?: (?:(?:do|da|de|di|du|del|der|von|van|of|for|and|&) )?[A-Z][\w&.'’-]*){0,5}) \((?:[^()\n]{0,40},\s*)?([A-Z][A-Za-z .'-]{2,30})\)"
)
# A name with a legal form is an organisation, whatever the recogniser made of it.
_LEGAL = re.compile(
    r"(?<![\w&-])((?:[A-Z][\w&'’-]*(?:[ \t]+(?:of|for|&|de|du|der|von|und|van|den)(?=[ \t]+[A-Z]))?[ \t]+){0,4}?"
    r"[A-Z][\w&'’-]*,?[ \t]+(?:GmbH|AG|SE|S\.A\.|B\.V\.|BV|N\.V\.|A/S|ApS|Oy|Oyj|AB|LLC|"
    r"Ltd\.?|Limited|Inc\.?|Corp\.?|Corporation|plc|S\.p\.A\.|SpA|S\.L\.|SAS|S\.r\.l\.|Srl|KG|e\.V\.))(?![\w/])"
)
_NOT_NAME = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "For",
        "By",
        "With",
        "From",
        "And",
        "Of",
        "To",
        "As",
        "Its",
        "Their",
        "Our",
        "This",
        "That",
        "These",
        "Those",
        "Today",
        "New",
        "When",
        "While",
        "After",
        "Before",
        "Since",
        "During",
        "Under",
        "Over",
        "About",
        "Between",
        "Both",
        "Each",
    ]
)
LINKED_LABELS = ("ORG", "CHEMICAL", "TECHNOLOGY", "ORGANISM", "PROGRAMME")
# "E. coli", "B. amyloliquefaciens": an abbreviated binomial is an organism.
# An abbreviated binomial: "E. coli", "Lb. plantarum", "Cl. butyricum" (a rare epithet).
_BINOMIAL = re.compile(r"(?<![\w.])[A-Z][a-z]?\.\s?([a-z]{4,})(?:\s(?:subsp|var)\.\s[a-z]{3,})?\b")
# A person's name: capitalised words, or "Surname; Given" as inventors are listed.
_PERSON = re.compile(
    r"^(?:[A-ZÀ-Þ][\w'’.\-]+(?:\s+(?:de|da|dos|van|von|der|del|la|le|di)?\s*[A-ZÀ-Þ][\w'’.\-]*)+|[A-ZÀ-Þ][\w'’\-]+;\s?[A-ZÀ-Þ][\w .'’\-]*)$"
)


@dataclass(frozen=True)
class Abbreviation:
    short: str
    long_start: int
    long_end: int
    short_start: int


def find_abbreviations(text: str) -> list[Abbreviation]:
    """'long form (SHORT)' pairs: the long form is the nearest run of words before the
    bracket that starts with the short form's first letter (after Schwartz and Hearst)."""
    found = []
    for match in _SHORT.finditer(text):
        group = 1 if match.group(1) else 2
        short = match.group(group)
        if not any(c.isupper() for c in short) or short.isdigit() or _is_country(short):
            continue  # "Logoplaste Innovation Lab (Portugal)": a place, not a short form
        before = text[max(0, match.start() - 160) : match.start()].rstrip()
        base = match.start() - (
            len(text[max(0, match.start() - 160) : match.start()]) - len(before)
        )
        words = list(re.finditer(r"[\w'’\-/]+", before))
        limit = min(len(short) + 5, 2 * len(short) + 1)
        first = short[0].lower()
        for word in reversed(words[-limit:]):
            if word.group(0)[0].lower() == first:
                start = base - len(before) + word.start()
                found.append(Abbreviation(short, start, base, match.start(group)))
                break
    return found


def _spelt_start(text: str, start: int, end: int, short: str) -> int | None:
    """Where a name ending at `end` starts if up to four more words before `start` spell
    `short` (Schwartz and Hearst: its letters in order from the end, the first at a word's
    start): "IBPs" from "ice binding proteins", "AFPs" from "antifreeze proteins", "INP"
    from "ice-nucleating protein"; None if none do or the words are not joined by blanks."""
    letters = "".join(c for c in re.sub(r"(?<=[A-Z])s$", "", short) if c.isalnum()).lower()
    if len(letters) < 2 or (
        letters[0] == text[start].lower() and _spells(letters, text[start:end].lower())
    ):
        return None  # the name alone spells it: "polyhydroxyalkanoate (PHA)"
    base = max(0, start - 80)
    words = list(_TERM_WORD.finditer(text, base, start))
    for more in range(1, min(4, len(words)) + 1):
        first = words[-more]
        if not _BLANKS.fullmatch(
            text, first.end(), words[-more + 1].start() if more > 1 else start
        ):
            return None  # "them, antifreeze proteins": a comma, a line's end or a dash between
        if first.group(0).lower() in STOP_WORDS:
            return None  # "the oxygen (TO)"
        if letters[0] == text[first.start()].lower() and _spells(
            letters, text[first.start() : end].lower()
        ):
            return first.start()
    return None


def _spells(letters: str, name: str) -> bool:
    """Whether `letters` occur in `name` in order, each after the one before it."""
    at = len(name)
    for c in reversed(letters[1:]):
        at = name.rfind(c, 1, at)
        if at < 1:
            return False
    return True


def _reaches(text: str, end: int, long_end: int) -> bool:
    """A mention stands for the whole long form only if it reaches its end, or all but a
    post-modifier ("recombinant protein of interest (POI)"): "lactic acid" is not the
    long form of "lactic acid bacteria (LAB)"."""
    return end >= long_end - 1 or bool(_OF_WORD.fullmatch(text, end, long_end))


def _owns(name: str) -> bool:
    """The "A" of "A's B" names an organisation (an organisation word, a legal form or an
    acronym: "Department of Energy's", "NREL's"); "King's College London" is one name."""
    words = name.split()
    return (
        any(w.lower() in evidence.ORG_WORDS for w in words)
        or evidence.has_legal_form(name)
        or (words[-1].isupper() and len(words[-1]) > 1)
    )


def _is_country(word: str) -> bool:
    return len(word) > 3 and word[1:].islower() and country_code(word) is not None


def _uncovered(ceded: Sequence, mentions: list) -> list:
    """The ceded profile matches no mention covers any more."""
    return [c for c in ceded if not any(m.start < c.end and c.start < m.end for m in mentions)]


def _put(mentions: list, made) -> list:  # type: ignore[no-untyped-def]
    """The mentions with `made` in place of every mention it overlaps."""
    if made is None:
        return mentions
    return [m for m in mentions if not (m.start < made.end and made.start < m.end)] + [made]


def _word_before(text: str, start: int) -> str:
    """The word before `start` with the blank after it ("Member " before "States")."""
    match = modifiers.WORD_BEFORE.search(text, max(0, start - 40), start)
    return match.group(0) if match else ""


def _name_start(text: str, start: int, end: int) -> int:
    """Where a capitalised run really starts: past leading words such as "The" or "In"."""
    for word in re.finditer(r"\S+", text[start:end]):
        if word.group(0) not in _NOT_NAME:
            return start + word.start()
    return end


# Words of an institution's name that make its rare word a place ("Wageningen University").
_PLACE_NAMED = frozenset(
    ["university", "universität", "universidad", "università", "université", "institute",
     "college", "school", "hospital", "city", "county", "state", "region", "province",
     "municipality", "port"]
)  # fmt: skip


def _distinctive_word(words: list[str]) -> str | None:
    """The one rare word of a short name whose other words are common ones ("Royal Cosun",
    "Metsä Fibre", "ArcelorMittal Europe"): the name the text shortens it to."""
    if not 2 <= len(words) <= 3 or any(w.lower() in _PLACE_NAMED for w in words):
        return None
    rare = [w for w in words if zipf_frequency(w.lower(), "en") < 2.5]
    if len(rare) != 1 or len(rare[0]) < 4 or not rare[0][0].isupper():
        return None
    if any(zipf_frequency(w.lower(), "en") < 3.5 for w in words if w is not rare[0]):
        return None
    return rare[0]


def _part_of(m, start: int, end: int) -> bool:  # type: ignore[no-untyped-def]
    """A shorter organisation name inside a longer one ("SNIPR" in "biotech SNIPR Biome")."""
    return m.label == "ORG" and start <= m.start and m.end <= end and m.end - m.start < end - start


def _whole_words(text: str, surface: str) -> Iterable[tuple[int, int]]:
    for match in re.finditer(rf"(?<![\w-]){re.escape(surface)}(?![\w-])", text):
        yield match.start(), match.end()


class Refiner:
    """Applies the span rules to one text's mentions; `make` builds a mention of a label."""

    def __init__(
        self,
        make: Callable[[str, str, int, int], object | None],
        learnt: Mapping[str, tuple[frozenset[str], frozenset[str]]] | None = None,
    ) -> None:
        self.make = make
        # per label, the words the corpus keeps before a name and those it never keeps
        self.learnt = learnt or {}

    def __call__(
        self, text: str, mentions: list, names: Sequence[str] = (), ceded: Sequence = ()
    ) -> list:
        """`names`: organisations the record itself lists (participants, applicants, a
        project's acronym); they are organisations wherever the text names them. `ceded`:
        the profile's matches that gave way to a longer model span; each is back where the
        rules cut or dropped that span ("DOE" once "DOE’s Bioenergy Technologies Office" is
        the office alone, "EPA" in a dropped "EPA Grant")."""
        mentions = [line for m in mentions for line in self._lines(m)]
        mentions = [self._polity(m) for m in (_tidy(m) for m in mentions) if m is not None]
        mentions = [m for m in mentions if self._place(text, m) and not _classification(text, m)]
        mentions = self._binomials(text, mentions)
        mentions = self._rare_chemicals(text, mentions)
        mentions = self._binary_compounds(text, mentions)
        mentions = self._elements(text, mentions)
        mentions = self._thioesters(text, mentions)
        mentions = self._legal_names(text, mentions)
        mentions = [p for m in mentions if (p := self._person(text, m, mentions)) is not None]
        mentions = self._inventors(text, mentions)
        mentions = self._addressed(text, mentions)
        mentions = self._surnames(text, mentions)
        mentions = [shaped for m in mentions for shaped in self._shape(text, m)]
        mentions = [m for m in mentions if not _unfinished(m)]
        mentions = [g for m in mentions if (g := self._glued(text, m)) is not None]
        mentions = self._inside_names(text, mentions)
        mentions = self._unit_names(text, mentions)
        mentions = self._agency_units(text, mentions)
        abbreviations = find_abbreviations(text)
        mentions = self._defined_bodies(text, mentions, abbreviations)
        mentions = self._defined_methods(text, mentions, abbreviations)
        mentions = self._defined_terms(text, mentions, abbreviations)
        mentions, pairs = self._abbreviations(text, mentions, abbreviations)
        mentions = self._projects(text, mentions)
        mentions = self._partners(text, mentions)
        mentions = self._listed(text, mentions)
        mentions = self._known(text, mentions, names)
        common = {a.short for a in abbreviations if _common_long_form(text, a)}
        mentions = self._acting_names(text, mentions, common)
        mentions = [self._called(text, m) for m in mentions]
        mentions = self._named_runs(text, mentions)
        mentions = [_programme(text, m) for m in mentions]
        known = {entity_key("ORG", n) for n in names}  # the record's own organisations
        evidenced = self._evidenced(text, mentions, pairs, known)
        mentions = [m for m in mentions if m.label != "ORG" or m.key in evidenced]
        mentions = named_projects(text, mentions, self.make)
        mentions = coordinated(text, mentions, self.make)
        mentions = coordinated(text, mentions, self.make, "PROGRAMME")
        mentions = typed_lists(text, mentions, self.make)
        mentions = self._repeated(text, mentions)
        mentions = _linked_short_forms(mentions, pairs)
        mentions = self._anaphora(text, mentions)
        mentions = self._outside_act_titles(text, mentions)
        mentions = [self._role(text, m) for m in mentions]
        mentions = self._programmes(text, mentions)
        mentions = self._called_programmes(text, mentions, abbreviations)
        mentions = self._titled_programmes(text, mentions)
        mentions = self._named_programmes(text, mentions)
        mentions = self._schemes(text, mentions)
        mentions = self._in_longer_names(text, mentions)
        mentions = self._polities(text, mentions)
        mentions = self._washington(text, mentions)
        mentions = self._commission_initials(text, mentions)
        mentions = self._named_places(text, mentions)
        mentions = self._crops(text, mentions)
        mentions = [
            self._strain(text, self._genus_alone(text, m)) if m.label == "ORGANISM" else m
            for m in mentions
        ]
        mentions = self._designations(text, mentions)
        mentions = [
            self._lettered(text, m, mentions) if m.label == "CHEMICAL" else m for m in mentions
        ]
        mentions = [_typed(text, m) if m.label == "TECHNOLOGY" else m for m in mentions]
        mentions = self._kinds(text, mentions)
        mentions = self._kinded_heads(text, mentions)
        mentions = [self._unscaled(text, m) for m in mentions]
        mentions = self._processes_of(text, mentions)
        mentions = self._compounds(text, mentions)
        mentions = self._adjectival(text, mentions)
        mentions = self._carbon_monoxide(text, mentions)
        mentions = self._listed_water(text, mentions)
        mentions = [
            m
            for m in mentions
            if not (m.label == "CHEMICAL" and _BACTERIA_AFTER.match(text, m.end))
        ]
        mentions = self._outside_act_titles(text, mentions + _uncovered(ceded, mentions))
        mentions = [
            m
            for m in mentions
            if not (m.label == "ORG" and evidence.KIND_OF_BODY.match(m.text))
            and not (m.label == "PROGRAMME" and _KIND_OF_PROGRAMME.fullmatch(m.text))
            and not (
                m.label in ("ORG", "PROGRAMME") and evidence.DOCUMENT_ACRONYM.fullmatch(m.text)
            )
        ]
        organisms = {o.end for o in mentions if o.label == "ORGANISM"}
        mentions = [
            m
            for m in mentions
            if not _emitted(text, m)
            and not _in_code_name(text, m)
            and not _ticker(text, m)
            and not _shouted_word(text, m, known)
            and not _in_document_number(text, m)
            and not _negated_group(text, m)
            and not _authority(text, m, organisms)
        ]
        mentions = [self._campus(text, m) for m in mentions]
        mentions = self._national(text, mentions)
        mentions = self._slashed(text, mentions)
        mentions = self._programmes_projects(text, mentions)
        mentions = [m for m in mentions if not _in_titled_name(text, m)]
        mentions = self._learnt_kinds(text, mentions)
        mentions = self._whole_names(text, mentions)
        mentions = self._balanced(text, mentions)
        mentions = [m for m in mentions if not _degree_word(m)]
        return _without_overlaps(mentions)

    def _learnt_kinds(self, text: str, mentions: list) -> list:
        """The corpus's own reading of the word before a chemical or technology, where the
        rules left it: a word its annotators keep there nearly every time joins the name
        ("aqueous fermentation broth", "batch gas fermentation"); a first word they never
        keep leaves it."""
        taken = {i for m in mentions for i in range(m.start, m.end)}
        out = []
        for m in mentions:
            if m.label not in self.learnt:
                out.append(m)
                continue
            kept, dropped = self.learnt[m.label]
            start = m.start
            before = modifiers.WORD_BEFORE.search(text, max(0, m.start - 40), m.start)
            first, _, rest = m.text.partition(" ")
            if before and before.end() == m.start and before.start(1) not in taken:
                start = before.start(1) if before.group(1).lower() in kept else start
            if start == m.start and rest and first.lower() in dropped:
                start = m.start + len(first) + 1
            made = (
                self.make(m.label, text[start : m.end], start, m.end) if start != m.start else None
            )
            out.append(m if made is None else replace(made, origin=m.origin))
        return out

    def _whole_names(self, text: str, mentions: list) -> list:
        """A chemical found from inside a word (after a hyphen, a locant's comma) takes the
        name's start when what comes before marks a chemical's name (`_NAME_PREFIX_MARK`):
        the dictionaries know "hydroxyprogesterone", the text writes
        "11α-hydroxyprogesterone", "(S)-1-phenyl-1,2-ethanediol". Out of fold on train and
        dev texts: CHEMICAL +81 right and 48 wrong fewer after a hyphen (4294 texts), +19
        and 30 fewer after other marks (4347)."""
        taken = {i for m in mentions for i in range(m.start, m.end)}
        out = []
        for m in mentions:
            start = m.start
            if m.label == "CHEMICAL" and start and text[start - 1] not in _WORD_OPENS:
                while (
                    start
                    and not text[start - 1].isspace()
                    and text[start - 1] not in _NAME_WORD_STOPS
                ):
                    start -= 1
                if text[start] == "(" and text.count("(", start, m.start) > text.count(
                    ")", start, m.start
                ):
                    start += 1
            prefix = text[start : m.start]
            made = None
            if (
                prefix
                and prefix[0] != "-"
                and prefix.count(")") <= prefix.count("(")
                and not _JOINING_WORD.search(prefix)
                and _NAME_PREFIX_MARK.search(prefix)
                and not taken.intersection(range(start, m.start))
            ):
                made = self.make("CHEMICAL", text[start : m.end], start, m.end)
            out.append(m if made is None else replace(made, origin=m.origin))
        return out

    def _balanced(self, text: str, mentions: list) -> list:
        """A name's brackets close inside it: "poly(vinyl acetate)", "(R)-mandelic acid",
        "bicyclo[2.2.2]diazaoctane", where a mention was found from inside a bracket or
        up to one (`_balanced_span`). Mentions inside the bracket are parts of the name
        ("sulfone" of "poly(aryl ether sulfone)"); one that runs out of it stops the rule.
        Out of fold on 4397 train and dev texts: CHEMICAL +28 right, 26 wrong fewer."""
        out = []
        for m in mentions:
            start, end = _balanced_span(text, m.start, m.end)
            if (start, end) == (m.start, m.end) or any(
                o.start < end and start < o.end and not (start <= o.start and o.end <= end)
                for o in mentions
            ):
                out.append(m)
                continue
            made = self.make(m.label, text[start:end], start, end)
            out.append(m if made is None else replace(made, origin=m.origin))
        return out

    def _national(self, text: str, mentions: list) -> list:
        """ "U.S. DOE Office of Science": the country written before an agency is part of
        its name (train and dev mark it so all 34 times)."""

        def joins(last, m) -> str | None:  # type: ignore[no-untyped-def]
            national = last.label == "GPE" and last.text in _SHORT_COUNTRIES
            return "ORG" if national and m.label == "ORG" else None

        return self._joined(text, mentions, joins)

    def _programmes_projects(self, text: str, mentions: list) -> list:
        """LIFE's and the ERA-NETs' projects carry the programme in their names: "LIFE
        INFUSION aims to", "the LIFE Waste2Protein project" are one organisation each."""
        out = []
        for m in mentions:
            before = text[max(0, m.start - 6) : m.start]
            prefix = _PROJECT_PREFIX_BEFORE.search(before) if m.label == "ORG" else None
            start = m.start - len(prefix.group(0)) if prefix else m.start
            made = self.make("ORG", text[start : m.end], start, m.end) if prefix else None
            out.append(m if made is None else replace(made, origin=m.origin))
        return _without_overlaps(out)

    def _slashed(self, text: str, mentions: list) -> list:
        """Two programmes written with a slash between them are one name ("SBIR/STTR");
        two organisations stay two ("Genencor/Danisco")."""

        def joins(last, m) -> str | None:  # type: ignore[no-untyped-def]
            return m.label if last.label == m.label == "PROGRAMME" else None

        return self._joined(text, mentions, joins, between="/")

    def _joined(
        self, text: str, mentions: list, joins: Callable[..., str | None], between: str = " "
    ) -> list:
        """Mentions `between` apart (one space) made one, of the label `joins(first,
        second)` gives (None: left apart); the new mention keeps the origin of the part of
        that label."""
        out: list = []
        for m in sorted(mentions, key=lambda m: m.start):
            last = out[-1] if out else None
            label = (
                joins(last, m) if last is not None and text[last.end : m.start] == between else None
            )
            made = self.make(label, text[last.start : m.end], last.start, m.end) if label else None
            if made is not None:
                source = last if last.label == label else m
                out[-1] = replace(made, origin=source.origin)
                continue
            out.append(m)
        return out

    def _campus(self, text: str, m):  # type: ignore[no-untyped-def]
        """ "University of Wisconsin–Madison": a university's campus is part of its name."""
        campus = _CAMPUS.match(text, m.end)
        if m.label != "ORG" or not campus or "Universit" not in m.text:
            return m
        made = self.make("ORG", text[m.start : campus.end()], m.start, campus.end())
        return m if made is None else replace(made, key=m.key if m.origin == "profile" else made.key,
                                              origin=m.origin)  # fmt: skip

    def _inside_names(self, text: str, mentions: list) -> list:
        """A term in title case that a name word follows is part of that name: "Carbon
        Utilization Program" is a programme, "Synthetic Biology Center" no technology."""
        out = []
        for m in mentions:
            after = _NAME_AFTER.match(text, m.end)
            if m.label not in ("TECHNOLOGY", "CHEMICAL") or not after or not m.text.istitle():
                out.append(m)
                continue
            if after.group(1).startswith("Program"):
                made = self.make("PROGRAMME", text[m.start : after.end()], m.start, after.end())
                if made is not None:
                    out.append(made)
        return out

    def _processes_of(self, text: str, mentions: list) -> list:
        """A chemical before a process noun names the process ("biogas upgrading",
        "enzyme catalysis", "antibiotic therapy"): one technology."""
        out = []
        for m in mentions:
            process = _PROCESS_OF.match(text, m.end) if m.label == "CHEMICAL" else None
            made = (
                self.make("TECHNOLOGY", text[m.start : process.end()], m.start, process.end())
                if process
                else None
            )
            out.append(m if made is None else replace(made, origin=m.origin))
        return _without_overlaps(out)

    def _kinded_heads(self, text: str, mentions: list) -> list:
        """A method noun that names little alone ("editing", "modelling", "breeding") is a
        technology once the text says its kind: "genome editing", "metabolic modelling",
        "plasmid transfection", "crop breeding". The model's guess on a kind word alone
        ("Metabolic" as an organisation) gives way."""
        held = {i for m in mentions if m.origin != "model" for i in range(m.start, m.end)}
        for match in _KINDED_HEAD.finditer(text):
            s, e = match.span()
            if s in held:
                continue
            start = modifiers.kind_start(text, s, held, 2)
            if start < s and not text[start:s].strip().isupper():
                made = self.make("TECHNOLOGY", text[start:e], start, e)
                if made is not None:
                    mentions = _put(mentions, made)
                    held |= set(range(start, e))
        return mentions

    def _compounds(self, text: str, mentions: list) -> list:
        """Chemical words written one after another are one name ("ammonium sulfate",
        "hydrogen peroxide", "polybutylene adipate terephthalate", "1,3-propanediol
        oxidoreductase"), unless the first is a class noun in the plural or the second an
        acronym or a name that starts with its locant, which name the same thing twice
        ("alcohols 1-butanol", "bioplastics PLA", "the monoterpene 1,8-cineole"); a salt's
        cation joins all the same ("sodium 2-ethylhexanoate")."""

        def joins(last, m) -> str | None:  # type: ignore[no-untyped-def]
            same = last.label == m.label == "CHEMICAL"
            first = last.text.rsplit(" ", 1)[-1]
            apposed = _LOCANT_START.match(m.text) and first.lower() not in modifiers.CATIONS
            return (
                "CHEMICAL"
                if same
                and not modifiers.plural(first)
                and m.text.lower() not in modifiers.SOURCED_CLASSES
                and not (m.text.isupper() or _CHEMICAL_ACRONYM.fullmatch(m.text))
                and not apposed
                else None
            )

        joined = self._joined(text, mentions, joins)
        sourced = {
            o.start
            for o in joined
            if o.label == "CHEMICAL" and o.text.lower() in modifiers.SOURCED_CLASSES
        }
        return [m for m in joined if not _source_of(text, m, sourced)]

    def _adjectival(self, text: str, mentions: list) -> list:
        """A chemical made an adjective names a chemical together with the chemical it
        describes ("lactose-free dairy products", "chitin-containing biomass"); before
        anything else it names none ("protein-rich food", "mycelium-based electronics":
        the annotators mark the adjective alone a quarter of the time). "Lignin-derived"
        and "glucose-enriched" say where a thing comes from or what it holds more of,
        and keep their chemical."""
        ordered = sorted(mentions, key=lambda m: (m.start, -m.end))
        out: list = []
        taken: set[int] = set()
        for i, m in enumerate(ordered):
            if i in taken:
                continue
            adjective = _CHEMICAL_ADJECTIVE.match(text, m.end) if m.label == "CHEMICAL" else None
            if adjective is None:
                out.append(m)
                continue
            j = next((k for k, n in enumerate(ordered) if n.start == adjective.end()), None)
            if j is not None and ordered[j].label == "CHEMICAL":
                head = ordered[j]
                made = self.make("CHEMICAL", text[m.start : head.end], m.start, head.end)
                if made is not None:
                    out.append(replace(made, origin=head.origin))
                    taken.add(j)
        return out

    def _carbon_monoxide(self, text: str, mentions: list) -> list:
        """ "CO" is carbon monoxide in a text about syngas or gas fermentation, and
        otherwise nothing we can tell (Colorado, a company's "Co")."""
        if not _SYNGAS.search(text):
            return mentions
        held = {i for m in mentions for i in range(m.start, m.end)}
        for match in re.finditer(r"(?<![\w-])CO(?![\w-])", text):
            if match.start() not in held:
                made = self.make("CHEMICAL", "CO", match.start(), match.end())
                if made is not None:
                    mentions.append(made)
        return mentions

    def _unscaled(self, text: str, m):  # type: ignore[no-untyped-def]
        """A technology without the plant's scale before it ("commercial-scale biorefineries"
        is "biorefineries")."""
        scale = _SCALE.match(m.text) if m.label == "TECHNOLOGY" else None
        if scale is None or scale.end() == len(m.text):
            return m
        made = self._remade(m, "TECHNOLOGY", m.start + scale.end(), m.end, text)
        return m if made is None else made

    def _listed_water(self, text: str, mentions: list) -> list:
        """ "water" in a list with a chemical is one ("ethanol and water"), unless the list
        is a farm's resources ("fertilisers and water") or water's property follows."""
        chemicals = [m for m in mentions if m.label == "CHEMICAL"]
        for match in _WATER_WORD.finditer(text):
            s, e = match.span()
            if _WATER_PROPERTY.match(text, e) or any(m.start < e and s < m.end for m in mentions):
                continue
            if any(
                not _NOT_REAGENT.search(m.text)
                and (
                    (m.end <= s and _IN_LIST.fullmatch(text, m.end, s))
                    or (e <= m.start and _IN_LIST.fullmatch(text, e, m.start))
                )
                for m in chemicals
            ):
                mentions = _put(mentions, self.make("CHEMICAL", match.group(0), s, e))
        return mentions

    def _kinds(self, text: str, mentions: list) -> list:
        """A process keeps the words that say its kind ("acetate fermentation", a
        chemical's name included), an enzyme its substrate ("formate dehydrogenase"), a
        chemical the class noun after it ("PHA biopolymer", "fatty acid methyl ester"),
        and a term its glued prefix ("micro-fermentation", "bio-succinic acid")."""
        held = {i for m in mentions if m.label != "CHEMICAL" for i in range(m.start, m.end)}
        chemicals = {i for m in mentions if m.label == "CHEMICAL" for i in range(m.start, m.end)}
        out = []
        for m in mentions:
            if m.label not in ("TECHNOLOGY", "CHEMICAL", "ORGANISM"):
                out.append(m)
                continue
            alone = m.text.lower() in modifiers.HEADS  # a dictionary's longer term is whole
            if m.label == "CHEMICAL" and modifiers.ENZYME.search(m.text) and " " not in m.text:
                # an enzyme is named by its substrate ("formate dehydrogenase")
                start = modifiers.kind_start(text, m.start, held, 2, modifiers.substrate)
            elif m.label == "CHEMICAL" and m.text.lower() in modifiers.KINDED_CLASSES:
                start = modifiers.kind_start(text, m.start, held, 2, modifiers.kind_of_class)
            elif m.label == "CHEMICAL":
                start = modifiers.kind_start(
                    text, m.start, held | chemicals, 3, modifiers.substituent
                )
            else:
                limit = 2 if m.label == "TECHNOLOGY" and alone else 0
                # a fermentation is named by what it makes or eats ("acetate fermentation")
                taken = held if m.text.lower() in modifiers.FED else held | chemicals
                start = modifiers.kind_start(text, m.start, taken, limit)
                if m.label == "TECHNOLOGY":
                    start = min(start, modifiers.means_start(text, m.start))
                    start = modifiers.latin_start(text, start)
            if m.label == "CHEMICAL" and start == m.start and modifiers.PROTEIN_HEAD.search(m.text):
                # a gene's or family's code names the protein ("NifJ protein")
                start = modifiers.code_start(text, m.start, held | chemicals)
            end = m.end
            if m.label == "CHEMICAL":
                head = modifiers.CLASS_HEAD.match(text, m.end)
                end = head.end() if head and m.text.lower() not in modifiers.CLASS_WORDS else end
                start, end = self._chemical_marks(text, start, end)
            made = (
                self.make(m.label, text[start:end], start, end)
                if (start, end) != (m.start, m.end)
                else None
            )
            out.append(m if made is None else replace(made, origin=m.origin))
        grown = [(o.start, o.end) for o, m in zip(out, mentions, strict=True) if o is not m]
        return [
            o
            for o in out
            if not any(s <= o.start and o.end <= e and (s, e) != (o.start, o.end) for s, e in grown)
        ]

    @staticmethod
    def _chemical_marks(text: str, start: int, end: int) -> tuple[int, int]:
        """A chemical's span with the marks its name is written with: a polymer's brackets
        ("poly(3-hydroxybutyrate)"), a patent's Greek letter (".alpha.-galactosidase"), an
        ion's charge ("NH4+", "Ca2+"), a polyamide's grade ("nylon 6.6", "polyamide 510") and
        the locant of its phosphate or glycoside ("glucose 1-phosphate")."""
        poly = modifiers.POLY_OPEN.search(text, max(0, start - 5), start)
        if poly and text.startswith(")", end):
            return poly.start(), end + 1
        greek = modifiers.GREEK_BEFORE.search(text, max(0, start - 10), start)
        if greek:
            start = greek.start()
        charge = elements.CHARGE.match(text, end)
        if charge and elements.ion_formula(text[start:end]):
            return start, charge.end()
        grade = modifiers.POLYAMIDE_GRADE.match(text, end)
        if grade and modifiers.POLYAMIDE.search(text, start, end):
            return start, grade.end()
        derivative = modifiers.LOCANT_DERIVATIVE.match(text, end)
        return start, derivative.end() if derivative else end

    def _remade(self, m, label: str, start: int, end: int, text: str):  # type: ignore[no-untyped-def]
        """A model mention cut or relabelled: still the model's, so it still needs evidence."""
        made = self.make(label, text[start:end], start, end)
        return None if made is None else replace(made, origin=m.origin)

    def _lines(self, m) -> list:  # type: ignore[no-untyped-def]
        """A recogniser's span across a line break (a heading glued to the first sentence)
        is one candidate per line, an organisation's across "; " one per item; a name
        after a headline's topic and colon is the name alone ("Coronavirus: Commission and
        EIB provide ...")."""
        colon = m.text.rfind(": ")
        if colon > 0 and m.origin == "model" and m.label in ("ORG", "GPE", "PERSON"):
            start = m.start + colon + 2
            made = self.make(m.label, m.text[colon + 2 :], start, m.end)
            return [] if made is None else self._lines(replace(made, origin=m.origin))
        listed = m.origin == "model" and m.label == "ORG" and "; " in m.text
        if "\n" not in m.text and not listed:
            return [m]
        if m.origin == "profile":
            return []
        pieces = []  # a model's organisation across "; " is a list of them
        for line in re.finditer(r"[^\n;]+" if listed else r"[^\n]+", m.text):
            name = line.group(0).strip()
            if name:
                start = m.start + line.start() + len(line.group(0)) - len(line.group(0).lstrip())
                made = self.make(m.label, name, start, start + len(name))
                if made is not None:
                    pieces.append(replace(made, origin=m.origin))
        return pieces

    @staticmethod
    def _polity(m):  # type: ignore[no-untyped-def]
        """`EU` and countries are places; `EU-funded` is a place and an adjective; a
        model's place ends on a name ("EU sea basins": the place is "EU")."""
        if m.label == "LOC":  # the guide's GPE holds continents and regions too
            m = replace(m, label="GPE", name=POLITIES.get(m.text.casefold(), m.name))
        if m.label == "GPE" and m.origin == "model":
            words = m.text.split(" ")
            kept = len(words)
            while kept > 1 and words[kept - 1].isalpha() and words[kept - 1].islower():
                kept -= 1
            if kept < len(words):
                text = " ".join(words[:kept])
                name = POLITIES.get(text.casefold(), text)
                key = entity_key("GPE", text)
                return replace(m, text=text, end=m.start + len(text), key=key, name=name)
            return m
        if m.label != "ORG":
            return m
        text = m.text
        if MADE_ADJECTIVE.search(text):
            text = MADE_ADJECTIVE.sub("", text)
            m = replace(m, text=text, end=m.start + len(text), key=entity_key("ORG", text))
        if text.casefold() in POLITIES or (
            (len(text) > 3 or text in _SHORT_COUNTRIES) and country_code(text)
        ):
            name = POLITIES.get(text.casefold(), text)
            return replace(m, label="GPE", key=entity_key("GPE", text), name=name)
        return m

    @staticmethod
    def _place(text: str, m) -> bool:  # type: ignore[no-untyped-def]
        """A model's place must read as one: "AI" in "test AI models" is no Anguilla, the
        legal short forms "the Union" and "Member States" are no places (guide), nor are
        "Earth" and the planets, a sea ("the Atlantic"), a policy ("the Green Deal") or a
        section heading ("Background")."""
        if m.origin == "model" and m.text in _SECTION_WORDS:
            return False
        if m.label != "GPE" or m.origin != "model":
            return True
        if m.text in _NOT_PLACES or _WATER.fullmatch(m.text):
            return False
        if _LEGAL_SHORT_PLACE.match(m.text) or m.text.islower():  # "foie gras", "macroalgae"
            return False
        if _POLICY_END.search(m.text) or _LEGAL_SHORT_PLACE.match(
            _word_before(text, m.start) + m.text
        ):
            return False  # "the Green Deal"; "States" of "Member States"
        if _CODE_LIKE.search(m.text) and not _POLITY.fullmatch(m.text):
            return False  # "NK603", "KPI8", "nudF", "ΔFLD": codes and genes, not places
        if len(m.text) <= 3 and m.text.isupper() and m.text not in _SHORT_PLACES:
            return text[m.start - 1 : m.start] == "(" and text[m.end : m.end + 1] == ")"
        if " " not in m.text and m.text[1:].islower() and not _is_country(m.text):
            # a word the text also writes in lower case is a noun ("Algae ... algae")
            return not re.search(rf"(?<![\w-]){re.escape(m.text.lower())}(?![\w-])", text)
        return True

    def _unit_names(self, text: str, mentions: list) -> list:
        """A research unit's or office's name joined by "and" is one ORG with the words
        before it and the agency's short name that leads them; two bodies joined by "and"
        stay two."""
        for m in [m for m in mentions if m.label == "ORG" and _UNIT_HEAD.search(m.text)]:
            match = _UNIT_AND.search(text, max(0, m.start - 80), m.start)
            if match is None or match.end() != m.start:
                continue
            s = _name_start(text, match.start(1), m.start)
            agency = [
                o
                for o in mentions
                if o.label == "ORG"
                and o.origin != "model"
                and " " not in o.text
                and (o.start == s or (o.end == s - 1 and text[o.end] == " "))
            ]  # "ARS Cotton Production and ...": the agency's short name leads the unit's
            if agency:
                s = max(s, agency[0].end + 1)
            joined = text[s : match.end(1)].rstrip(", \t\n")  # the words before "and"
            if (
                not joined
                or _UNIT_HEAD.search(joined)
                or any(
                    o.label == "ORG" and o.origin != "model" and o.start < m.start and s < o.end
                    for o in mentions
                )
            ):
                continue  # "Forest Service and Agricultural Research Service": two bodies
            if agency:
                s = agency[0].start
            mentions = _put(mentions, self.make("ORG", text[s : m.end], s, m.end))
        return mentions

    def _agency_units(self, text: str, mentions: list) -> list:
        """An agency's short form and the unit named after it are one organisation ("the ARS
        Southern Regional Research Center", "USDA-ARS Red River Valley Agricultural Research
        Center"), unless the unit is a body the profile knows or a job title follows ("NREL
        Deputy Laboratory Director")."""
        for m in [m for m in mentions if m.label == "ORG" and m.origin != "model"]:
            if " " in m.text or not m.text.replace("-", "").isupper():
                continue
            unit = _UNIT_AFTER.match(text, m.end)
            if (
                unit is None
                or evidence.title_follows(text, unit.end())
                or any(
                    o is not m and o.origin != "model" and o.start < unit.end() and m.end < o.end
                    for o in mentions
                )
            ):
                continue
            mentions = _put(
                mentions, self.make("ORG", text[m.start : unit.end()], m.start, unit.end())
            )
        return mentions

    def _legal_names(self, text: str, mentions: list) -> list:
        for match in _LEGAL.finditer(text):
            e = match.end(1)
            s = _name_start(text, match.start(1), e)
            if len(text[s:e].split()) < 2 or any(
                m.label == "ORG" and m.start <= s and e <= m.end for m in mentions
            ):
                continue
            mentions = _put(mentions, self.make("ORG", text[s:e], s, e))
        return mentions

    def _binomials(self, text: str, mentions: list) -> list:
        """Abbreviated binomials ("E. coli", "Lb. plantarum"), and full ones the dictionary does not know:
        a rare capitalised genus and a rare Latin epithet ("Paradendryphiella salina")."""
        for match in _LATIN_BINOMIAL.finditer(text):
            s, e = match.span()
            genus, epithet = match.group(1), match.group(2)
            genus_end = s + len(genus)
            if "-" in epithet and not _joined_epithet(epithet):
                continue  # "Salmonella cross-contamination", "Catalytically de-oxygenate"
            claimed = [m for m in mentions if m.start < e and s < m.end and m.origin != "model"]
            if zipf_frequency(genus, "en") < 2.0 and len(genus) > 4:
                latin = zipf_frequency(epithet, "en") < 3.0 and all(
                    m.label == "ORGANISM" and m.end <= genus_end for m in claimed
                )  # the genus a dictionary knows takes its epithet
            else:  # a genus that is also a word ("Castor", the oil) yields to the binomial
                latin = (
                    _LATIN_ONLY_EPITHET.search(epithet) is not None
                    and zipf_frequency(genus, "en") < 3.7
                    and zipf_frequency(epithet, "en") < 2.5
                    and all(
                        s <= m.start
                        and m.end <= e
                        and (m.end <= genus_end or m.label == "ORGANISM")
                        for m in claimed
                    )
                )
            if latin:
                mentions = _put(mentions, self.make("ORGANISM", match.group(0), s, e))
        for match in _GENUS_SP.finditer(text):  # "Coniochaeta sp.": the genus of a species
            s, e = match.span(1)  # left unnamed, whatever the dictionary knows
            if zipf_frequency(match.group(1), "en") < 3.0 and not any(
                m.start < e and s < m.end and m.origin != "model" for m in mentions
            ):
                mentions = _put(mentions, self.make("ORGANISM", match.group(1), s, e))
        for match in _BINOMIAL.finditer(text):
            s, e = match.span()
            if zipf_frequency(match.group(1), "en") >= 4.0:
                continue  # "C. without": an initial and an English word
            if any(m.label == "ORGANISM" and m.start <= s and e <= m.end for m in mentions):
                continue
            mentions = _put(mentions, self.make("ORGANISM", match.group(0), s, e))
        return mentions

    def _thioesters(self, text: str, mentions: list) -> list:
        """A coenzyme A thioester is a chemical ("acetyl-CoA", "3-methylcrotonyl-CoA"): train
        and dev mark all six they write."""
        for match in _THIOESTER.finditer(text):
            s, e = match.span()
            if not any(
                m.start < e and s < m.end and (m.start < s or e < m.end) and m.origin != "model"
                for m in mentions
            ):  # "acetyl" of the dictionary gives way to "acetyl-CoA"
                mentions = _put(mentions, self.make("CHEMICAL", match.group(0), s, e))
        return mentions

    def _binary_compounds(self, text: str, mentions: list) -> list:
        """A non-metal's binary compound is one name ("chlorine dioxide", "nitric
        mono-oxide", "hydrogen sulphide"), where the dictionaries know only its anion."""
        for match in _BINARY_COMPOUND.finditer(text):
            s, e = match.span()
            if not any(m.start < e and s < m.end and m.label != "CHEMICAL" for m in mentions):
                mentions = _put(mentions, self.make("CHEMICAL", match.group(0), s, e))
        return mentions

    def _elements(self, text: str, mentions: list) -> list:
        """Elements by their symbols, an ion with its charge ("Pb2+", "NAD+") or a list of
        symbols ("Fe, Ca, Zn"), are chemicals whatever read them before ("Ca" a place);
        a longer chemical holding one ("D-xylose:H+ symporter") keeps it."""
        for s, e in [*elements.ions(text), *elements.symbol_lists(text)]:
            if not any(
                m.start <= s and e <= m.end and (m.start, m.end) != (s, e) and m.label == "CHEMICAL"
                for m in mentions
            ):
                mentions = _put(mentions, self.make("CHEMICAL", text[s:e], s, e))
        return mentions

    def _rare_chemicals(self, text: str, mentions: list) -> list:
        """A word with a chemical's ending that general English hardly uses is a chemical
        the dictionaries do not know ("thioacetamide", "p-coumarate", "pyocyanin"): on the
        corpus's train and dev texts such words sit inside a marked chemical 96 times in
        100. The model's guess on that word alone gives way; a longer name holding it does
        not."""
        for match in _CHEMICAL_WORD.finditer(text):
            s, e = match.span()
            word = match.group(0).lower()
            if (
                len(word) >= 7
                and word not in _CHEMICAL_WORD_NOT
                and zipf_frequency(word, "en") < RARE_ZIPF
                and not _prefixed_word(word)
                and not _verb_form(word)
                and not _VERB_BEFORE.search(text, max(0, s - 12), s)
                and not any(
                    m.start < e
                    and s < m.end
                    and (m.origin != "model" or (m.start, m.end) != (s, e))
                    for m in mentions
                )
            ):
                mentions = _put(mentions, self.make("CHEMICAL", match.group(0), s, e))
        return mentions

    def _person(self, text: str, m, mentions: list):  # type: ignore[no-untyped-def]
        """A model PERSON must read as a name: an organisation word makes it an ORG,
        digits, a document's word ("Innovation Agenda"), a single word (unless another
        person's surname) or a heading's words seen nowhere else make it nothing; a
        particle and a surname after it belong to it ("Vítor Martins dos Santos")."""
        if m.label != "PERSON" or m.origin != "model":
            return m
        name = m.text.split("/")[0].strip()
        if evidence.has_org_word(name) or evidence.called_organisation(
            text, m.start, m.end, person=True
        ):
            return replace(self.make("ORG", m.text, m.start, m.end), origin="model")
        if any(c.isdigit() for c in name) or name.isupper() or evidence.DOCUMENT.search(name):
            return None
        if people.NUMBERED_PART.match(name):  # "Annex B."
            return None
        if people.cited_journal(text, m.start, m.end):  # "(Manna et al., J. Immunol., 164"
            return None
        if people.reads_as_term(name, text):
            return None
        heading = evidence.in_heading(text, m.start, m.end) or people.in_title(text, m.start)
        if heading and text.count(name) < 2:
            return None
        if name != m.text:
            m = replace(m, text=name, end=m.start + len(name))
        address = people.FORM_OF_ADDRESS.match(name)
        if address:  # "Dr Satpathi" is "Satpathi", a person by the form of address
            name = name[address.end() :]
            start = m.start + address.end()
            return replace(m, text=name, start=start, key=entity_key("PERSON", name))
        more = people.particles_after(text, m.end)
        if more:
            end = m.end + more
            m = replace(
                m, text=text[m.start : end], end=end, key=entity_key("PERSON", text[m.start : end])
            )
            name = m.text
        if _PERSON.match(name):
            return m
        surnames = {
            o.text.split()[-1]
            for o in mentions
            if o is not m and o.label == "PERSON" and " " in o.text
        }
        return m if name in surnames else None

    def _glued(self, text: str, m):  # type: ignore[no-untyped-def]
        """A recogniser's organisation cut at a hyphen: a glued code is part of its name
        ("BIOCON-CO2"), and a name whose last word runs on into a lower-case word is a
        fragment ("European Bio" of "European Bio-refineries"); "NSF-funded" stays NSF."""
        if m.label != "ORG" or m.origin == "rules":
            return m
        code = _GLUED_CODE.match(text, m.end)
        if code:  # also a known name's: "BIOCON-CO2" is a project, not the company Biocon
            made = self.make("ORG", text[m.start : code.end()], m.start, code.end())
            origin = "model" if m.origin == "model" else "rules"
            return m if made is None else replace(made, origin=origin)
        last = m.text.split()[-1]
        if m.origin == "model" and _GLUED_WORD.match(text, m.end) and not last.isupper():
            return None
        return m

    def _surnames(self, text: str, mentions: list) -> list:
        """A person's surname written alone is the person ("said Vilsack", "Mullaney and
        Ullah"), also where the model read it as a place or an organisation."""

        def free(s: int, e: int) -> bool:
            return not any(
                m.start < e and s < m.end and not (m.origin == "model" and m.label != "PERSON")
                for m in mentions
            )

        def rare(surname: str) -> bool:
            zipf = zipf_frequency(surname.lower(), "en")
            return zipf < SURNAME_ZIPF or (
                zipf < NAME_ONLY_SURNAME_ZIPF
                and not re.search(rf"(?<![\w-]){re.escape(surname.lower())}(?![\w-])", text)
            )

        surnames = {
            m.text.split()[-1]
            for m in mentions
            if m.label == "PERSON"
            and " " in m.text
            and ";" not in m.text
            and len(m.text.split()[-1]) >= 3
            and m.text.split()[-1][0].isupper()
            and rare(m.text.split()[-1])
        }
        for s, e in people.surname_places(text, surnames):
            if free(s, e):
                mentions = _put(mentions, self.make("PERSON", text[s:e], s, e))
        return mentions

    def _addressed(self, text: str, mentions: list) -> list:
        """A name after a form of address is a person ("said Dr Stefano Amaducci"), also
        where the model read it as an organisation ("Dr. Craig Criddle, an environmental
        engineer"); not a name with an organisation's word ("Dr. Reddy's Laboratories")."""
        for s, e in people.addressed(text):
            name = text[s:e]
            if evidence.has_org_word(name) or any(
                m.start < e and s < m.end and not (m.origin == "model" and m.label == "ORG")
                for m in mentions
            ):
                continue
            mentions = _put(mentions, self.make("PERSON", name, s, e))
        return mentions

    def _inventors(self, text: str, mentions: list) -> list:
        """A patent's inventors as it lists them, and a reference's authors and a citation's
        surnames ("Quinn et al."), one PERSON each."""
        for s, e, label in people.inventors(text):
            mentions = _put(mentions, self.make(label, text[s:e], s, e))
        for s, e in people.cited_authors(text):
            mentions = _put(mentions, self.make("PERSON", text[s:e], s, e))
        for s, e in people.cited_surnames(text):
            if not any(m.start < e and s < m.end and m.origin != "model" for m in mentions):
                mentions = _put(mentions, self.make("PERSON", text[s:e], s, e))
        for s, e in people.credited(text):  # a photo's credit, a press contact, "Secretary X"
            if not any(m.start < e and s < m.end and m.origin != "model" for m in mentions):
                made = self.make("PERSON", text[s:e], s, e)
                if made is not None:
                    mentions = _put(mentions, replace(made, origin="model"))
        return mentions

    def _programmes(self, text: str, mentions: list) -> list:
        """A programme's name glued into a topic identifier ("H2020-SFS-2018-1") is no
        mention; glued to codes ("BBI-RIA") it is the whole code; two programme names
        side by side ("Bio-based Industries" "Research and Innovation action") are one.
        A lower-case "program" after the name is no part of it ("BioPreferred program":
        19 of 19 on train and dev), though the profile's names match in any case."""
        kept: list = []
        for m in sorted(mentions, key=lambda m: m.start):
            if m.label != "PROGRAMME":
                kept.append(m)
                continue
            generic = _GENERIC_PROGRAMME.search(m.text)
            if generic and not m.text[: generic.start()].islower():  # not "biomass program"
                made = self.make(
                    "PROGRAMME", m.text[: generic.start()], m.start, m.start + generic.start()
                )
                m = replace(made, origin=m.origin) if made is not None else m
            code = _CODE_AROUND.search(text, max(0, m.start - 20))
            while code and code.end() < m.end:
                code = _CODE_AROUND.search(text, code.end())
            if code and code.start() <= m.start and code.end() >= m.end and code.group(0) != m.text:
                rest = code.group(0).replace(m.text, "", 1)
                if re.search(r"\d", rest):
                    continue  # a topic or work-programme identifier
                if rest.strip("-").isupper():
                    made = self.make("PROGRAMME", code.group(0), code.start(), code.end())
                    m = replace(made, origin=m.origin) if made is not None else m
            last = kept[-1] if kept else None
            if (
                last is not None
                and last.label == "PROGRAMME"
                and text[last.end : m.start] == " "
                and any(c.islower() for c in last.text)
                and any(c.islower() for c in m.text)
                and last.key != m.key  # "ERA-NET-Cofund ERA-NET Cofund": one name twice
            ):
                made = self.make("PROGRAMME", text[last.start : m.end], last.start, m.end)
                if made is not None:
                    kept[-1] = replace(made, origin=m.origin)
                    continue
            kept.append(m)
        return self._action_types(text, kept)

    def _called_programmes(
        self, text: str, mentions: list, abbreviations: list[Abbreviation]
    ) -> list:
        """A short name the text calls a program is one wherever it stands, with its long
        form: "the Biotechnology Risk Assessment Grants (BRAG) program", "the BRAG
        program", "the REMOTE program". Not an organisation or a place the profile or the
        model knows ("the NSF program", "the EU programme")."""
        names = {match.group(1) for match in _CALLED_PROGRAMME.finditer(text)}
        for name in sorted(names):
            if re.search(rf"\b[Pp]roject {re.escape(name)}\b|\b{re.escape(name)} project\b", text):
                continue  # a project with a training programme ("the MPowerBIO project")
            at = list(_whole_words(text, name))
            as_org = self.make("ORG", name, *at[0]) if at else None
            if as_org is not None and as_org.key != entity_key("ORG", name):
                continue  # a known organisation's short name ("NSF" of the profile)
            if any(
                m.start < e
                and s < m.end
                and (
                    m.label == "GPE"
                    or (m.origin == "profile" and m.label != "PROGRAMME")
                    or (m.origin != "model" and m.label in _TERM_LABELS)
                )  # "integrated pest management (IPM) ... IPM programmes": a method
                for m in mentions
                for s, e in at
            ):
                continue
            spans = list(at)
            spans += [
                (a.long_start, a.long_end)
                for a in abbreviations
                if a.short == name and text[a.long_start].isupper()
            ]
            for s, e in spans:
                mentions = _put(mentions, self.make("PROGRAMME", text[s:e], s, e))
        return mentions

    def _titled_programmes(self, text: str, mentions: list) -> list:
        """A solicitation's "Program Title: Molecular Foundations for Biotechnology (MFB)"
        or "Dear Colleague Letter: Rules of Life (RoL)" names the programme, and it is one
        wherever the text names it or its short form."""
        names = [n for m in _PROGRAM_TITLE.finditer(text) for n in m.groups() if n]
        for match in _SOLICITATION_TITLE.finditer(text):
            title = _NOT_SOLICITATION_END.sub("", match.group(1))
            if not title.endswith("FOA"):
                names += [n for n in (title, match.group(2)) if n]
        for name in names:
            for s, e in _whole_words(text, name):
                if not any(
                    m.start < e and s < m.end and m.origin != "model" and m.label != "PROGRAMME"
                    for m in mentions
                ):
                    mentions = _put(mentions, self.make("PROGRAMME", name, s, e))
        return mentions

    def _named_programmes(self, text: str, mentions: list) -> list:
        """A programme the text names in title case, three words or more ending in
        "Program(me)", and a work programme's destination in quotes. Not in a headline,
        where every word is capitalised; not over a name the profile or the rules hold."""
        found = []
        for match in _NAMED_PROGRAMME.finditer(text):
            s, e = match.span(1)
            if " and " in text[s:e]:  # "Fourth and Fifth Framework Programmes": the last
                s = text.rindex(" and ", s, e) + len(" and ")
            words = list(re.finditer(r"\S+", text[s:e]))
            while words and words[0].group(0) in _NOT_PROGRAMME_START:
                words = words[1:]
            if len(words) >= 3 and not people.in_title(text, s + words[0].start()):
                found.append((s + words[0].start(), e))
        found += [match.span(1) for match in _DESTINATION.finditer(text)]
        for s, e in found:
            if any(
                m.start < e
                and s < m.end
                and m.origin != "model"
                and (m.start < s or e < m.end or m.label != "PROGRAMME")
                and m.label not in _TERM_LABELS
                for m in mentions
            ):
                continue
            mentions = _put(mentions, self.make("PROGRAMME", text[s:e], s, e))
        return mentions

    def _schemes(self, text: str, mentions: list) -> list:
        """What money comes "under" or is funded "through" is a scheme when it has a name
        of two or more capitalised words nothing else claims: "under Operation Warp Speed",
        "under the Investment Plan", "funded through the Biomass Research and Development
        Initiative". Laws, policies, offices and headings are not ("under the Recovery
        Act", "under the Green Deal")."""
        for match in _UNDER_SCHEME.finditer(text):
            s = match.start(1)
            e = s + len(_TRAILING_FUNCTION_WORDS.sub("", match.group(1)))
            name = text[s:e]
            if (
                len(name.split()) < 2
                or name.isupper()
                or _NOT_SCHEME.search(name)
                or any(
                    m.start < e
                    and s < m.end
                    and (m.label not in ("CHEMICAL", "TECHNOLOGY") or m.start < s or e < m.end)
                    for m in mentions
                )
            ):
                continue  # a term inside the name is part of it ("Biomass Research and ...")
            mentions = _put(mentions, self.make("PROGRAMME", name, s, e))
        return mentions

    def _action_types(self, text: str, mentions: list) -> list:
        """A call page's "Types of action: IA Innovation action" names the action type
        twice, by its code and its name, and "requirements for IA - flagship actions" by
        its code; a programme's "Cluster 5" is part of its name; an NIH notice's "(R01)" is
        its funding mechanism."""
        out = []
        for m in mentions:
            if m.label == "PROGRAMME":
                part = _PROGRAMME_PART.match(text, m.end)
                if part:
                    made = self.make("PROGRAMME", text[m.start : part.end()], m.start, part.end())
                    m = m if made is None else replace(made, origin=m.origin)
                named = _PART_NUMBER.search(m.text) and _PART_NAME.match(text, m.end)
                if named:
                    end = m.end + len(named.group(0).rstrip())
                    made = self.make("PROGRAMME", text[m.start : end], m.start, end)
                    m = m if made is None else replace(made, origin=m.origin)
                if text[max(0, m.start - 8) : m.start] == "HORIZON " and "Action" in m.text:
                    start = m.start - 8  # "HORIZON Innovation Actions": the action type's name
                    made = self.make("PROGRAMME", text[start : m.end], start, m.end)
                    m = m if made is None else replace(made, origin=m.origin)
                code = _ACTION_CODE.search(text, max(0, m.start - 60), m.start)
                if code and not any(
                    o.start < code.end(1) and code.start(1) < o.end for o in mentions
                ):
                    made = self.make("PROGRAMME", code.group(1), code.start(1), code.end(1))
                    if made is not None:
                        out.append(made)
            out.append(m)
        for kind in _ACTION_KIND.finditer(text):
            if not any(o.start < kind.end() and kind.start() < o.end for o in out):
                made = self.make("PROGRAMME", kind.group(1), *kind.span())
                if made is not None:
                    out.append(made)
        if _NIH_FUNDING.search(text):
            for code in _ACTIVITY_CODE.finditer(text):
                s, e = code.span(1)
                if not any(o.start < e and s < o.end for o in out):
                    made = self.make("PROGRAMME", code.group(1), s, e)
                    if made is not None:
                        out.append(made)
        for area in _FOCUS_AREA.finditer(text):  # "Focus area: Building a ... future (LC)"
            for group in (1, 2):
                s, e = area.span(group)
                if s >= 0 and not any(o.start < e and s < o.end for o in out):
                    made = self.make("PROGRAMME", area.group(group), s, e)
                    if made is not None:
                        out.append(made)
        return out

    def _in_longer_names(self, text: str, mentions: list) -> list:
        """A programme's proper name is not the programme in lower case ("the European
        bio-based industries"), nor inside an organisation's longer name ("European
        Bio-based Industries Association"); it stays one in a document's name ("the CBE JU
        Strategic Research and Innovation Agenda", as the corpus reads it)."""
        kept: list = []
        for m in mentions:
            if m.label != "PROGRAMME" or m.origin != "profile":
                kept.append(m)
                continue
            if m.text.islower() and not m.name.islower() and not _SCHEME_WORD.search(m.text):
                continue  # "EERE's biomass program" is one
            run = _NAME_RUN.match(text, m.end)
            if run is None or evidence.title_follows(text, m.end):
                kept.append(m)
                continue
            end = m.end + len(run.group(0))
            if any(o is not m and o.start < end and m.end <= o.start for o in mentions):
                kept.append(m)  # two names side by side ("Horizon 2020 Societal Challenges")
                continue
            last = run.group(0).split()[-1].casefold()
            if last in evidence.INSTITUTION_WORDS:
                before = _NAME_BEFORE.search(text, max(0, m.start - _LOOK_BACK), m.start)
                start = before.start(1) if before and before.group(1) not in _NOT_NAME else m.start
                made = self.make("ORG", text[start:end], start, end)
                if made is not None:
                    kept = [k for k in kept if not (k.start < end and start < k.end)]
                    kept.append(made)
                continue
            kept.append(m)
        return kept

    def _shape(self, text: str, m) -> list:  # type: ignore[no-untyped-def]
        """A model ORG cut to the name it holds, split where it holds two, relabelled or
        dropped where its words say it is no organisation: a headline's verb ("DOE
        Offers"), an unclosed bracket, trailing lower-case words, a job title, "A's B",
        "Person, Organisation", "X Program", facilities, journals, acts and diseases."""
        if m.label != "ORG" or m.origin != "model":
            return [m]
        start, end = m.start, m.end
        dangling = _DANGLING.search(text[start:end]) and _CONTINUED.match(text[end:])
        if dangling:  # "the Office of the Under" | "Secretary of Defense for Research"
            end += dangling.end()
        end -= evidence.headline_verb(text[start:end])
        if evidence.title_follows(text, end):  # "Principal Group" | "Manager"
            kept = evidence.title_modifiers_cut(text[start:end])
            if kept is None:
                return []
            start, end = start + kept[0], start + kept[1]
        name = text[start:end]
        if name.count("(") > name.count(")"):
            end = start + len(name[: name.index("(")].rstrip())
        elif name.count(")") > name.count("(") and re.search(r"\)\s*[A-Z]", name):
            # "DOE’s) Office of Fossil Energy": the name starts after the bracket it ran over
            start = end - len(name[name.index(")") + 1 :].lstrip())
        name = text[start:end]
        words = list(re.finditer(r"\S+", name))
        while (
            len(words) > 1
            and words[-1].group(0).islower()
            and any(w.group(0)[:1].isupper() for w in words[:-1])
        ):
            words.pop()
        end = start + words[-1].end() if words else end
        kept = evidence.without_title(text[start:end])
        if kept is None:
            return []
        start, end = start + kept[0], start + kept[1]
        funded = _FUNDED_PREFIX.match(text[start:end])
        pieces: list = []
        if funded:
            place = self.make("GPE", funded.group(1), start, start + len(funded.group(1)))
            if place is not None and place.label == "GPE" and country_code(funded.group(1)):
                pieces.append(place)
            start += funded.end()
        parts = self._parts(text, start, end)
        for label, s, e in parts:
            piece = text[s:e]
            if label == "ORG" and (
                evidence.PROGRAMME_END.search(piece) or evidence.PROGRAMME_AFTER.match(text[e:])
            ):
                label = "PROGRAMME"
            elif label == "ORG" and evidence.not_an_organisation(piece):
                continue
            made = (
                m
                if (label, s, e) == ("ORG", m.start, m.end)
                else self._remade(m, label, s, e, text)
            )
            if made is not None:
                pieces.append(made)
        return pieces

    @staticmethod
    def _parts(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
        """ "U.S. Department of Energy's National Renewable Energy Laboratory" is two
        organisations, "France’s National Research Institute ..." a country and one; "Dan
        Kammen, University of California" a person and one."""
        name = text[start:end]
        words = name.split()
        if len(words) == 2 and country_code(words[0]) and words[1].lower() in evidence.ORG_WORDS:
            return [("GPE", start, start + len(words[0]))]  # "UK University": no name
        owner = _OWNER.search(name)
        if owner and owner.start() > 0 and _owns(name[: owner.start()]):
            return [
                ("ORG", start, start + owner.start()),
                *Refiner._parts(text, start + owner.end(), end),
            ]
        if owner and owner.start() > 0 and country_code(name[: owner.start()]):
            return [  # "France’s National Research Institute for Agriculture"
                ("GPE", start, start + owner.start()),
                *Refiner._parts(text, start + owner.end(), end),
            ]
        both = name.find(" and ")
        if both > 0 and evidence.has_legal_form(name[:both]):  # "Novozymes A/S and Almac"
            return [("ORG", start, start + both), *Refiner._parts(text, start + both + 5, end)]
        place = _AND_PLACE.search(name)
        if place and country_code(place.group(1)):  # "National Labs and America"
            return [("ORG", start, start + place.start()), ("GPE", start + place.start(1), end)]
        comma = name.find(", ")
        if comma > 0 and not evidence.has_legal_form(name):
            person, rest = name[:comma], name[comma + 2 :]
            if (
                _PERSON.match(person)
                and not evidence.has_org_word(person)
                and evidence.has_org_word(rest)
            ):
                return [("PERSON", start, start + comma), ("ORG", start + comma + 2, end)]
            parts = name.split(", ")
            if all(evidence.has_org_word(p) and len(p.split()) > 1 for p in parts):
                found, at = [], start  # "Department of Defense, Department of Energy, ..."
                for part in parts:
                    found.append(("ORG", at, at + len(part)))
                    at += len(part) + 2
                return found
        return [("ORG", start, end)] if end > start else []

    def _longer_name(self, text: str, mentions: list, pair: Abbreviation) -> list:
        """An organisation the model cut before its short form's long form ends takes the
        rest of the name: "Office of Fossil Energy" + " and Carbon Management (FECM)"."""
        for m in mentions:
            if (
                m.label == "ORG"
                and m.start <= pair.long_start < m.end < pair.long_end
                and _NAME_REST.fullmatch(text, m.end, pair.long_end)
            ):
                made = self.make("ORG", text[m.start : pair.long_end], m.start, pair.long_end)
                if made is not None:
                    made = replace(made, origin=m.origin)
                    return [o for o in mentions if o is not m and not (
                        o.start < made.end and made.start < o.end)] + [made]  # fmt: skip
        return mentions

    def _abbreviations(
        self, text: str, mentions: list, pairs: list[Abbreviation]
    ) -> tuple[list, list[tuple[str, str]]]:
        """Short forms take their long form's label; an organisation's short form needs the
        evidence its long form needs, so (long key, short key) pairs are returned."""
        linked: list[tuple[str, str]] = []
        for pair in pairs:
            mentions = self._longer_name(text, mentions, pair)
            long_form = next(
                (
                    m
                    for m in mentions
                    if _reaches(text, m.end, pair.long_end)
                    and (
                        m.start <= pair.long_start < m.end
                        or (
                            pair.long_start < m.start < pair.long_end
                            and not _CLAUSE.search(text, pair.long_start, m.start)
                            and not _COMPLEMENT.search(text, pair.long_start, m.start)
                        )
                    )
                ),
                None,
            )
            if (
                long_form is not None
                and long_form.label == "ORG"
                and _THING_HEAD.search(text, pair.long_start, pair.long_end)
            ):
                long_form = None  # "... Request For Application (RFA)": a document, no body
            at = list(_whole_words(text, pair.short))
            if long_form is not None:  # "DuPont de Nemours, Inc. (“DuPont”)": not inside it
                at = [(s, e) for s, e in at if not (long_form.start <= s and e <= long_form.end)]
            if long_form is not None and long_form.label == "ORG":
                at = [  # nor inside a longer name ("the ARS Southern Regional Research Center")
                    (s, e)
                    for s, e in at
                    if not any(
                        m.label == "ORG" and m.start <= s and e <= m.end and m.end - m.start > e - s
                        for m in mentions
                    )
                ]
            if long_form is not None and long_form.label in LINKED_LABELS:
                label = long_form.label
                mentions = [
                    m for m in mentions if not any(m.start < e and s < m.end for s, e in at)
                ]
                for s, e in at:
                    made = self.make(label, pair.short, s, e)
                    if made is not None:
                        if label == "ORG":
                            made = replace(made, origin=long_form.origin)
                            linked.append((long_form.key, made.key))
                        mentions.append(made)
            elif _common_long_form(text, pair):  # a common noun's short form is no name
                mentions = [
                    m
                    for m in mentions
                    if not (m.label in ("ORG", "PERSON", "GPE") and (m.start, m.end) in at)
                ]
        return mentions, linked

    def _defined_bodies(self, text: str, mentions: list, abbreviations: list[Abbreviation]) -> list:
        """A body the text names in title case and gives a short form spelt by its words'
        initials is an organisation, whatever a dictionary read inside it: "Office of
        Dietary Supplements (ODS)", "Estonian Centre of Synthetic Biology (ECSB)"."""
        for a in abbreviations:
            s, e = a.long_start, a.long_end
            words = re.split(r"[ \t]+", text[s:e])
            if (
                not all(_BODY_WORD.fullmatch(w) for w in words)
                or not _BODY_HEAD.search(text[s:e])
                or evidence.PUBLICATION.search(text[s:e])
            ):
                continue  # nor a journal ("Proceedings of the National Academy of Sciences")
            initials = [p[0] for w in words for p in w.split("-") if p[:1].isupper()]
            if initials != [c for c in a.short if c.isupper()]:
                continue
            if any(
                (m.label == "ORG" and m.start <= s and e <= m.end)
                or (m.label == "PROGRAMME" and m.start < e and s < m.end)
                for m in mentions
            ):
                continue  # a name read already ("U.S. Environmental Protection Agency")
            mentions = _put(mentions, self.make("ORG", text[s:e], s, e))
        return mentions

    def _defined_methods(
        self, text: str, mentions: list, abbreviations: list[Abbreviation]
    ) -> list:
        """A method the text names in lower case and gives a short form is a technology:
        "deacetylation disc-refining (DDR)", "environmental risk assessment (ERA)",
        "intentional genomic alteration (IGA)", "Cell-based therapy (CT)". Its head says it
        is a method; the short form then takes its label."""
        for a in abbreviations:
            s, e = a.long_start, a.long_end
            words = text[s:e].split()
            if 1 < len(words) <= 5 and _TITLED_METHOD.fullmatch(text[s:e]):
                if not any(
                    m.start < e and s < m.end and m.label != "TECHNOLOGY" and m.origin != "model"
                    for m in mentions
                ):
                    mentions = _put(mentions, self.make("TECHNOLOGY", text[s:e], s, e))
                continue
            if not (1 < len(words) <= 5 and text[s:e][1:].islower()):
                continue
            if not _METHOD_HEAD.search(words[-1]) or words[-1].lower() in _NOT_METHOD_HEADS:
                continue
            if any(
                m.start < e
                and s < m.end
                and m.origin != "model"
                and (m.label != "TECHNOLOGY" or m.start < s or e < m.end)
                for m in mentions
            ):
                continue  # a rule reads it otherwise; "risk assessment" grows to its name
            mentions = _put(mentions, self.make("TECHNOLOGY", text[s:e], s, e))
        return mentions

    def _defined_terms(self, text: str, mentions: list, abbreviations: list[Abbreviation]) -> list:
        """A chemical or technology found by its head alone takes the words before it that
        spell the short form the text gives it, there and wherever the text repeats that
        name: "antifreeze proteins (AFPs)", "ice-nucleating proteins (INPs)", "steam
        pretreated corn stover (SPCS)". The initials say where the writer's name starts, as
        no dictionary of kind words can for a theme it has not read."""
        for a in abbreviations:
            m = next(
                (
                    m
                    for m in mentions
                    if m.label in ("CHEMICAL", "TECHNOLOGY") and m.end == a.long_end
                ),
                None,
            )
            start = _spelt_start(text, m.start, m.end, a.short) if m is not None else None
            if m is None or start is None:
                continue
            if any(o.start < m.start and start < o.end for o in mentions if o is not m):
                continue  # an organism or a chemical of its own ("Humicola insolens cutinase")
            name = text[start : m.end]
            for found in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.I):
                s, e = found.span()
                held = [o for o in mentions if o.start < e and s < o.end]
                if all(o.label == m.label and s <= o.start and o.end == e for o in held):
                    mentions = _put(mentions, self.make(m.label, text[s:e], s, e))
        return mentions

    def _projects(self, text: str, mentions: list) -> list:
        names = {
            g
            for pattern in _PROJECT
            for match in pattern.finditer(text)
            for g in match.groups()
            if g and len(g) >= 3 and not MADE_ADJECTIVE.search(g)
        }
        names = {_FUNDED_PREFIX.sub("", n) for n in names}
        names = {
            n
            for n in names
            if len(n) >= 3
            and not MADE_ADJECTIVE.search(n)
            and not (n[1:].isalnum() and n[1:].islower() and zipf_frequency(n, "en") >= 2.5)
        }
        profiled = {m.text for m in mentions if m.origin == "profile"}
        names -= profiled  # "our ERC project": the programme, not a consortium
        programmes = {m.text for m in mentions if m.label == "PROGRAMME"}
        names = {_after_programme(n, programmes) for n in names} - {""}
        for name in names:
            at = list(_whole_words(text, name))
            mentions = [m for m in mentions if not any(m.start < e and s < m.end for s, e in at)]
            for s, e in at:
                made = self.make("ORG", name, s, e)
                if made is not None:
                    mentions.append(made)
        return mentions

    def _partners(self, text: str, mentions: list) -> list:
        """A name with its country in brackets ("Novamont (Italy)", "VTT (FI)") is a
        partner organisation, unless the brackets hold its own initials."""
        for match in _PARTNER.finditer(text):
            code = match.group(2)
            initials = "".join(w[0] for w in match.group(1).split() if w[0].isupper())
            if not country_code(code) or (code.isupper() and initials.endswith(code)):
                continue  # "Life Cycle Assessment (LCA)" is no body in Saint Lucia
            e = match.end(1)
            s = _name_start(text, match.start(1), e)
            name = text[s:e]
            if (
                s == e
                or name.casefold() in POLITIES
                or country_code(name)
                or _LOCATED.search(text[max(0, s - 4) : s])
                or people.FORM_OF_ADDRESS.match(name)  # "Prof Dr Rainer Fischer (RWTH Aachen)"
                or any(
                    m.label in ("ORG", "PERSON") and m.start <= s and e <= m.end for m in mentions
                )
            ):  # "European Union (Poland)", "a centre in Paris (France)": places
                continue
            mentions = _put(mentions, self.make("ORG", text[s:e], s, e))
        return mentions

    def _listed(self, text: str, mentions: list) -> list:
        """A list of awardees and where they are ("... include Air Protein in San Leandro,
        California; Algenesis Corporation in San Diego; ..."): each is an organisation."""
        items = [
            match
            for match in _LISTED.finditer(text)
            if any(m.label == "GPE" and m.start == match.start(2) for m in mentions)
        ]
        if len(items) < 2:
            return mentions
        for match in items:
            s, e = match.span(1)
            s = _name_start(text, s, e)
            if s < e and not any(  # the list is the evidence the model's names lack
                m.label == "ORG" and m.start <= s and e <= m.end and m.origin != "model"
                for m in mentions
            ):
                mentions = _put(mentions, self.make("ORG", text[s:e], s, e))
        return mentions

    def _polities(self, text: str, mentions: list) -> list:
        """ "U.S.", "UK", "EU28" are places wherever the recognisers left them unlabelled
        (headlines); in a line of capitals they may be words."""
        for match in _POLITY.finditer(text):
            s, e = match.span()
            line_start, line_end = line_bounds(text, s, e)
            if text[line_start:line_end].isupper() or any(
                m.start < e and s < m.end for m in mentions
            ):
                continue
            made = self.make("GPE", match.group(0), s, e)
            if made is not None:
                mentions = [*mentions, made]
        return mentions

    def _commission_initials(self, text: str, mentions: list) -> list:
        """ "the EC" and "EC-funded" name the European Commission; "EC" alone is also the
        Community of an act's number ("Directive 2001/18/EC", "Regulation (EC) No") and an
        enzyme's class ("EC 3.2.1.41"), and before a name it starts a law's or a policy's
        ("the EC Treaty", "the EC Bioeconomy Strategy")."""
        for match in _COMMISSION_INITIALS.finditer(text):
            s, e = match.span()
            if any(m.start < e and s < m.end for m in mentions):
                continue
            commission = self.make("ORG", "Commission", s, e)
            if commission is not None:
                mentions = [*mentions, replace(commission, text="EC")]
        return mentions

    def _washington(self, text: str, mentions: list) -> list:
        """ "WASHINGTON, D.C." (a U.S. federal release's dateline) is one place, not two."""
        for match in _CAPITAL.finditer(text):
            s, e = match.span()
            if any(m.start < e and s < m.end and m.label != "GPE" for m in mentions):
                continue
            made = self.make("GPE", match.group(0), s, e)
            if made is not None:
                mentions = [m for m in mentions if not (m.start < e and s < m.end)] + [made]
        return mentions

    def _named_places(self, text: str, mentions: list) -> list:
        """Country and U.S. state names nothing else holds ("FACT SHEET: The United States
        Announces", "EU-India"), a release's dateline ("BOSTON —") and country codes
        listed in brackets ("(ES, NL, FR, IT, DK)") are places; the last two win over the
        model's guess. An address ("(Ames, IA)", "in Peoria, Ill.") is two places, whatever
        read it before."""
        for s, e in places.named_places(text):
            if any(m.start < e and s < m.end for m in mentions):
                continue
            university = _STATE_UNIVERSITY.match(text, e)
            if university:  # "Iowa State University" is a university, not Iowa
                mentions = _put(
                    mentions, self.make("ORG", text[s : university.end()], s, university.end())
                )
            else:
                mentions = _put(mentions, self.make("GPE", text[s:e], s, e))
        for s, e in [*places.datelines(text), *places.listed_codes(text)]:
            if not any(m.start < e and s < m.end and m.origin != "model" for m in mentions):
                mentions = _put(mentions, self.make("GPE", text[s:e], s, e))
        for s, e in places.addresses(text):
            if not any(m.start < e and s < m.end and m.label == "GPE" for m in mentions):
                mentions = _put(mentions, self.make("GPE", text[s:e], s, e))
        return mentions

    def _crops(self, text: str, mentions: list) -> list:
        """A crop standing for the plant is an organism ("barley modified for ...") where
        nothing longer holds it; before "stover" or "oil" it is the material's name."""
        for s, e in crops.plants(text):
            over = [m for m in mentions if m.start < e and s < m.end]
            if all(m.start == s and m.end == e and m.label in _TERM_LABELS for m in over):
                mentions = _put(mentions, self.make("ORGANISM", text[s:e], s, e))
        return mentions

    def _known(self, text: str, mentions: list, names: Sequence[str]) -> list:
        """The record's own organisations, wherever the text names them."""
        for s, e in evidence.occurrences(text, names):
            if any(m.label == "ORG" and m.start <= s and e <= m.end for m in mentions):
                continue
            mentions = _put(mentions, self.make("ORG", text[s:e], s, e))
        return mentions

    def _acting_names(self, text: str, mentions: list, common: set[str]) -> list:
        """A name the recognisers missed that acts: a coined word ("NextGenProteins aims",
        "BIOTREAT brings together") is an organisation, everywhere the text uses it; the
        short form of a common noun ("pre-exposure prophylaxis (PrEP)") is none."""
        names = {
            match.group(0)
            for match in _COINED.finditer(text)
            if match.group(0) not in common
            and not any(m.start < match.end() and match.start() < m.end for m in mentions)
            and (
                evidence.acts_itself(text, match.start(), match.end())
                or _WILL.match(text, match.end())
                or evidence.named_as_organisation(text, match.start())
                or evidence.called_organisation(text, match.start(), match.end())
            )
        }
        for name in names:
            for s, e in _whole_words(text, name):
                if not any(m.start < e and s < m.end for m in mentions):
                    made = self.make("ORG", name, s, e)
                    if made is not None:
                        mentions.append(made)
        return mentions

    def _named_runs(self, text: str, mentions: list) -> list:
        """ "biotech company Bavarian Nordic": the capitalised words an organisation noun
        introduces are its name, also where the model split or missed them."""
        for match in _NAMED_RUN.finditer(text):
            s, e = match.span(1)
            stop = _SENTENCE_STOP.search(match.group(1))
            if stop:  # the sentence's full stop ("Spanish SME Buggypower."), not "Inc."
                e = s + stop.end() - 1
            if any(
                o.start < e and s < o.end and o.origin != "model" and not _part_of(o, s, e)
                for o in mentions
            ):
                continue
            made = self.make("ORG", text[s:e], s, e)
            if made is not None:
                mentions = _put(mentions, replace(made, origin="model"))
        return mentions

    def _called(self, text: str, m):  # type: ignore[no-untyped-def]
        """ "The French company Suprême": a name the text calls an organisation is one,
        whatever the recogniser made of it; a "product" given State aid ("aid to NordFuel")
        is a company too."""
        if m.origin != "model" or m.label not in ("GPE", "PERSON", "PRODUCT"):
            return m
        named = m.label == "PRODUCT" and evidence.named_as_organisation(text, m.start)
        person = m.label == "PERSON"
        if not (named or evidence.called_organisation(text, m.start, m.end, person=person)):
            return m
        made = self.make("ORG", m.text, m.start, m.end)
        return m if made is None else replace(made, origin="model")

    @staticmethod
    def _evidenced(text: str, mentions: list, pairs: list, known: set[str]) -> set[str]:
        """Keys of the organisations with evidence somewhere in the text: a name with
        evidence at one place keeps it everywhere the text repeats it, and a short form
        has its long form's."""
        keys = {
            m.key
            for m in mentions
            if m.label == "ORG" and (m.key in known or _org_evidence(text, m))
        }
        for long_key, short_key in pairs:  # not back: "Rescue Motility Defects (RescueMoDe)"
            if long_key in keys:
                keys.add(short_key)
        return keys

    def _repeated(self, text: str, mentions: list) -> list:
        """An organisation is one wherever the text names it again, also where the
        recogniser missed it, and by its name without the company word ("Esencia Foods"
        ... "Esencia starts")."""
        forms: dict[str, object] = {}
        for m in mentions:
            if m.label != "ORG" or not m.text[:1].isupper() or len(m.text) < 4:
                continue
            forms.setdefault(m.text, m)
            words = m.text.split()
            if len(words) == 2 and (
                words[1].lower() in evidence.COMPANY_WORDS or evidence.has_legal_form(m.text)
            ):
                forms.setdefault(words[0], m)
            elif evidence.has_legal_form(m.text):  # "Ecovative Design, LLC" ... "Ecovative"
                core = evidence.LEGAL_FORM_END.sub("", m.text)
                forms.setdefault(core, m)
                first = core.split()[0]
                if len(core.split()) <= 3 and zipf_frequency(first, "en") < 2.5:
                    forms.setdefault(first, m)
            elif (short := _distinctive_word(words)) is not None:
                forms.setdefault(short, m)  # "Royal Cosun" ... "Cosun", "Metsä Fibre" ... "Metsä"
        for surface, m in forms.items():
            for s, e in _whole_words(text, surface):
                if _INSIDE_NAME_BEFORE.search(text, max(0, s - _LOOK_BACK), s) or (
                    _INSIDE_NAME_AFTER.match(text, e) and not evidence.title_follows(text, e)
                ):
                    continue  # "ArcelorMittal Europe", "Great Wall": part of another name
                grows = len(surface.split()) <= 3 and not re.search(r"[/;,]", surface)
                if not any(
                    o.start < e
                    and s < o.end
                    and not (grows and _part_of(o, s, e))
                    and not (o.origin == "model" and o.label == "PERSON")  # "Cosun developed"
                    for o in mentions
                ):
                    mentions = [
                        *(o for o in mentions if not (o.start < e and s < o.end)),
                        replace(m, text=surface, start=s, end=e, origin="rules"),
                    ]
        return mentions

    def _anaphora(self, text: str, mentions: list) -> list:
        """ "the Department", "The Authority": a bare organisation word after an article
        names the organisation of that kind the text named before."""
        orgs = sorted((m for m in mentions if m.label == "ORG"), key=lambda m: m.start)
        if not orgs:
            return mentions
        for match in _ANAPHOR.finditer(text):
            s, e = match.span(1)
            head = match.group(1).casefold()
            before = [o for o in orgs if o.end <= s and head in tokens(o.name or o.text)]
            if not before or any(m.start < e and s < m.end for m in mentions):
                continue
            antecedent = before[-1]
            mentions = [
                *mentions,
                replace(antecedent, text=text[s:e], start=s, end=e, origin="rules"),
            ]
        return mentions

    @staticmethod
    def _outside_act_titles(text: str, mentions: list) -> list:
        """An institution named inside an act's title does not act there."""
        titles = evidence.act_titles(text)
        if not titles:
            return mentions
        return [
            m
            for m in mentions
            if m.label != "ORG" or not any(s <= m.start and m.end <= e for s, e in titles)
        ]

    def _role(self, text: str, m):  # type: ignore[no-untyped-def]
        """A programme that is also a body (a joint undertaking) is an organisation where
        it acts, speaks through its officers, owns or signs (guide: decide by role)."""
        if m.label != "PROGRAMME" or not evidence.is_body(m.name or m.text):
            return m
        before = text[max(0, m.start - 30) : m.start]
        if not (
            evidence.acts_after(text, m.start, m.end)
            or _SPEAKS.match(text[m.end : m.end + 60])
            or _OWNS.match(text, m.end)
            or _AUSPICES.search(before)
            or _OFFICER_BEFORE.search(before)
            or _AUTHOR_BEFORE.search(before)
        ):
            return m
        made = self.make("ORG", m.text, m.start, m.end)
        if made is None:
            return m
        key = entity_key("ORG", m.name or m.text)
        return replace(made, key=key, name=m.name or m.text, origin=m.origin)

    def _genus_alone(self, text: str, m):  # type: ignore[no-untyped-def]
        """A genus the dictionary does not pair with a species keeps a following word only
        if it looks like a Latin epithet and names no rank, group or part: "Nicotiana
        plants", "Trichoderma used", "Yarrowia clade" and "Bacillus spores" name the genus
        alone."""
        genus, _, word = m.text.partition(" ")
        if (
            m.origin == "profile"
            or genus.endswith(".")
            or not word
            or " " in word
            or not (word.islower() or word.istitle() or word.lower() in _GROUP_AFTER_GENUS)
        ):
            return m
        epithet = word.lower()  # a headline capitalises it ("Escherichia Coli")
        if (
            epithet not in _GROUP_AFTER_GENUS
            and zipf_frequency(epithet, "en") < 4.0
            and (_EPITHET.search(epithet) or _joined_epithet(epithet))
            and not _ENGLISH_NOUN_END.search(epithet)
        ):
            return m
        made = self.make("ORGANISM", genus, m.start, m.start + len(genus))
        return m if made is None else replace(made, origin=m.origin)

    def _designations(self, text: str, mentions: list) -> list:
        """A strain named by its designation or culture-collection number alone is the
        organism; one an organism's span already holds stays inside it."""
        for match in _DESIGNATED.finditer(text):
            s, e = match.span(1) if match.group(1) else match.span(2)
            if not any(
                m.start < e and s < m.end and not (s <= m.start and m.end <= e and m.label == "ORG")
                for m in mentions
            ):  # the collection's name inside ("DSM" of "DSM 16786") is no organisation
                mentions = _put(mentions, self.make("ORGANISM", text[s:e], s, e))
        return mentions

    def _lettered(self, text: str, m, mentions: list):  # type: ignore[no-untyped-def]
        """A chemical takes the letter or numeral that names which one it is, unless another
        mention holds it."""
        letter = _LETTER.match(text, m.end)
        if letter is None or any(
            o.start < letter.end() and letter.start() < o.end for o in mentions
        ):
            return m
        return self._remade(m, "CHEMICAL", m.start, letter.end(), text) or m

    def _strain(self, text: str, m):  # type: ignore[no-untyped-def]
        """A rank below the species, a strain designation, even in brackets after a
        species' name, and a genus's "sp."/"spp." belong to the organism."""
        infra = _INFRASPECIFIC.match(text, m.end)
        if infra and " " in m.text:
            m = replace(m, end=infra.end(), text=text[m.start : infra.end()])
        match = _STRAIN.match(text[m.end : m.end + 60])
        if not match:
            bracketed = _BRACKETED_STRAIN.match(text, m.end)
            if bracketed and " " in m.text:
                return replace(m, end=bracketed.end(), text=text[m.start : bracketed.end()])
            sp = _SPECIES_UNNAMED.match(text, m.end)
            if sp and " " not in m.text:
                return replace(m, end=sp.end(), text=text[m.start : sp.end()])
            return m
        end = m.end + len(match.group(0).rstrip(".,;:"))
        return replace(m, end=end, text=text[m.start : end])


# A letter, a Roman numeral or a short code after a chemical names which one it is
# ("mogroside V", "protein A", "vitamin B12", "coenzyme Q10", "baccatin III").
_LETTER = re.compile(r" (?:[IVX]{1,4}|[A-Z](?:[0-9]{1,3}[a-z]?)?|[A-Z][a-z][0-9]{1,3})(?![\w&-])")


def _after_programme(name: str, programmes: set[str]) -> str:
    """A project's name without the programme named before it: "CBE-JU TERRIFIC" is the
    programme's TERRIFIC project. The longest programme name that starts it counts ("ERC-StG"
    before "ERC"), the same on every run."""
    for programme in sorted(programmes, key=lambda p: (-len(p), p)):
        if name.startswith(programme) and name[len(programme) : len(programme) + 1] in (" ", "-"):
            rest = name[len(programme) + 1 :]
            return rest if len(rest) >= 3 else ""
    return name


def _joined_epithet(word: str) -> bool:
    """Two joined words make an epithet ("kok-saghyz") only if neither is English: not
    "cross-contamination" of "Salmonella cross-contamination" nor "de-oxygenate"."""
    return _JOINED_EPITHET.fullmatch(word) is not None and all(
        zipf_frequency(part, "en") < 3.5 for part in word.split("-")
    )


def _common_long_form(text: str, pair: Abbreviation) -> bool:
    """A short form's long form is a common noun: written in lower case ("pre-exposure
    prophylaxis (PrEP)"), a method's, a document's or a device's name, or capitalised only
    as a sentence's first word ("Electronic health records (EHR) are ...")."""
    if text[pair.long_start].islower():
        return True
    if evidence.is_method(text[pair.long_start : pair.long_end]):
        return True  # "Topological Data Analysis (TDA)"
    if _THING_HEAD.search(text, pair.long_start, pair.long_end):
        return True
    words = text[pair.long_start : pair.long_end].split()
    sentence_start = not text[: pair.long_start].strip() or bool(
        re.search(r"[.!?:]\s+$|\n\s*$", text[max(0, pair.long_start - 4) : pair.long_start])
    )
    return sentence_start and len(words) > 1 and all(w.islower() for w in words[1:])


def _linked_short_forms(mentions: list, pairs: list[tuple[str, str]]) -> list:
    """An organisation's short form defined in the text ("Geza Ad Ltd. (GZA)") names the
    same organisation: it takes the long form's key and name."""
    longs = {m.key: m for m in mentions if m.label == "ORG"}
    to_long = {short: longs[long] for long, short in pairs if long in longs and long != short}
    return [
        replace(m, key=to_long[m.key].key, name=to_long[m.key].name)
        if m.label == "ORG" and m.key in to_long
        else m
        for m in mentions
    ]


def _emitted(text: str, m) -> bool:  # type: ignore[no-untyped-def]
    """CO2 as an emission, not a feedstock ("reducing CO2 emissions"): no chemical (guide)."""
    if m.label != "CHEMICAL" or not _GREENHOUSE.fullmatch(m.text):
        return False
    return bool(_EMISSION_AFTER.match(text, m.end)) and not _FEEDSTOCK_BEFORE.search(
        text[max(0, m.start - 40) : m.start]
    )


def _shouted_word(text: str, m, known: set[str]) -> bool:  # type: ignore[no-untyped-def]
    """A common word in a title written in capitals is no name ("... COSMETIC USES THEREOF",
    "BUTANOL PRODUCTION METHOD", "EFFICIENT USE OF BIOGAS ..."): a patent's or a release's
    title shouts every word, so capitals prove nothing there. A name the record lists
    itself (a project's acronym) stays."""
    word = m.text
    if m.label not in _NAME_LABELS or m.key in known:
        return False
    if not (word.isalpha() and word.isupper() and len(word) >= _SHOUTED_MIN):
        return False
    line_start, line_end = line_bounds(text, m.start, m.end)
    line = text[line_start:line_end]
    letters = [c for c in line if c.isalpha()]
    return (
        line.strip() != word  # a title that is the name alone ("SEAFRONT") names it
        and sum(c.isupper() for c in letters) >= _SHOUTED_SHARE * len(letters)
        and zipf_frequency(word.lower(), "en") >= _SHOUTED_ZIPF
    )


def _ticker(text: str, m) -> bool:  # type: ignore[no-untyped-def]
    """A stock ticker after its exchange ("(Nasdaq: BNTX)") names no organisation."""
    return m.label == "ORG" and bool(
        evidence.LISTING_BEFORE.search(text, max(0, m.start - _LOOK_BACK), m.start)
    )


def _source_of(text: str, m, sourced: set[int]) -> bool:  # type: ignore[no-untyped-def]
    """A one-word chemical right before a sourced product (its start in `sourced`) says where
    it comes from ("soy" of "soy protein", "whey" of "whey proteins"): no chemical there."""
    return (
        m.label == "CHEMICAL"
        and m.text[1:].islower()
        and " " not in m.text
        and text[m.end : m.end + 1] == " "
        and m.end + 1 in sourced
    )


def _authority(text: str, m, organisms: set[int]) -> bool:  # type: ignore[no-untyped-def]
    """A name right after a species (an organism's end in `organisms`) is its naming
    authority, no person the text speaks of ("Parthenium argentatum A. Gray")."""
    return m.label == "PERSON" and text[m.start - 1 : m.start] == " " and m.start - 1 in organisms


def _in_code_name(text: str, m) -> bool:  # type: ignore[no-untyped-def]
    """A chemical glued into a capitalised code name ("the BIOCON-CO2 platform") is part of
    that name, not a mention."""
    return m.label == "CHEMICAL" and bool(_CODE_BEFORE.search(text, max(0, m.start - 20), m.start))


_NON = re.compile(r"(?<![\w-])[Nn]on-$")


def _negated_group(text: str, m) -> bool:  # type: ignore[no-untyped-def]
    """ "non-Saccharomyces yeasts": every species but one genus is a group, which the guide
    leaves unlabelled."""
    return m.label == "ORGANISM" and (
        m.text[:4].lower() == "non-" or bool(_NON.search(text, max(0, m.start - 4), m.start))
    )


def _in_document_number(text: str, m) -> bool:  # type: ignore[no-untyped-def]
    """An agency's short name that opens a document number ("NSF 18-599", "NSF 98-49") is
    part of an identifier, not the agency acting."""
    return m.label == "ORG" and bool(_DOCUMENT_NUMBER.match(text, m.end))


# A word of six or more characters, not all capitals, ending a sentence inside a name's run.
_SENTENCE_STOP = re.compile(r"(?<!\S)(?![A-Z.]+(?:\s|$))\S{5,}\.(?=\s|$)")
_GLUED_CODE = re.compile(r"-[A-Z0-9][A-Z0-9]*(?:-[A-Z0-9][A-Z0-9]*)*(?![\w-])")
_GLUED_WORD = re.compile(r"-[a-z]")


def _classification(text: str, m) -> bool:  # type: ignore[no-untyped-def]
    """A patent classification symbol ("C12P 19/00", "C09H 3/00" in a gazette's "Int. Cl."
    and "CPC" lines) names a class of inventions, no chemical or body."""
    return bool(_CLASS_SYMBOL.fullmatch(m.text) and _CLASS_GROUP.match(text, m.end))


def _unfinished(m) -> bool:  # type: ignore[no-untyped-def]
    """A recogniser's span that ends in an article or a preposition ("Building a")."""
    return m.origin == "model" and bool(_UNFINISHED.search(m.text))


def _programme(text: str, m):  # type: ignore[no-untyped-def]
    """ "The BER program": a recogniser's organisation followed by "program" is one."""
    if m.label != "ORG" or m.origin != "model" or not evidence.PROGRAMME_AFTER.match(text[m.end :]):
        return m
    return replace(m, label="PROGRAMME", key=entity_key("PROGRAMME", m.text))


def _org_evidence(text: str, m) -> bool:  # type: ignore[no-untyped-def]
    """Evidence that a recogniser's name is an organisation (see org_evidence)."""
    if m.origin != "model":
        return True
    words = tokens(m.text)
    if len(words) == 1 and words[0] in evidence.ORG_WORDS:  # "Board": a word, not a name
        return False
    heading = evidence.in_heading(text, m.start, m.end)
    if evidence.has_org_word(m.text, heading) or evidence.has_legal_form(m.text):
        return True
    if m.text.islower() or not any(c.isalpha() for c in m.text):
        return False
    if _COINED.fullmatch(m.text) and _WILL.match(text, m.end):
        return True
    return (
        evidence.acts_itself(text, m.start, m.end)
        or evidence.called_organisation(text, m.start, m.end)
        or evidence.named_as_organisation(text, m.start)
    )


# A technology keeps its type (guide: `fed-batch fermentation`, `integrated biorefinery`):
# "dilute acid pretreatment", "animal cell culture". (Taking a following "technology" or
# "system" into the span as well lost more than it won on dev.)
_TECH_TYPE = re.compile(
    r"\b(animal|thermochemical|cellulosic|lignocellulosic|synthetic|integrated|continuous|anaerobic|"
    r"aerobic|enzymatic|hydrothermal|dilute acid|alkaline|acid|steam|biological|catalytic|microbial|"
    r"submerged|solid-state|high-throughput|whole-cell|cell-free|single-cell|post-genomic)[ -]$",
    re.I,
)


def _typed(text: str, m):  # type: ignore[no-untyped-def]
    start, end = m.start, m.end
    kind = _TECH_TYPE.search(text[max(0, start - 25) : start])
    if kind and not m.text[:1].isupper():
        start -= len(kind.group(0))
    if (start, end) == (m.start, m.end):
        return m
    return replace(
        m, start=start, end=end, text=text[start:end], key=entity_key("TECHNOLOGY", text[start:end])
    )


# A chemical made an adjective of degree or absence, with no noun of its own: "high-penicillin
# producing strain", "low-lactose dairy products", "non-protein nitrogen". Train and dev
# leave the word unmarked 43 times of 54 and mark the bare chemical 11 times.
_DEGREE_WORD = re.compile(r"(?:[Hh]igh|[Ll]ow|[Nn]on)-[a-z]+")


def _degree_word(m) -> bool:  # type: ignore[no-untyped-def]
    """A chemical's span that is only an adjective of how much of it there is."""
    return m.label == "CHEMICAL" and _DEGREE_WORD.fullmatch(m.text) is not None


def _tidy(m):  # type: ignore[no-untyped-def]
    """A span without the punctuation a recogniser glued on: a trailing comma, an unbalanced
    bracket, a hyphen ("xylose-" of "xylose- and glucose-rich"), a list's bullet."""
    text, start, end = m.text, m.start, m.end
    while text and (text[-1] in ",;:-–" or (text[-1] == ")" and text.count("(") < text.count(")"))):
        text, end = text[:-1].rstrip(), start + len(text[:-1].rstrip())
    while text and (
        text[0] in ",;:•·▪◦*" or (text[0] == "(" and text.count("(") > text.count(")"))
    ):
        stripped = text[1:].lstrip()
        start += len(text) - len(stripped)
        text = stripped
    if not text or not any(c.isalnum() for c in text):
        return None
    return m if (start, end) == (m.start, m.end) else replace(m, text=text, start=start, end=end)


_TITLE_WORD = re.compile(r"[\w'’-]+|[^\w\s]")
_FUNCTION_WORDS = frozenset(
    ["and", "of", "for", "the", "in", "on", "to", "&", "with", "from", "by", "a", "an"]
)


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and not word.isupper()


def _in_titled_name(text: str, m) -> bool:  # type: ignore[no-untyped-def]
    """A term in title case inside a longer title-case name in running text is a word of
    that name ("the Executive Order on Advancing Biotechnology and Biomanufacturing
    Innovation", "DOE's Plastics Innovation Challenge", "the International Conference on
    Wood Adhesives"): on train and dev such a term is marked 19 times in 67, mostly where a
    project's or a paper's title is quoted. A text's own title (its first line) keeps its
    terms."""
    if m.label not in ("TECHNOLOGY", "CHEMICAL") or people.in_title(text, m.start):
        return False
    words = [w for w in m.text.split() if w.lower() not in _FUNCTION_WORDS]
    if not words or not all(_capitalised(w) for w in words) or re.match(r"[DL]-", m.text):
        return False
    line_start = line_bounds(text, m.start)[0]
    before = _TITLE_WORD.findall(text[line_start : m.start])
    after = _TITLE_WORD.findall(text[m.end : m.end + 60].split("\n")[0])
    while before and before[-1].lower() in _FUNCTION_WORDS:
        before.pop()
    while after and after[0].lower() in _FUNCTION_WORDS:
        after.pop(0)
    return (
        len(before) >= 2
        and _capitalised(before[-1])
        and before[-2] not in '.:;!?"“'
        and bool(after)
        and _capitalised(after[0])
    )


def _balanced_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span with its brackets balanced: an unclosed "(" or "[" takes the text up to its
    closing bracket, a closing one without its opener takes the opener and the word glued
    before it ("bicyclo[2.2.2]"); as it was where the bracket does not close within the
    sentence's next words."""
    for opener, closer in ("()", "[]"):
        part = text[start:end]
        if part.count(closer) > part.count(opener) and text[start - 1 : start] == opener:
            start -= 1
            while start and not text[start - 1].isspace() and text[start - 1] not in "([{":
                start -= 1
        part = text[start:end]
        while part.count(opener) > part.count(closer):
            close = _CLOSING.match(text, end)
            if close is None or not close.group(0).endswith(closer):
                break
            end = close.end()
            part = text[start:end]
    return start, end


def _without_overlaps(mentions: list) -> list:
    """Longest first where two mentions overlap; order by position."""
    kept: list = []
    for m in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        if not any(m.start < k.end and k.start < m.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.end))
