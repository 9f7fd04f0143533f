from datetime import time

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, TimeField
from wtforms.validators import InputRequired, NumberRange, Optional

from ..forms import BaseForm, choices
from .labels import ANCHOR_LABELS, AUDIENCE_LABELS, UNIT_LABELS
from .schedule import describe_offset

UNIT_MINUTES = {"minutes": 1, "hours": 60, "days": 24 * 60}


class RuleForm(BaseForm):
    audience = SelectField(_l("Who"), choices=choices(AUDIENCE_LABELS.items()))
    amount = IntegerField(_l("How long before"), validators=[InputRequired(), NumberRange(min=1, max=999)])
    unit = SelectField(_l("Unit"), choices=choices(UNIT_LABELS.items()), default="hours")
    anchor = SelectField(_l("Before"), choices=choices(ANCHOR_LABELS.items()))
    daily_time = TimeField(_l("Digest time of day"), validators=[Optional()],
                           description=_l("Digests only: sent every day at this time (the ceremony's "
                                          "time zone), from the time above before the start."))
    send_late = BooleanField(_l("Send late if the scheduler was down (until the ceremony starts)"),
                             default=True)
    enabled = BooleanField(_l("On"), default=True)

    def fill_from(self, rule) -> None:
        self.audience.data, self.anchor.data = rule.audience, rule.anchor
        self.amount.data, self.unit.data = describe_offset(rule.offset_minutes)
        if rule.daily_minute is not None:
            self.daily_time.data = time(*divmod(rule.daily_minute, 60))
        self.send_late.data, self.enabled.data = rule.send_late, rule.enabled

    def values(self) -> dict:
        daily = self.daily_time.data
        return {"audience": self.audience.data, "anchor": self.anchor.data,
                "offset_minutes": self.amount.data * UNIT_MINUTES[self.unit.data],
                "daily_minute": daily.hour * 60 + daily.minute if daily else None,
                "send_late": self.send_late.data, "enabled": self.enabled.data}
