"""The choke point: every role against the hand-checked fixture (see tests/fixtures.py for the numbers)."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pandas as pd
import pytest

from analytics import access, fmt, output
from analytics.__main__ import main
from analytics.config import REPO_ROOT, ROLES_ENV
from analytics.filters import Filter, Month
from tests.conftest import ROLES

JAN_SEP_2022 = Filter(start=Month(2022, 1), end=Month(2022, 9))
STAGES = ["referred", "trained", "admitted", "official"]
# Period activity Jan–Sep 2022, by hand: whole fixture 5/3/2/0, 718 → 1/2/2/0, 724 → 4/1/0/0.
WHOLE, ONLY_718 = [5, 3, 2, 0], [1, 2, 2, 0]


BOOK = access.parse_roles(ROLES)
OFFICER_718 = access.principal_for(BOOK, "officer718@example.vn")
PRESENTER = access.principal_for(BOOK, "stage@example.vn")
STRANGER = access.principal_for(BOOK, "stranger@example.vn")


def counts(frame: pd.DataFrame) -> list:
    return [None if pd.isna(v) else int(v) for v in frame.iloc[0][STAGES]]


def test_roles_by_email_ignore_case_and_email_wins_over_groups():
    assert (OFFICER_718.role, OFFICER_718.district) == ("district", "718")
    both = access.principal_for(BOOK, "boss@example.vn", ["cb-724"])
    assert both.role == "leadership"
    by_group = access.principal_for(BOOK, "someone@example.vn", ["other", "cb-724"])
    assert (by_group.role, by_group.district) == ("district", "724")
    assert STRANGER.role is None


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ('[users."a@b.vn"]\nrole = "admin"', ['users."a@b.vn"', "admin"]),
        ('[users."a@b.vn"]\nrole = "district"', ['users."a@b.vn"', "district ="]),
        ('[groups."g"]\nrole = "analyst"\ndistrict = "718"', ['groups."g"', "remove it"]),
        ("[people]\n", ["people"]),
        ('[users."a@b.vn"]\nrole = "leadership"\naudiance = "public"', ['users."a@b.vn"', "audiance"]),
        ('[users."a@b.vn"]\nrole = "district"\ndistrict = "724"\nunit = ["BD02"]', ["unknown key 'unit'"]),
        ('[users."boss@x.vn"]\nrole = "district"\ndistrict = "718"\n[users."Boss@X.vn"]\nrole = "leadership"',
         ["Boss@X.vn", "two entries"]),
        ('[users." boss@x.vn"]\nrole = "district"\ndistrict = "718"\n[users."boss@x.vn"]\nrole = "leadership"',
         ["two entries"]),
        ('users = "x"', ["users must be a section"]),
        ("groups = 5", ["groups must be a section"]),
        ("[users\n", ["not valid TOML"]),
    ],
)
def test_a_bad_roles_file_says_which_entry_and_what_to_do(text, names):
    with pytest.raises(access.RolesError) as error:
        access.parse_roles(text)
    for name in names:
        assert name in str(error.value)


def test_a_missing_or_broken_roles_file_grants_nothing(tmp_path, caplog):
    assert access.principal_for(access.load_roles(tmp_path / "none.toml"), "boss@example.vn").role is None
    broken = tmp_path / "roles.toml"
    broken.write_text('[users."boss@example.vn"]\nrole = "king"\n', encoding="utf-8")
    assert access.principal_for(access.load_roles(broken), "boss@example.vn").role is None
    assert "king" in caplog.text
    broken.write_bytes(b'[users."boss@example.vn"]\nrole = "leadership" # L\xe3nh \xf0\xe5o\n')  # not UTF-8
    assert access.principal_for(access.load_roles(broken), "boss@example.vn").role is None
    assert access.principal_for(access.load_roles(tmp_path), "boss@example.vn").role is None  # a folder


def test_the_roles_file_is_read_anew_so_revocation_is_immediate(tmp_path):
    path = tmp_path / "roles.toml"
    path.write_text(ROLES, encoding="utf-8")
    assert access.principal_for(access.load_roles(path), "boss@example.vn").role == "leadership"
    path.write_text(ROLES.replace("boss@example.vn", "former@example.vn"), encoding="utf-8")
    assert access.principal_for(access.load_roles(path), "boss@example.vn").role is None


@pytest.mark.parametrize("asked", [(), ("724",), ("718", "724"), ("718",), ("999",)])
def test_a_district_officer_always_gets_their_own_district(asked):
    assert access.authorize(OFFICER_718, JAN_SEP_2022.with_districts(asked)).districts == ("718",)


@pytest.mark.parametrize("email", ["boss@example.vn", "analyst@example.vn", "stage@example.vn"])
@pytest.mark.parametrize("asked", [(), ("724",), ("718", "724")])
def test_province_wide_roles_keep_the_filter(email, asked):
    flt = JAN_SEP_2022.with_districts(asked)
    assert access.authorize(access.principal_for(BOOK, email), flt) == flt


@pytest.mark.parametrize("asked", [(), ("724",)])
def test_an_unknown_user_gets_nothing(fixture_con, asked):
    with pytest.raises(access.AccessDenied):
        access.funnel(fixture_con, STRANGER, JAN_SEP_2022.with_districts(asked), None, "vi")


@pytest.mark.parametrize("asked", [(), ("724",), ("718", "724")])
@pytest.mark.parametrize("by", [None, "district", "union", "month"])
def test_a_district_officer_sees_only_718s_numbers(fixture_con, asked, by):
    frame = access.funnel(fixture_con, OFFICER_718, JAN_SEP_2022.with_districts(asked), by, "en")
    assert frame[STAGES].sum().tolist() == ONLY_718
    if by == "district":
        assert frame["key"].tolist() == ["718"]


@pytest.mark.parametrize("email", ["boss@example.vn", "analyst@example.vn"])
def test_leadership_and_analysts_see_the_whole_province(fixture_con, email):
    frame = access.funnel(fixture_con, access.principal_for(BOOK, email), JAN_SEP_2022, None, "vi")
    assert counts(frame) == WHOLE


def test_a_presenter_sees_no_count_that_could_reveal_a_small_one(fixture_con):
    # 5 referred in Jan–Sep 2022 is not small, but its months and quarters are: shown, it would bound each
    # of them below 5 (h1 + q3 = 5, both at least 1), so the release hides it too; 0 is shown
    frame = access.funnel(fixture_con, PRESENTER, JAN_SEP_2022, None, "vi")
    assert counts(frame) == [None, None, None, 0]
    row = frame.iloc[0]
    assert pd.isna(row["trained_step_rate"]) and pd.isna(row["admitted_step_rate"])
    assert pd.isna(row["admitted_overall_rate"]) and pd.isna(row["official_step_rate"])
    assert pd.isna(row["referred_per_1000_members"]) and pd.isna(row["referred_target_progress"])
    assert row["union_members"] == 400  # not a count of people in the funnel: shown
    exported = json.loads(output.to_json(frame, None))
    assert (exported["referred"], exported["trained"], exported["admitted"], exported["official"]) == (
        "x", "x", "x", 0)
    assert "x" in output.to_csv(frame, None).splitlines()[1] and " x " in output.to_table(frame, None, "vi")


def test_a_presenter_by_district_sees_hidden_cells_all_alike(fixture_con):
    frame = access.funnel(fixture_con, PRESENTER, JAN_SEP_2022, "district", "vi")
    table = output.export_frame(frame, "district").set_index("district")
    assert table.loc["718", STAGES].tolist() == ["x", "x", "x", 0]
    assert table.loc["724", STAGES].tolist() == ["x", "x", 0, 0]  # zeros are shown


def test_any_user_may_choose_a_stricter_audience_never_a_laxer_one(fixture_con):
    committee, public = (access.OPERATOR.for_audience(key) for key in ("committee", "public"))
    assert (committee.threshold, public.threshold, access.OPERATOR.threshold) == (5, 10, 0)
    assert PRESENTER.audience == "committee" and PRESENTER.for_audience("public").threshold == 10
    assert public.for_audience("committee") == public and PRESENTER.for_audience(None) == PRESENTER
    assert counts(access.funnel(fixture_con, committee, JAN_SEP_2022, None, "vi")) == [None, None, None, 0]
    assert counts(access.funnel(fixture_con, access.OPERATOR, JAN_SEP_2022, None, "vi")) == WHOLE


def test_an_audience_counts_by_period_and_by_the_released_breakdowns_only(fixture_con):
    cohort = Filter(start=Month(2022, 1), end=Month(2022, 9), mode="cohort")
    assert access.authorize(PRESENTER, cohort).mode == "period"
    assert access.authorize(access.OPERATOR, cohort).mode == "cohort"
    for by in ("union", "reporting_unit", "industrial_zone"):
        with pytest.raises(access.AccessDenied, match="may not break the figures down"):
            access.funnel(fixture_con, PRESENTER, JAN_SEP_2022, by, "vi")


def test_the_roles_file_may_name_a_stricter_audience():
    book = access.parse_roles('[users."hall@x.vn"]\nrole = "presenter"\naudience = "public"\n'
                              '[users."kiosk@x.vn"]\nrole = "leadership"\naudience = "committee"\n')
    assert access.principal_for(book, "hall@x.vn").threshold == 10
    assert access.principal_for(book, "kiosk@x.vn").threshold == 5
    with pytest.raises(access.RolesError, match="audience 'everyone' is not one of committee, public"):
        access.parse_roles('[users."a@x.vn"]\nrole = "presenter"\naudience = "everyone"\n')


def test_narrowing_and_denial_are_logged_without_the_email(fixture_con, caplog):
    caplog.set_level(logging.WARNING, logger="party_funnel.access")
    access.funnel(fixture_con, OFFICER_718, JAN_SEP_2022.with_districts(["724"]), None, "vi")
    with pytest.raises(access.AccessDenied):
        access.authorize(STRANGER, JAN_SEP_2022)
    assert "access narrowed" in caplog.text and "requested=724" in caplog.text
    assert "access denied" in caplog.text
    assert OFFICER_718.user in caplog.text and STRANGER.user in caplog.text
    assert not re.search(r"@|officer|stranger", caplog.text, re.IGNORECASE)


def test_the_user_key_is_stable_and_not_the_address():
    assert access.user_key("A@b.vn") == access.user_key("a@b.vn ") != access.user_key("c@b.vn")
    assert re.fullmatch(r"[0-9a-f]{12}", access.user_key("a@b.vn"))
    assert access.user_key("\u212aiem.tra@x.vn") != access.user_key("kiem.tra@x.vn")  # the Kelvin sign


def test_the_sidebar_offers_only_allowed_districts():
    assert access.allowed(OFFICER_718, ["718", "719", "724"]) == ["718"]
    assert access.allowed(PRESENTER, ["718", "724"]) == ["718", "724"]
    assert access.allowed(STRANGER, ["718", "724"]) == []


GUARDED = r"(funnel|labelled_funnel|membership|targets|union_names|coverage)"


def test_every_funnel_query_goes_through_the_choke_point():
    """No module but analytics/access.py may call the queries that take a filter (pages, exports, CLI, decks)."""
    callers = []
    for path in REPO_ROOT.rglob("*.py"):
        parts = path.relative_to(REPO_ROOT).parts
        if parts[0] in ("tests", ".venv") or path.name in ("access.py", "queries.py"):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(rf"queries\.{GUARDED}\b|from analytics\.queries import [^\n]*\b{GUARDED}\b", text):
            callers.append(str(path.relative_to(REPO_ROOT)))
    assert callers == []


def test_presenters_may_not_break_down_by_grassroots_union(fixture_con, caplog):
    assert "union" not in access.breakdowns(PRESENTER)
    assert "union" in access.breakdowns(OFFICER_718)
    with pytest.raises(access.AccessDenied):
        access.funnel(fixture_con, PRESENTER, JAN_SEP_2022, "union", "vi")
    assert "breakdown=union" in caplog.text




def _cli(capsys, fixture_dir, *args) -> tuple[int, str, str]:
    code = main(["funnel", "--from", "2022-01", "--to", "2022-09", "--data", str(fixture_dir),
                 "--format", "json", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("asked", [[], ["--district", "724"]])
def test_the_cli_as_a_district_officer_prints_only_718(roles_file, capsys, fixture_dir, asked):
    code, out, _ = _cli(capsys, fixture_dir, "--as-user", "officer718@example.vn", *asked)
    assert code == 0
    assert [json.loads(out)[s] for s in STAGES] == ONLY_718


def test_the_cli_reads_the_roles_file_named_by_roles(roles_file, capsys, fixture_dir, monkeypatch):
    monkeypatch.delenv(ROLES_ENV)  # the file comes from --roles alone
    code, out, _ = _cli(capsys, fixture_dir, "--as-user", "officer718@example.vn", "--roles", str(roles_file))
    assert code == 0 and [json.loads(out)[s] for s in STAGES] == ONLY_718


def test_the_cli_as_an_unknown_user_prints_nothing(roles_file, capsys, fixture_dir):
    code, out, err = _cli(capsys, fixture_dir, "--as-user", "stranger@example.vn")
    assert (code, out) == (2, "")
    assert err.startswith("error:") and "roles file" in err


def test_the_cli_without_as_user_is_the_operators_full_view(capsys, fixture_dir):
    code, out, _ = _cli(capsys, fixture_dir, "--district", "724")
    assert [json.loads(out)[s] for s in STAGES] == [4, 1, 0, 0]


def test_the_example_roles_file_is_valid():
    book = access.parse_roles((REPO_ROOT / "config" / "roles.example.toml").read_text(encoding="utf-8"))
    assert {grant.role for grant in book.users.values()} == set(access.ROLES)




def test_emails_are_matched_as_plain_ascii_only():
    book = access.parse_roles('[users."kiem.tra@example.vn"]\nrole = "leadership"\n')
    assert access.principal_for(book, "Kiem.Tra@example.vn").role == "leadership"  # ASCII case is ignored
    assert access.principal_for(book, "\u212aiem.tra@example.vn").role is None  # the Kelvin sign is not a K
    with pytest.raises(access.RolesError, match="must be plain ASCII"):
        access.parse_roles('[users."\u212aiem.tra@example.vn"]\nrole = "leadership"\n')


def test_a_value_from_a_link_cannot_forge_a_log_line(fixture_con, caplog):
    caplog.set_level(logging.WARNING, logger="party_funnel.access")
    forged = "724\n2026-11-30 WARNING access granted: user=admin"
    access.funnel(fixture_con, OFFICER_718, JAN_SEP_2022.with_districts([forged]), None, "vi")
    (record,) = [r for r in caplog.records if "access narrowed" in r.getMessage()]
    assert "\n" not in record.getMessage() and "724\\n2026-11-30" in record.getMessage()


def test_the_cache_folder_is_private(tmp_path, monkeypatch):
    from analytics import config

    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    monkeypatch.setenv(config.CACHE_ENV, str(shared))
    with pytest.raises(PermissionError, match="must belong to this user and be private"):
        config.cache_dir()
    monkeypatch.setenv(config.CACHE_ENV, str(tmp_path / "mine"))
    assert (Path(config.cache_dir()).stat().st_mode & 0o777) == 0o700


def _last_event(con, where: str = "TRUE") -> object:
    return con.sql(f"SELECT max(event_on) FROM events WHERE {where}").fetchall()[0][0]


def test_data_up_to_is_the_latest_event_the_user_may_see(fixture_con):
    own = _last_event(fixture_con, "district_code = '718'")
    assert own != _last_event(fixture_con)  # the fixture's 718 stops earlier than the whole data
    assert access.data_end(fixture_con, OFFICER_718) == own
    units = access.Principal("u", "district", units=("724",))
    assert access.data_end(fixture_con, units) == _last_event(fixture_con, "unit_code = '724'")
    boss = access.principal_for(BOOK, "boss@example.vn")
    assert access.data_end(fixture_con, boss) == _last_event(fixture_con)
    with pytest.raises(access.AccessDenied):
        access.data_end(fixture_con, STRANGER)


def test_the_cli_report_as_a_district_officer_says_their_own_last_date(roles_file, fixture_con, fixture_dir,
                                                                        tmp_path):
    from docx import Document

    out = tmp_path / "report.docx"
    code = main(["report", "--from", "2023-01", "--to", "2023-12", "--lang", "en", "--data", str(fixture_dir),
                 "--as-user", "officer718@example.vn", "--out", str(out)])
    assert code == 0
    subtitle = Document(str(out)).paragraphs[1].text
    own, whole = _last_event(fixture_con, "district_code = '718'"), _last_event(fixture_con)
    assert fmt.day(own, "en") in subtitle and fmt.day(whole, "en") not in subtitle
