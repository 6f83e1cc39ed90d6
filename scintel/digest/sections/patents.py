"""Patents by applicant: new patent publications under their first-named applicant."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from sqlalchemy import Connection

from scintel.digest.queries import D, Entry, Group, canonical, group_entries, to_entry, with_source
from scintel.digest.registry import Section
from scintel.digest.weeks import IsoWeek
from scintel.storage import models as m

PT = m.Patent.__table__

_LEGAL_FORMS = re.compile(
    r"\b(A/?S|AB|AG|AS|B\.?V|CO|CORP(ORATION)?|GMBH|INC|KG|LLC|LTD|LIMITED|N\.?V|OY|PLC|S\.?A|"
    r"S\.?P\.?A|S\.?A\.?S|S\.?R\.?L|SE)\b\.?"
)


def applicant_key(name: str) -> str:
    """Group 'NOVOZYMES A/S' with 'Novozymes AS': case, punctuation and legal form ignored."""
    upper = name.upper().replace("&", " AND ")
    return " ".join(re.sub(r"[^\w/]+", " ", _LEGAL_FORMS.sub(" ", upper)).split()) or upper


def patents_by_applicant(
    conn: Connection, week: IsoWeek, per_applicant: int = 2, max_applicants: int = 6
) -> list[Group]:
    """New patent publications grouped under their first-named applicant."""
    rows = conn.execute(
        with_source(PT.c.publication_number, PT.c.applicants, PT.c.cpc)
        .join(PT, PT.c.document_id == D.c.id)
        .where(D.c.kind == "patent", D.c.iso_week == str(week), canonical())
        .order_by(D.c.published.desc(), PT.c.publication_number)
    ).all()
    groups: dict[str, list[tuple[str, Entry]]] = defaultdict(list)
    for row in rows:
        applicants = [a for a in (row.applicants or []) if isinstance(a, str) and a.strip()]
        first = applicants[0].strip() if applicants else "Applicant not stated"
        others = ", ".join(a.strip() for a in applicants[1:3])
        cpc = ", ".join(str(c) for c in (row.cpc or [])[:3])
        entry = to_entry(
            row,
            [
                row.publication_number,
                f"with {others}" if others else None,
                f"CPC {cpc}" if cpc else None,
            ],
        )
        entry.reason = "published this week"
        groups[applicant_key(first)].append((first, entry))
    ordered = sorted(groups.values(), key=lambda g: (-len(g), applicant_key(g[0][0])))
    result = []
    for members in ordered[:max_applicants]:
        name = Counter(n for n, _ in members).most_common(1)[0][0]
        more = len(members) - per_applicant
        result.append(
            Group(
                name,
                [e for _, e in members[:per_applicant]],
                total=len(members),
                note=f"and {more} more" if more > 0 else None,
            )
        )
    rest = ordered[max_applicants:]
    if rest and result:
        count = sum(len(g) for g in rest)
        result[-1].note = (result[-1].note + "; " if result[-1].note else "") + (
            f"{count} more patents from {len(rest)} other applicants"
        )
    return result


SECTIONS = (
    Section(
        anchor="patents",
        title="Patents by applicant",
        order=70,
        partials="patents.j2",
        query=lambda context: patents_by_applicant(context.conn, context.week),
        entries=group_entries,
        counted_as="patents",
    ),
)
