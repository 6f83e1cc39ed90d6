"""The projects an organisation takes part in, under the one organisation identity.

Links and events ask one question of a name found in a record (a patent applicant, a party
of a signal, a name opening a headline): which monitored projects is this organisation in?
The answer goes through scintel.impact.identity, so ids, countries and curated aliases are
honoured, and a curated group is one party with its members: "Evonik" starting production
is the coordinator EVONIK OPERATIONS GMBH acting, "Novonesis" the participant Novozymes A/S.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from scintel.impact.corpus import ProjectRecord
from scintel.impact.curation import Curation
from scintel.impact.identity import Identities, is_generic
from scintel.impact.names import NameFinder
from scintel.nlp.normalise import country_code, org_key

# Words after a company's name that make a subsidiary's name ("Safran USA", "Evonik Corp").
REGION_WORDS = frozenset(
    [
        "usa",
        "us",
        "america",
        "americas",
        "north",
        "south",
        "europe",
        "european",
        "international",
        "global",
        "holding",
        "holdings",
        "group",
        "corporation",
        "corp",
        "company",
        "co",
        "deutschland",
        "france",
        "italia",
        "espana",
        "nederland",
        "uk",
        "asia",
        "pacific",
        "china",
        "japan",
        "india",
        "canada",
        "brasil",
        "brazil",
    ]
)


@dataclass(frozen=True)
class Participation:
    project: int  # index into the project list
    name: str  # as the project lists it
    role: str
    key: str  # the participant's organisation key
    via_group: str | None  # the group key when the named organisation is its group or a sibling


class ProjectOrganisations:
    """Participants of a list of projects by organisation key."""

    def __init__(
        self, projects: list[ProjectRecord], identities: Identities, curation: Curation
    ) -> None:
        self.identities = identities
        self.curation = curation
        self.members: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        for i, project in enumerate(projects):
            seen: set[str] = set()
            for name, country, role, pic in project.organisation_refs():
                key = self._key(name, country, pic)
                if key is None or key in seen:
                    continue
                seen.add(key)
                self.members[key].append((i, name, role))

    def _key(self, name: str, country: str | None = None, pic: str | None = None) -> str | None:
        if self.curation.is_vetoed_organisation(self.curation.resolve(name)[0]):
            return None
        return self.identities.key_for(name, country, pic)

    def key(self, name: str, country: str | None = None) -> str | None:
        """The organisation key of a name found in a record (None when vetoed or empty)."""
        return self._key(name, country)

    def parent(self, name: str) -> str | None:
        """The key of the company a regional subsidiary is named after, when that company is
        a participant: "Safran USA Inc." is Safran's, "BASF Corporation" BASF's. Only a
        trailing country, region or corporate word is dropped, and what is left must be a
        name (not generic) that some project lists."""
        words = org_key(name).split()
        while words and (words[-1] in REGION_WORDS or country_code(words[-1])):
            words.pop()
        base = " ".join(words)
        if not base or base == org_key(name) or is_generic(base):
            return None
        key = self._key(base)
        return key if key is not None and self.of(key) else None

    def of(self, key: str | None) -> list[Participation]:
        """Every participation of the organisation, its group and the group's members."""
        if key is None:
            return []
        found = []
        for member in sorted(self.identities.family(key) | {key}):
            via = None if member == key else (self.identities.group_of(member) or member)
            for i, name, role in self.members.get(member, ()):
                found.append(Participation(i, name, role, member, via))
        return found

    def by_project(self, key: str | None) -> dict[int, Participation]:
        """One participation per project, the organisation's own before its group's."""
        found: dict[int, Participation] = {}
        for part in sorted(self.of(key), key=lambda p: (p.via_group is not None, p.key)):
            found.setdefault(part.project, part)
        return found

    def named(self, name: str) -> dict[int, Participation]:
        """The projects of the organisation a record names: itself, its group, or the company
        a regional subsidiary is named after (evidence in `via_group`)."""
        found = self.by_project(self.key(name))
        if not found and (parent := self.parent(name)):
            found = {
                i: replace(part, via_group=f"subsidiary by name: {name}")
                for i, part in self.by_project(parent).items()
            }
        return found

    def finder(self) -> NameFinder:
        """Finds participants, their groups and siblings in text by every spelling observed;
        a spelling of two organisations, or too generic to be a name, finds none."""
        owners: dict[str, set[str]] = defaultdict(set)
        for key in self.members:
            for member in self.identities.family(key) | {key}:
                for name in self.identities.names(member):
                    owners[org_key(name)].add(member)
        for alias_key, (canonical_key, _) in self.curation.aliases.items():
            owners[alias_key] |= owners.get(canonical_key, set())
        return NameFinder(
            {
                text: next(iter(keys))
                for text, keys in owners.items()
                if text and len(keys) == 1 and not is_generic(text)
            }
        )
