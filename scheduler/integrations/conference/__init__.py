"""Video-conference meetings for ceremonies: Jitsi rooms or a generic REST provider.

`receivers` records what each ceremony wants (a meeting, its update, its
deletion) in `conference_meetings`; `sync` does the HTTP in the background pass;
`details` hands the known join URL to mail and pages.
"""


def init_app(app) -> None:
    from . import details, receivers, views

    receivers.connect()
    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(conference_status=details.status_for,
                                 conference_details=details.details_for)
