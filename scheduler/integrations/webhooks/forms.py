from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ...forms import BaseForm, choices
from . import targets
from .labels import EVENT_TYPE_LABELS
from .models import EVENT_TYPES


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _ceremony_id(value):
    return int(value) if value not in (None, "", "None") else None


class EndpointForm(BaseForm):
    url = StringField(_l("Address (URL)"), validators=[DataRequired(), Length(max=2000)],
                      filters=[lambda v: v.strip() if isinstance(v, str) else v],
                      description=_l("Where we POST each event, e.g. https://gateway.example.vn/hooks/ceremonies"))
    description = StringField(_l("Description"), validators=[Length(max=300)])
    ceremony_id = SelectField(_l("Ceremony"), coerce=_ceremony_id, validate_choice=True)
    events = CheckboxesField(_l("Events"))
    active = BooleanField(_l("Active (record and send events)"), default=True)

    def __init__(self, *args, ceremonies=(), policy: targets.Policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy = policy
        self.ceremony_id.choices = choices(
            [(None, _l("Every ceremony I may see"))] + [(c.id, c.title) for c in ceremonies])
        self.events.choices = choices([(t, EVENT_TYPE_LABELS[t]) for t in EVENT_TYPES])

    def validate_events(self, field):
        # Not DataRequired: its "required" attribute would make a browser demand every box.
        if not field.data:
            raise ValidationError(_l("Choose at least one event."))

    def validate_url(self, field):
        try:
            targets.check_url(field.data or "", self.policy)
        except targets.RefusedTarget as refused:
            raise ValidationError(str(targets.REASONS[refused.code])) from None

    def values(self) -> dict:
        return {"url": self.url.data, "description": self.description.data.strip(),
                "ceremony_id": self.ceremony_id.data, "events": self.events.data,
                "active": self.active.data}
