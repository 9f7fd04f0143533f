"""Language choice and locale-aware formatting of times in a given time zone."""
from datetime import datetime
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import Flask, g, has_request_context, request, session
from flask_babel import get_locale, refresh

from .config import LANGUAGES
from .extensions import babel


def select_locale() -> str:
    if not has_request_context():
        return "en"  # command-line tools speak to operators in English
    if g.get("api_lang"):
        return g.api_lang  # the JSON API reads no cookie: Accept-Language, else English
    # The reader's own choice first; then a link page's default (a coordinator's
    # or attendee's language as the organizer recorded it); then Vietnamese.
    for lang in (session.get("lang"), g.get("preferred_lang")):
        if lang in LANGUAGES:
            return lang
    return "vi"


def use_browser_language() -> None:
    """For pages that know nothing of their reader (a throttled or unknown link):
    the browser's Accept-Language stands in for a recorded language, unless the
    reader chose one (the session) or the page knows it already."""
    if g.get("preferred_lang") is None:
        g.preferred_lang = request.accept_languages.best_match(LANGUAGES)
        refresh()  # the locale may have been looked up already in this request


def format_local(value: datetime | None, tz: str, fmt: str = "medium") -> str:
    """`value` (aware) shown in time zone `tz`, in the page's language.

    The date part follows `fmt`; the clock is always hours and minutes (seconds
    mean nothing for a ceremony), joined the way the locale joins them.
    """
    if value is None:
        return ""
    locale = get_locale()
    local = value.astimezone(ZoneInfo(tz))
    pattern = babel_dates.get_datetime_format(fmt, locale=locale)
    return (pattern.replace("'", "")
            .format(babel_dates.format_time(local, "short", locale=locale),
                    babel_dates.format_date(local.date(), fmt, locale=locale)))


def format_local_time(value: datetime | None, tz: str) -> str:
    if value is None:
        return ""
    return babel_dates.format_time(value, "short", tzinfo=ZoneInfo(tz), locale=get_locale())


def format_local_date(value: datetime | None, tz: str, fmt: str = "full") -> str:
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(tz))
    return babel_dates.format_date(local.date(), fmt, locale=get_locale())


def tz_label(tz: str, at: datetime) -> str:
    """A short offset label such as 'GMT+07:00', so readers see which clock is meant."""
    return babel_dates.get_timezone_gmt(at.astimezone(ZoneInfo(tz)), "long", locale=get_locale())


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["localtime"] = format_local
    app.jinja_env.filters["localclock"] = format_local_time
    app.jinja_env.filters["localdate"] = format_local_date
    app.jinja_env.globals["tz_label"] = tz_label
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.jinja_env.add_extension("jinja2.ext.i18n")

    @app.context_processor
    def _request_path():
        return {"current_path": request.full_path.rstrip("?") if request else "/"}
