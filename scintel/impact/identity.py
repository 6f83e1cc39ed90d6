"""One organisation identity for participants, applicants, affiliations, NLP entities and the
network: the only place that maps what a source says about an organisation (its name, country,
CORDIS PIC, ROR id) to an organisation key.

Keys, strongest first:
- `pic:<nine digits>` for a CORDIS participant (the PIC is CORDIS's organisationID);
- `ror:<id>` for an OpenAlex institution or a Europe PMC affiliation carrying its ROR id;
- `name:<org_key>|<CC>` for a name with an ISO country code, `name:<org_key>` without one.
  The name part is `scintel.nlp.normalise.org_key`, which keeps every script.

Spellings are joined by rules, each recorded as a `Merge` (rule, member key, evidence):
- `curated_alias`: the curation names the spelling an alias of another name (or id);
- `id_name`: a name-only mention carries the name and country of exactly one id (a CORDIS
  row "X" in DK and a later "X" in DK without a PIC meet);
- `same_name_country`: a PIC and a ROR id carry the same name in the same country, and no
  other id of either scheme does;
- `name_one_country`: a name without a country is the name of exactly one organisation that
  has a country (the patent applicant "BASF SE" is the participant BASF SE of DE).
Names are never joined across countries, a name shared by two ids of one country joins
neither (ambiguous), and a generic name (shorter than MIN_NAME_CHARS, or one word as common
as "nature") joins nothing by name alone. A curation `organisation_splits.csv` line keeps
two organisations apart whatever a rule says: every merge can be reversed.

Groups (a company group and its subsidiaries, a university and its institutes) are curation
data too (`organisation_groups.csv`): members stay organisations of their own, `group_of` and
`family` relate them.

Use: `observe` every mention, `resolve()` once, then `key_for` answers for any mention.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from wordfreq import zipf_frequency

from scintel.nlp.normalise import country_code, org_key

if TYPE_CHECKING:
    from scintel.impact.curation import Alias, Curation, Reference

PIC = re.compile(r"^\d{9}$")
ROR = re.compile(r"^0[a-z0-9]{6}\d{2}$")
ROR_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?ror\.org/", re.I)
SCHEMES = ("pic", "ror")
# A name shorter than this (East Asian wide characters count twice) joins nothing by name.
MIN_NAME_CHARS = 4
# One word at least this common (Zipf, wordfreq) in one of these languages is a word, not a
# name: "nature" 5.1, "carbon" 4.6 are; "siemens" 4.1, "basf" 3.4, "novozymes" 1.3 are not.
COMMON_WORD_ZIPF = 4.5
LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt")
MAX_NAME_CHARS = 240  # the key column holds 255


def pic_id(value: Any) -> str | None:
    """A CORDIS PIC (nine digits), or None."""
    text = str(value or "").strip()
    return text if PIC.match(text) else None


def ror_id(value: Any) -> str | None:
    """The bare ROR id of 'https://ror.org/02e2c7k09' or '02e2c7k09', or None."""
    text = ROR_PREFIX.sub("", str(value or "").strip()).strip("/").lower()
    return text if ROR.match(text) else None


def country_of(value: str | None) -> str | None:
    """ISO alpha-2 code of a country code or name ('UK' and 'EL' as the EU writes them)."""
    return country_code(value) if value and value.strip() else None


def name_key(name: str, country: str | None = None) -> str | None:
    """`name:<org_key>|<CC>` (or without `|CC`), None when the name has no letters."""
    base = org_key(name)[:MAX_NAME_CHARS]
    if not base:
        return None
    code = country_of(country)
    return f"name:{base}|{code}" if code else f"name:{base}"


def _base(key: str) -> str:
    """The org_key part of a name key."""
    return key.removeprefix("name:").split("|", 1)[0]


def _country(key: str) -> str | None:
    return key.split("|", 1)[1] if key.startswith("name:") and "|" in key else None


@lru_cache(maxsize=8192)
def is_generic(base: str) -> bool:
    """Too short or too common a name to join another organisation by name alone."""
    width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in base if c != " ")
    if width < MIN_NAME_CHARS:
        return True
    words = base.split()
    return len(words) == 1 and max(zipf_frequency(words[0], lang) for lang in LANGUAGES) >= (
        COMMON_WORD_ZIPF
    )


def rule_of(key: str) -> str:
    """How a key identifies: 'pic', 'ror', 'name_country' or 'name'."""
    scheme = key.split(":", 1)[0]
    if scheme in SCHEMES:
        return scheme
    return "name_country" if "|" in key else "name"


def _rank(key: str) -> tuple[int, str]:
    return ({"pic": 0, "ror": 1, "name_country": 2, "name": 3}[rule_of(key)], key)


@dataclass(frozen=True)
class Mention:
    """What a source says about an organisation."""

    name: str
    country: str | None = None
    pic: str | None = None
    ror: str | None = None


@dataclass
class Merge:
    """One join of a key into an organisation, with the rule and its evidence."""

    rule: str
    member: str
    evidence: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "member": self.member, "evidence": self.evidence}


def reference_key(ref: Reference, country: str | None = None) -> str | None:
    """The key a curation file's reference names: its id, else its name in its country."""
    if ref.text.startswith("pic:") and (pic := pic_id(ref.text[4:])):
        return f"pic:{pic}"
    if ref.text.startswith("ror:") and (ror := ror_id(ref.text[4:])):
        return f"ror:{ror}"
    return name_key(ref.text, ref.country or country)


