"""Project outputs: publications and patents linked to monitored projects through the
grant ids they acknowledge, or through the organisations they share with a project."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from scintel.nlp.signals import FoundSignal, ProjectOutputRule

# A patent or paper may appear some years after the project that produced it ended.
GRACE = timedelta(days=3 * 365)
MAX_PROJECTS = 3


@dataclass(frozen=True)
class ProjectRef:
    document_id: int
    project_id: str
    acronym: str | None
    start: date | None
    end: date | None

    def active_around(self, day: date | None) -> bool:
        if day is None:
            return True
        if self.start and day < self.start:
            return False
        return not (self.end and day > self.end + GRACE)


@dataclass
class ProjectIndex:
    """Monitored projects by grant id, by participant key and by acronym."""

    by_grant: dict[str, ProjectRef] = field(default_factory=dict)
    by_participant: dict[str, set[ProjectRef]] = field(default_factory=dict)
    by_acronym: dict[str, ProjectRef] = field(default_factory=dict)

    def add(self, ref: ProjectRef, participant_keys: list[str]) -> None:
        self.by_grant[ref.project_id] = ref
        if ref.acronym and len(ref.acronym) >= 4:
            self.by_acronym[ref.acronym] = ref
        for key in participant_keys:
            self.by_participant.setdefault(key, set()).add(ref)

    def outputs(
        self,
        rule: ProjectOutputRule,
        kind: str,
        published: date | None,
        grant_ids: list[str],
        org_keys: set[str],
        applicant_keys: set[str],
        text: str,
    ) -> list[FoundSignal]:
        """project_output signals for the projects this document is an output of.

        Only signals: the output links themselves (document_links) belong to the impact
        step, which applies the analysts' curation.
        """
        found: dict[str, FoundSignal] = {}
        for grant in grant_ids:
            ref = self.by_grant.get(grant.strip())
            if ref:
                found[ref.project_id] = self._signal(
                    ref, rule.score, "grant_id", {"grant_id": grant}
                )
        if kind not in ("publication", "patent"):
            return list(found.values())[:MAX_PROJECTS]
        shared: dict[ProjectRef, set[str]] = {}
        for key in applicant_keys | org_keys:
            for ref in self.by_participant.get(key, ()):
                shared.setdefault(ref, set()).add(key)
        for ref, keys in sorted(shared.items(), key=lambda kv: -len(kv[1])):
            if ref.project_id in found or not ref.active_around(published):
                continue
            by_applicant = bool(keys & applicant_keys)
            named = bool(ref.acronym and re.search(rf"\b{re.escape(ref.acronym)}\b", text))
            if by_applicant or len(keys) >= 2 or (named and keys):
                method = "applicant_match" if by_applicant else "participant_match"
                evidence = {"organisations": sorted(keys)[:5], "acronym_in_text": named}
                found[ref.project_id] = self._signal(ref, rule.participant_score, method, evidence)
        return list(found.values())[:MAX_PROJECTS]

    @staticmethod
    def _signal(ref: ProjectRef, score: float, method: str, evidence: dict) -> FoundSignal:
        return FoundSignal(
            "project_output",
            score,
            (ref.project_id,),
            {"project_id": ref.project_id, "acronym": ref.acronym, "method": method} | evidence,
        )
