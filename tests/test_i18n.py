"""The whole UI in Vietnamese (default) and English, with local date formats."""
import io
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from .conftest import post_form

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "scheduler" / "translations" / "vi" / "LC_MESSAGES"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2)}


def extracted_messages() -> set[str]:
    """Every translatable string in the code and templates, found the way pybabel finds them."""
    method_map = [("scheduler/**.py", "python"), ("templates/**.html", "jinja2"),
                  ("templates/**.txt", "jinja2")]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map=method_map, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_ui_string_has_a_vietnamese_translation():
    with open(CATALOG / "messages.po", "rb") as handle:
        catalog = read_po(handle)
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    missing = sorted(s for s in extracted_messages()
                     if s not in translated or not translated[s].string or translated[s].fuzzy)
    assert missing == [], f"untranslated (run pybabel extract/update): {missing[:10]}"


def hashable(value):
    return value if isinstance(value, str) else tuple(value)


def test_compiled_catalogue_matches_the_po_file():
    def entries(catalog):
        return {hashable(m.id): hashable(m.string) for m in catalog if m.id}

    with open(CATALOG / "messages.po", "rb") as handle:
        source = entries(read_po(handle))
    compiled = entries(read_mo(io.BytesIO((CATALOG / "messages.mo").read_bytes())))
    assert compiled == source, "run: pybabel compile -d scheduler/translations"


def test_vietnamese_is_the_default_and_english_a_click_away(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="vi">' in page and "Tạo lễ mới" in page
    switched = client.get("/language/en?next=/ceremonies/new")
    assert switched.headers["Location"] == "/ceremonies/new"
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page and "New ceremony" in page
    client.get("/language/vi")
    assert "Tạo lễ mới" in client.get("/").get_data(as_text=True)


def test_language_switch_refuses_foreign_redirects_and_unknown_languages(client):
    assert client.get("/language/en?next=https://evil.example/").headers["Location"] == "/"
    client.get("/language/xx")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_field_errors_speak_the_page_language(client):
    form = {"title": "", "kind": "other", "timezone": "Asia/Ho_Chi_Minh",
            "starts_at": "not a time", "ends_at": "2027-06-15T16:00"}
    vietnamese = post_form(client, "/ceremonies/new", form).get_data(as_text=True)
    assert "Không được để trống trường này." in vietnamese
    assert "Giá trị ngày giờ không hợp lệ." in vietnamese
    client.get("/language/en")
    english = post_form(client, "/ceremonies/new", form).get_data(as_text=True)
    assert "This field is required." in english
    assert "Not a valid datetime value." in english


def test_dates_use_the_local_format_of_each_language(client, factory):
    ceremony = factory.ceremony(title="Lễ kỷ niệm", starts_at=datetime(2027, 6, 15, 7, 0, tzinfo=UTC))
    vietnamese = client.get(f"/ceremonies/{ceremony.id}").get_data(as_text=True)
    assert "Thứ Ba, 15 tháng 6, 2027" in vietnamese and "14:00" in vietnamese
    client.get("/language/en")
    english = client.get(f"/ceremonies/{ceremony.id}").get_data(as_text=True)
    assert "Tuesday, June 15, 2027" in english and "2:00" in english and "PM" in english


def test_error_pages_are_translated(client):
    missing = client.get("/ceremonies/424242")
    assert missing.status_code == 404 and "Không tìm thấy" in missing.get_data(as_text=True)
    client.get("/language/en")
    assert "Not found" in client.get("/ceremonies/424242").get_data(as_text=True)
