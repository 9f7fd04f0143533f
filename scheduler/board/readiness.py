"""A site's readiness state, the same in SQL (for filters and counts) and in Python.

ready: confirmed and the whole checklist done; confirmed: confirmed, checklist
not finished; pending: no answer from the coordinator; declined.
"""
from sqlalchemy import and_, case

from ..planning.models import Site

STATES = ("ready", "confirmed", "pending", "declined")


def state_of(site) -> str:
    if site.status in ("pending", "declined"):
        return site.status
    return "ready" if site.readiness_done == 4 else "confirmed"


checklist_done = and_(Site.room_ready, Site.endpoint_tested, Site.av_checked, Site.backup_contact != "")

# The order that puts what needs the organizer first: no answer, then unfinished checklists.
state_rank = case(
    (Site.status == "pending", 0), (Site.status == "declined", 2), (checklist_done, 3), else_=1,
)

state_expression = case(
    (Site.status == "declined", "declined"),
    (Site.status == "pending", "pending"),
    (checklist_done, "ready"),
    else_="confirmed",
)
