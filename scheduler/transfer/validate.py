"""Row checks for imports: pure functions of the row and of what the ceremony holds.

Each row comes back normalised (the planning operations' own normalisation,
so an imported name is stored exactly as the form would store it) or with its
errors, each naming the file's line and the column. The rules for "the same
person" are those of planning/conflicts.py: the same email, or the same name
(NFC, case-folded) in the same unit.
"""
import re
from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace

from email_validator import EmailNotValidError, validate_email
from wtforms.validators import ValidationError

from ..planning.forms import PHONE, valid_endpoint
from ..planning.names import name_key
from ..planning.operations import attendees as attendee_ops, sites as site_ops
from .columns import ATTENDEE_COLUMNS, SITE_COLUMNS, Column, fold

SITE_CODE = re.compile(r"[A-Za-z0-9_.-]+")
MAX_CAPACITY = 100_000
LANGUAGE_WORDS = {fold(w): code for code, words in {
    "vi": ("vi", "Tiếng Việt", "Vietnamese", "vi-VN"),
    "en": ("en", "English", "Tiếng Anh", "en-US", "en-GB"),
}.items() for w in words}


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # a column key; "" for the whole file
    code: str  # picks the message (labels.ERROR_MESSAGES)
    value: str = ""
    other_line: int = 0  # the earlier line of a duplicate within the file

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "code": self.code,
                "value": self.value[:200], "other_line": self.other_line}


@dataclass
class Checked:
    line: int
    values: dict
    errors: list[RowError] = field(default_factory=list)
    skipped: bool = False  # already in the ceremony, and the organizer chose to skip those


def _text_errors(line: int, raw: dict[str, str], columns: tuple[Column, ...]) -> list[RowError]:
    errors = []
    for column in columns:
        value = raw.get(column.key, "")
        if column.required and not value.strip():
            errors.append(RowError(line, column.key, "required"))
        elif len(value) > column.max_length:
            errors.append(RowError(line, column.key, "too_long", str(column.max_length)))
    return errors


def check_email(line: int, column: str, value: str) -> list[RowError]:
    if not value:
        return []
    if not value.isascii():
        # Mail servers we relay through may not speak SMTPUTF8 (as the forms say).
        return [RowError(line, column, "email_not_ascii", value)]
    if not email_is_valid(value):
        return [RowError(line, column, "bad_email", value)]
    return []


# RFC 5322 dot-atom: a local part of this shape is valid for email_validator too.
DOT_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")


@lru_cache(maxsize=4096)
def _domain_is_valid(domain: str) -> bool:
    return email_is_valid(f"a@{domain}", fast=False)


def email_is_valid(value: str, *, fast: bool = True) -> bool:
    """email_validator's verdict (what the forms use). It costs about 100 µs an
    address, mostly on the domain; 50,000 addresses share a few hundred domains,
    so a plain local part is matched here and each domain is checked once."""
    local, at, domain = value.rpartition("@")
    if fast and at and len(value) <= 254 and len(local) <= 64 and DOT_ATOM.fullmatch(local):
        return _domain_is_valid(domain.lower())
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def normalise_phone(value: str) -> str:
    # Excel stores 0912345678 typed into a number cell as 912345678. Every
    # Vietnamese number has ten digits with the leading 0, so nine bare digits
    # can only be one that lost its 0.
    if len(value) == 9 and value.isdigit() and value[0] != "0":
        return "0" + value
    return value


def check_phone(line: int, column: str, value: str) -> list[RowError]:
    if value and not PHONE.match(value):
        return [RowError(line, column, "bad_phone", value)]
    return []


def _language(line: int, column: str, value: str, errors: list[RowError]) -> str:
    code = LANGUAGE_WORDS.get(fold(value)) if value else "vi"
    if code is None:
        errors.append(RowError(line, column, "unknown_language", value))
    return code or "vi"


def unit_key(unit: str) -> str:
    """Units compare like names (NFC, case-folded, single spaces): a unit typed in
    capitals on a printed list is the same unit."""
    return name_key(unit)


@dataclass
class AttendeeRules:
    """What the rows are checked against: the ceremony's sites and people."""

    site_ids: dict[str, int]  # upper-case site code -> id
    emails: set[str]  # addresses already in the ceremony
    names: set[tuple[str, str]]  # (name key, unit_key(unit)) already in the ceremony
    categories: dict[str, str]  # folded code or label (either language) -> category code
    only_site_code: str | None = None  # a coordinator imports for their own site only
    skip_existing: bool = False


