from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField

from ..forms import BaseForm


class ImportForm(BaseForm):
    file = FileField(_l("CSV or Excel file"), validators=[
        FileRequired(_l("Choose a file.")),
        # .xls is let through so the import can say how to save it instead.
        FileAllowed(["csv", "txt", "tsv", "xlsx", "xls"], _l("Use a .csv or .xlsx file.")),
    ])
    skip_existing = BooleanField(_l("Skip people already in the ceremony instead of reporting them"))

