"""Shared helper: a Horizon Europe project row from the CORDIS organization and topics rows."""


def he_project(pid, org_rows, topics, reason):
    o = sorted([r for r in org_rows if r["projectID"] == pid], key=lambda r: int(r.get("order") or 999))
    if not o:
        return None
    return {
        "project_id": pid, "framework": "HORIZON", "acronym": o[0]["projectAcronym"], "title": None, "title_source": None,
        "objective": None, "programme": {"topics": [{"topic": t["topic"], "title": t["title"], "provenance": t["_provenance"]} for t in topics if t["projectID"] == pid]},
        "call_topic": next((t["topic"] for t in topics if t["projectID"] == pid), None), "start_date": None, "end_date": None,
        "participants": [{"name": r["name"], "short_name": r["shortName"] or None, "country": r["country"], "role": r["role"], "pic": r["organisationID"],
                          "activity_type": r["activityType"], "sme": r["SME"], "city": r["city"], "order": r["order"],
                          "end_of_participation": r["endOfParticipation"], "provenance": r["_provenance"]} for r in o],
        "gaps": ["title, objective, start/end dates: not in the committed Horizon Europe tables"], "included_for": reason,
        "provenance": {"organization": "CORDIS Horizon Europe organization.xlsx (split copy)", "topics": "CORDIS Horizon Europe topics.xlsx"},
        "licence": {"id": "CC-BY-4.0", "evidence": "CORDIS open data, reuse under Commission Decision 2011/833/EU"},
    }