class AttendeeChecker:
    columns = ATTENDEE_COLUMNS

    def __init__(self, rules: AttendeeRules):
        self.rules = rules
        self.seen_emails: dict[str, int] = {}
        self.seen_names: dict[tuple[str, str], int] = {}

    def check(self, line: int, raw: dict[str, str]) -> Checked:
        rules = self.rules
        if rules.only_site_code and not raw.get("site_code"):
            raw = {**raw, "site_code": rules.only_site_code}
        errors = _text_errors(line, raw, self.columns)
        code = raw.get("site_code", "").strip().upper()
        site_id = rules.site_ids.get(code)
        if code and site_id is None:
            errors.append(RowError(line, "site_code", "unknown_site", raw["site_code"]))
        elif code and rules.only_site_code and code != rules.only_site_code.upper():
            errors.append(RowError(line, "site_code", "other_site", raw["site_code"]))
        values = {key: raw.get(key, "") for key in attendee_ops.ATTENDEE_FIELDS}
        values["phone"] = normalise_phone(values["phone"])
        category = rules.categories.get(fold(values["category"])) if values["category"] else "delegate"
        if category is None:
            errors.append(RowError(line, "category", "unknown_category", values["category"]))
        values["category"] = category or "delegate"
        values["language"] = _language(line, "language", values["language"], errors)
        errors += check_email(line, "email", values["email"].strip())
        errors += check_phone(line, "phone", values["phone"])
        if not values["full_name"].strip():
            return Checked(line, {}, errors)  # "required" already says it
        values = attendee_ops.normalise_values(values)
        values["site_id"] = site_id
        values["name_key"] = name_key(values["full_name"])
        existing = self._duplicates(line, values, errors)
        skipped = bool(existing) and rules.skip_existing and not errors
        if existing and not skipped:
            errors += existing
        return Checked(line, values, errors, skipped)

    def _duplicates(self, line: int, values: dict, errors: list[RowError]) -> list[RowError]:
        """Adds duplicates within the file to `errors`; returns those with the ceremony."""
        existing = []
        email = values["email"]
        if email:
            if email in self.seen_emails:
                errors.append(RowError(line, "email", "duplicate_in_file", email,
                                       self.seen_emails[email]))
            elif email in self.rules.emails:
                existing.append(RowError(line, "email", "existing_email", email))
            self.seen_emails.setdefault(email, line)
        key = (values["name_key"], unit_key(values["unit"]))
        if key in self.seen_names:
            errors.append(RowError(line, "full_name", "duplicate_name_in_file", values["full_name"],
                                   self.seen_names[key]))
        elif key in self.rules.names:
            existing.append(RowError(line, "full_name", "existing_name", values["full_name"]))
        self.seen_names.setdefault(key, line)
        return existing


@dataclass
class SiteRules:
    codes: set[str]  # upper-case codes already in the ceremony
    timezones: dict[str, str]  # lower-case IANA name -> its proper spelling


class SiteChecker:
    columns = SITE_COLUMNS

    def __init__(self, rules: SiteRules):
        self.rules = rules
        self.seen_codes: dict[str, int] = {}

    def check(self, line: int, raw: dict[str, str]) -> Checked:
        errors = _text_errors(line, raw, self.columns)
        values = {key: raw.get(key, "") for key in site_ops.SITE_FIELDS if key != "is_host"}
        values.update(is_host=False, status="pending")  # bridge sites; the host is chosen on its page
        code = values["code"].strip().upper()
        if code and not SITE_CODE.fullmatch(code):
            errors.append(RowError(line, "code", "bad_code", values["code"]))
        elif code in self.seen_codes:
            errors.append(RowError(line, "code", "duplicate_code_in_file", code, self.seen_codes[code]))
        elif code in self.rules.codes:
            errors.append(RowError(line, "code", "code_taken", code))
        if code:
            self.seen_codes.setdefault(code, line)
        zone = values["timezone"].strip()
        values["timezone"] = self.rules.timezones.get(zone.lower()) if zone else None
        if zone and values["timezone"] is None:
            errors.append(RowError(line, "timezone", "unknown_timezone", zone))
        values["video_endpoint"] = values["video_endpoint"].strip()
        try:
            valid_endpoint(None, SimpleNamespace(data=values["video_endpoint"]))
        except ValidationError:
            errors.append(RowError(line, "video_endpoint", "bad_endpoint", values["video_endpoint"]))
        values["capacity"] = self._capacity(line, values["capacity"].strip(), errors)
        values["coordinator_email"] = values["coordinator_email"].strip().lower()
        errors += check_email(line, "coordinator_email", values["coordinator_email"])
        values["coordinator_phone"] = normalise_phone(values["coordinator_phone"].strip())
        errors += check_phone(line, "coordinator_phone", values["coordinator_phone"])
        language = _language(line, "coordinator_language", raw.get("coordinator_language", ""), errors)
        if errors or not code:
            return Checked(line, {}, errors)
        values = site_ops.normalise_values(values)
        values["coordinator_phone"] = " ".join(values["coordinator_phone"].split())
        values["coordinator_language"] = language
        return Checked(line, values, errors)

    @staticmethod
    def _capacity(line: int, value: str, errors: list[RowError]) -> int | None:
        if not value:
            return None
        if value.isdigit() and int(value) <= MAX_CAPACITY:
            return int(value)
        errors.append(RowError(line, "capacity", "bad_capacity", value))
        return None
