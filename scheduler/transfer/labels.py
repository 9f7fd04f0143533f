"""Messages for import problems, chosen by code when shown (in the reader's language)."""
from flask_babel import gettext as _, lazy_gettext as _l

ERROR_MESSAGES = {
    # the file as a whole
    "empty": _l("The file is empty."),
    "no_rows": _l("The file has a header row but no rows below it."),
    "bad_encoding": _l("The file's text encoding is not recognised. In Excel choose "
                       "“Save as” → “CSV UTF-8”, or save it as an Excel workbook (.xlsx)."),
    "bad_csv": _l("The CSV file is malformed near this line (%(value)s)."),
    "bad_xlsx": _l("The workbook cannot be opened. Save it again as an Excel workbook (.xlsx) "
                   "without a password."),
    "old_xls": _l("Old Excel files (.xls) are not supported. Save the file as an Excel workbook "
                  "(.xlsx) or as “CSV UTF-8”."),
    "too_many_rows": _l("Too many rows: at most %(value)s per import."),
    "missing_column": _l("This column is missing. The header row must name it (see the template)."),
    "repeated_column": _l("Two columns of the header row name this column."),
    # one cell
    "required": _l("Required."),
    "too_long": _l("Too long: at most %(value)s characters."),
    "bad_email": _l("“%(value)s” is not a valid email address."),
    "email_not_ascii": _l("Use the address without accents (ASCII letters only)."),
    "bad_phone": _l("“%(value)s” is not a phone number (digits, spaces and + ( ) - only, "
                    "6 to 20 characters)."),
    "unknown_site": _l("No site of this ceremony has the code “%(value)s”."),
    "other_site": _l("Only your own site's attendees can be imported here, not “%(value)s”."),
    "unknown_category": _l("Unknown category “%(value)s”."),
    "unknown_language": _l("Unknown language “%(value)s”: use vi or en."),
    "duplicate_in_file": _l("The same email as line %(other_line)s: one person listed twice."),
    "duplicate_name_in_file": _l("The same name and unit as line %(other_line)s: one person "
                                 "listed twice."),
    "existing_email": _l("Someone with the email %(value)s is already an attendee of this ceremony."),
    "existing_name": _l("%(value)s of the same unit is already an attendee of this ceremony."),
    "bad_code": _l("“%(value)s”: a code has letters, digits, dot, dash and underscore only."),
    "duplicate_code_in_file": _l("The code %(value)s is used by line %(other_line)s too."),
    "code_taken": _l("Another site of this ceremony already uses the code %(value)s."),
    "unknown_timezone": _l("Unknown time zone “%(value)s” (e.g. Asia/Ho_Chi_Minh)."),
    "bad_endpoint": _l("“%(value)s” is not a video address: use an http(s), sip, sips, h323 or "
                       "tel address, or a dial string without spaces."),
    "bad_capacity": _l("“%(value)s” is not a capacity: a whole number from 0 to 100,000."),
}

IMPORT_STATUS_LABELS = {
    "checking": _l("Checking"),
    "ready": _l("Ready to import"),
    "invalid": _l("Has errors: nothing written"),
    "queued": _l("Waiting to be written"),
    "running": _l("In progress"),
    "done": _l("Imported"),
    "failed": _l("Failed: nothing written"),
    "expired": _l("Expired: nothing written"),
    "discarded": _l("Discarded: nothing written"),
}
IMPORT_KIND_LABELS = {"attendees": _l("Attendees"), "sites": _l("Sites")}


def error_message(error: dict) -> str:
    return str(ERROR_MESSAGES.get(error["code"], error["code"])) % {
        "value": error.get("value", ""), "other_line": error.get("other_line", "")}


def write_outcome(outcome: str, added: int) -> tuple[str, str]:
    """The flash (message, category) for what the "Import" button did (imports.write_or_queue)."""
    return {
        "done": (_("%(count)d rows imported.", count=added), "success"),
        "queued": (_("The import is being written in the background."), "success"),
        "refused": (_("Nothing was imported: the ceremony changed since the preview. See the errors."),
                    "error"),
        "not_ready": (_("This import is not waiting to be written (it was written or discarded)."),
                      "error"),
    }[outcome]
