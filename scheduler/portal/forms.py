from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..forms import BaseForm


class ReadinessForm(BaseForm):
    room_ready = BooleanField(_l("The room is ready"))
    endpoint_tested = BooleanField(_l("Video endpoint tested at the technical rehearsal"))
    av_checked = BooleanField(_l("Sound and image checked"))
    backup_contact = StringField(_l("Backup contact (name and phone)"), validators=[Length(max=300)],
                                 description=_l("Who answers if you cannot be reached."))
    readiness_remark = TextAreaField(_l("Remark for the organizer"), validators=[Length(max=2000)])

    def values(self) -> dict:
        return {"room_ready": self.room_ready.data, "endpoint_tested": self.endpoint_tested.data,
                "av_checked": self.av_checked.data,
                "backup_contact": " ".join((self.backup_contact.data or "").split()),
                "readiness_remark": (self.readiness_remark.data or "").strip()}


class CodeForm(BaseForm):
    code = StringField(_l("Check-in code"), validators=[DataRequired(), Length(max=40)],
                       description=_l("Type the 8 characters under the QR code, or scan it."))