class Identities:
    """Organisation keys for every mention observed, joined by the rules of this module.

    `observe` every mention, `resolve()` once, then ask `key_for`; observing more after
    resolving needs another `resolve()`. The result depends on the set of mentions only,
    never on their order.
    """

    def __init__(self, curation: Curation | None = None) -> None:
        from scintel.impact.curation import Curation  # curation validates ids with this module

        self.curation = curation or Curation()
        self._parent: dict[str, str] = {}
        self._members: dict[str, set[str]] = {}
        self._names: dict[str, Counter[str]] = defaultdict(Counter)
        self._countries: dict[str, Counter[str]] = defaultdict(Counter)
        # name key -> the ids carrying that name in that country
        self._claims: dict[str, set[str]] = defaultdict(set)
        # org_key -> the name keys with a country of that name (observed or an id's)
        self._with_country: dict[str, set[str]] = defaultdict(set)
        # own key -> alias merges that substituted a curated name for the spelling
        self._aliases: dict[str, dict[str, Merge]] = defaultdict(dict)
        self._splits = [
            (reference_key(a), reference_key(b), reason) for a, b, reason in self.curation.splits
        ]
        self._merges: list[Merge] = []
        self._refused: Counter[str] = Counter()
        self._groups: dict[str, str] = {}
        for group in self.curation.groups:  # a group is an organisation, named or not
            self.observe(Mention(group.group.text, group.group.country))

    # --- observing -------------------------------------------------------------------------

    def _named(self, mention: Mention) -> tuple[str | None, Merge | None]:
        """The name key of a mention after the curation's aliases, and the alias merge."""
        own = name_key(mention.name, mention.country)
        alias = self.curation.alias_for(mention.name, country_of(mention.country))
        if own is None or alias is None:
            return own, None
        target = reference_key(alias.canonical, mention.country or alias.country)
        if target is None or target == own:
            return own, None
        evidence = {"alias": mention.name.strip(), "canonical": alias.canonical.text}
        return target, Merge("curated_alias", own, evidence | {"line": alias.line})

    def own_key(self, mention: Mention) -> str | None:
        """The key of a mention before any join: its id, else its (curated) name."""
        if pic := pic_id(mention.pic):
            return f"pic:{pic}"
        if ror := ror_id(mention.ror):
            return f"ror:{ror}"
        return self._named(mention)[0]

    def observe(self, mention: Mention) -> str | None:
        """Record a mention; returns its own key (None for a name with no letters and no id)."""
        own = self.own_key(mention)
        if own is None:
            return None
        named, alias = self._named(mention)
        self._add(own)
        if mention.name.strip():
            self._names[own][mention.name.strip()] += 1
        if code := country_of(mention.country):
            self._countries[own][code] += 1
        if alias is not None:
            self._aliases[own].setdefault(alias.member, alias)
        if named is not None and named != own:  # an id: its name, for name-only mentions
            self._claims[named].add(own)
            self._index(named)
        return own

    def _add(self, key: str) -> None:
        if key not in self._parent:
            self._parent[key] = key
            self._members[key] = {key}
            self._index(key)

    def _index(self, key: str) -> None:
        if rule_of(key) == "name_country":
            self._with_country[_base(key)].add(key)

    # --- joining ---------------------------------------------------------------------------

    def _find(self, key: str) -> str:
        root = key
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[key] != root:
            self._parent[key], key = root, self._parent[key]
        return root

    def _union(self, a: str, b: str, merge: Merge) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return
        left, right = self._members[ra], self._members[rb]
        for x, y, _ in self._splits:
            if (x in left and y in right) or (x in right and y in left):
                self._refused["curated_split"] += 1
                return
        keep, drop = sorted((ra, rb), key=_rank)
        self._parent[drop] = keep
        self._members[keep] |= self._members.pop(drop)
        self._merges.append(merge)

    def resolve(self) -> None:
        """Join the observed keys by the rules, in a fixed order."""
        self._refused.clear()
        for alias in self.curation.alias_rows:
            self._join_curated(alias)
        for named in sorted(self._claims):
            self._join_ids(named)
        for key in sorted(k for k in list(self._parent) if rule_of(k) == "name"):
            self._join_countryless(key)
        self._groups = {}
        for group in self.curation.groups:
            member, target = self.key_of(group.member), self.key_of(group.group)
            if member is not None and target is not None and member != target:
                self._groups[member] = target

    def _join_curated(self, alias: Alias) -> None:
        """An id the curation names the same organisation as another id or name."""
        member = reference_key(alias.alias, alias.country)
        if member is None or rule_of(member) not in SCHEMES or member not in self._parent:
            return  # name aliases were applied when the mention was observed
        target = reference_key(alias.canonical, alias.country)
        if target in self._claims and target not in self._parent:
            target = min(self._claims[target], key=_rank)
        if target is None or target not in self._parent:
            return
        evidence = {"alias": alias.alias.text, "canonical": alias.canonical.text}
        self._union(target, member, Merge("curated_alias", member, evidence | {"line": alias.line}))

    def _join_ids(self, named: str) -> None:
        """The ids carrying one name in one country, and the name-only mentions of it."""
        ids = sorted(self._claims[named])
        if is_generic(_base(named)):
            self._refused["generic_name"] += 1
            return
        roots = defaultdict(set)
        for key in ids:
            roots[key.split(":", 1)[0]].add(self._find(key))
        if any(len(found) > 1 for found in roots.values()):
            self._refused["ambiguous_name"] += 1  # two PICs, say, of one name and country
            return
        evidence = {"name": _base(named), "country": _country(named), "ids": ids}
        for other in ids[1:]:
            self._union(ids[0], other, Merge("same_name_country", other, evidence))
        if named in self._parent:
            self._union(ids[0], named, Merge("id_name", named, evidence))

    def _countryless_roots(self, base: str) -> set[str | None]:
        """The organisations that carry this name with a country (None: an ambiguous id name)."""
        roots: set[str | None] = set()
        for key in self._with_country.get(base, ()):
            if key in self._parent:
                roots.add(self._find(key))
            if key in self._claims:
                found = {self._find(k) for k in self._claims[key]}
                roots.add(found.pop() if len(found) == 1 else None)
        return roots

    def _join_countryless(self, key: str) -> None:
        roots = self._countryless_roots(_base(key))
        if not roots:
            return
        if is_generic(_base(key)):
            self._refused["generic_name"] += 1
        elif len(roots) > 1 or None in roots:
            self._refused["ambiguous_name"] += 1  # the name is in several countries
        else:
            (root,) = roots
            assert root is not None
            evidence = {"name": _base(key), "country": self.country(root)}
            self._union(root, key, Merge("name_one_country", key, evidence))

    # --- answering -------------------------------------------------------------------------

    def key_for(
        self,
        name: str,
        country: str | None = None,
        pic: str | None = None,
        ror: str | None = None,
    ) -> str | None:
        """The organisation key of a mention. One never observed is answered from the
        resolved identities, by the same rules, without changing them; None when there is
        nothing to key (no id, no letters)."""
        own = self.own_key(Mention(name, country, pic, ror))
        if own is None:
            return None
        if own in self._parent:
            return self._find(own)
        if own.startswith(SCHEMES) or is_generic(_base(own)):
            return own
        if own in self._claims:  # the name of an id
            roots = {self._find(k) for k in self._claims[own]}
            return roots.pop() if len(roots) == 1 else own
        if rule_of(own) == "name":
            roots = self._countryless_roots(_base(own))
            if len(roots) == 1 and None not in roots:
                return roots.pop() or own
        return own

    def key_of(self, ref: Reference) -> str | None:
        """The organisation key of a curation file's reference (an id or a name)."""
        own = reference_key(ref)
        if own is None or own.startswith(SCHEMES):
            return self._find(own) if own in self._parent else own
        return self.key_for(ref.text, ref.country)

    def group_of(self, key: str) -> str | None:
        """The key of the organisation's curated group (its company group, say), if any."""
        return self._groups.get(key)

    def family(self, key: str) -> set[str]:
        """The organisation, its group and the group's other members: one party for
        telling a new partner from a consortium member under its group's name."""
        root = self._groups.get(key, key)
        return {root} | {member for member, group in self._groups.items() if group == root}

    def organisation_keys(self) -> list[str]:
        """Every organisation's key (the strongest of its members), sorted."""
        return sorted({self._find(k) for k in self._parent})

    def members(self, key: str) -> list[str]:
        """The keys joined into an organisation."""
        if key not in self._parent:
            return [key]
        return sorted(self._members[self._find(key)])

    def names(self, key: str) -> Counter[str]:
        """The spellings observed for an organisation, with their counts."""
        found: Counter[str] = Counter()
        for member in self.members(key):
            found.update(self._names.get(member, {}))
        return found

    def country(self, key: str) -> str | None:
        """The organisation's most frequent country (ties: alphabetical)."""
        found: Counter[str] = Counter()
        for member in self.members(key):
            found.update(self._countries.get(member, {}))
            if code := _country(member):
                found[code] += 0  # a country in the key counts when no mention gave one
        if not found:
            return None
        return sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]

    def ids(self, key: str, scheme: str) -> list[str]:
        """The ids of one scheme ('pic', 'ror') among an organisation's members."""
        return [m.split(":", 1)[1] for m in self.members(key) if m.startswith(f"{scheme}:")]

    def merges(self, key: str) -> list[Merge]:
        """How the organisation came together: every join with its rule and evidence."""
        members = set(self.members(key))
        found: dict[tuple[str, str], Merge] = {}
        for member in sorted(members):  # an alias spelling met in two sources: one merge
            for alias in self._aliases.get(member, {}).values():
                found.setdefault((alias.rule, alias.member), alias)
        for merge in self._merges:
            if merge.member in members:
                found.setdefault((merge.rule, merge.member), merge)
        return list(found.values())

    def refused(self) -> dict[str, int]:
        """How many joins the rules refused, by reason (ambiguous, generic, curated split)."""
        return dict(sorted(self._refused.items()))
