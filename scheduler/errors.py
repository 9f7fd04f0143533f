"""Error pages in the reader's language; a refused form says why and how to recover."""
from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .i18n import use_browser_language


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        return render_template(
            "error.html", title=_("The form could not be accepted"),
            message=_("It was open too long or came from another site. Go back, reload the page "
                      "and send it again; nothing was saved."),
        ), 400

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        from .api import errors as api_errors

        if api_errors.is_api_request():
            return api_errors.http_error(error)  # JSON, one shape (scheduler/api/errors.py)
        if error.code == 429:
            # Raised before any page could learn its reader's language.
            use_browser_language()
        titles = {
            403: _("Not allowed"),
            404: _("Not found"),
            405: _("Not allowed"),
            429: _("Too many attempts"),
        }
        messages = {
            403: _("Your account may not open this page."),
            404: _("This page does not exist or was removed."),
            429: _("Too many requests came from your address in a short time. Wait a minute, "
                   "then try again."),
        }
        title = titles.get(error.code, _("Request refused"))
        return render_template("error.html", title=title,
                               message=messages.get(error.code, error.description)), error.code
