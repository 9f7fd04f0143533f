"""The readiness board: totals, a chart by province, and every site, filterable."""
from flask import Blueprint, render_template, request

from ..extensions import db
from ..planning.views.common import PAGE_SIZE, get_ceremony, organizers_only
from . import chart, queries
from .readiness import STATES, state_of

bp = Blueprint("board", __name__, url_prefix="/ceremonies/<int:ceremony_id>")
organizers_only(bp)


@bp.get("/board")
def index(ceremony_id: int):
    ceremony = get_ceremony(ceremony_id)
    filters = queries.Filters(state=request.args.get("state", ""),
                              province=request.args.get("province", ""),
                              q=request.args.get("q", "").strip()[:100],
                              sort=request.args.get("sort", "state"))
    page = db.paginate(queries.site_page(ceremony.id, filters), per_page=PAGE_SIZE, error_out=False)
    provinces = queries.by_province(ceremony.id)
    return render_template(
        "board/index.html", ceremony=ceremony, filters=filters, page=page, states=STATES,
        state_of=state_of, totals=queries.totals(ceremony.id),
        people=queries.people_by_site([site.id for site in page.items]),
        chart=chart.stacked_bars(provinces), provinces=[name for name, _ in provinces],
        sorts=list(queries.SORTS))
