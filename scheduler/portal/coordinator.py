"""The coordinator's pages: one site, reached by its signed link at /s/<token>.

Every route loads the site from the token first; an attendee id in the path
must belong to that site, so a link reaches nothing outside its own site.
"""
from flask import Blueprint, abort, g, redirect, request, url_for

from ..clock import current_time
from ..extensions import db
from ..planning.models import Attendee, Ceremony, Site
from ..ratelimit import limit_links
from ..security import is_safe_redirect
from . import links
from .tokens import read_site_token

bp = limit_links(Blueprint("coordinator", __name__, url_prefix="/s"), read_site_token)
links.init_blueprint(bp)
# Long enough for a commune post's whole list, short enough for a phone on 3G.
PAGE_SIZE = 50
# More pages than any site's list has; a larger ?page= would make the offset
# overflow the database's integers (an error, not an empty page).
MAX_PAGE = 10_000


@bp.before_request
def _open_link():
    # Before any route runs: the token names the site, or the request ends here.
    # (A before_request, not a URL value preprocessor: the rate limiter's own
    # before_request must see, and count, every forged link first.)
    g.site, g.ceremony = links.open_site_link(request.view_args["token"])
    g.now = current_time()


def site_and_ceremony() -> tuple[Site, Ceremony]:
    return g.site, g.ceremony


def person_at_site(attendee_id: int) -> Attendee:
    """Someone at this link's site; anyone else is a 404, as if they did not exist."""
    # Ids past a 32-bit integer would make the database raise rather than find nothing.
    person = db.session.get(Attendee, attendee_id) if attendee_id < 2**31 else None
    if person is None or person.site_id != g.site.id:
        abort(404)
    return person


def page_number() -> int:
    """The ?page= of a list, within 1..MAX_PAGE (anything else unreadable is page 1)."""
    return min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)


def back(endpoint: str, **args):
    """Back to the page the form was on (same site link only), else to `endpoint`."""
    target = request.form.get("back", "")
    own = url_for("coordinator.home", token=request.view_args["token"])
    if is_safe_redirect(target) and (target == own or target.startswith(own + "/")):
        return redirect(target)
    return redirect(url_for(endpoint, token=request.view_args["token"], **args))


from . import checkin_views, import_views, roster_views, site_views  # noqa: E402,F401  (their routes)
