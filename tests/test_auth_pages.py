"""The pages under each role, with sign-in simulated through AppTest's secrets and user (no provider needed)."""

from __future__ import annotations

import html
import shutil
import time

import pytest
import streamlit as st

from analytics import access, fmt, sessions
from analytics.config import CURATED_ENV, SIGN_IN_HOURS_ENV, STORE_ENV
from analytics.filters import Filter, Month
from analytics.i18n import t
from tests.apps import JAN_SEP, figures, funnel_table, metrics, open_app, signed_in_claims
from tests.conftest import ROLES
from tests.ingest.conftest import make_store
from ui import permissions

PAGES = ["overview", "explore", "present"]
STAGES = ["referred", "trained", "admitted", "official"]


def expected(sample_con, flt: Filter, principal=access.OPERATOR) -> list[str]:
    row = access.funnel(sample_con, principal, flt, None, "vi").iloc[0]
    return [fmt.count(row[s], "vi") for s in STAGES]


def test_nobody_signed_in_sees_only_the_sign_in_button(roles_file):
    at = open_app(user=None, **JAN_SEP)
    assert not at.exception
    assert [b.label for b in at.button] == [t("sign_in", "vi")]
    assert not at.metric and not at.multiselect


@pytest.mark.parametrize("params", [JAN_SEP, {**JAN_SEP, "district": "724"}, {}])
def test_an_unknown_user_sees_nothing_but_a_message(roles_file, params):
    at = open_app(user="stranger@example.vn", **params)
    assert not at.exception
    assert [e.value for e in at.error] == [t("no_access", "vi")]
    assert not at.metric and not at.multiselect and not at.selectbox and not at.dataframe


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("district", ["724", None, "718,724"])
def test_a_district_officer_sees_only_718s_numbers(roles_file, sample_con, page, district):
    params = {**JAN_SEP, **({"district": district} if district else {})}
    at = open_app(page, "officer718@example.vn", **params)
    assert not at.exception
    assert at.multiselect(key="districts").options == ["Thủ Dầu Một"]
    assert at.query_params["district"] in ("718", ["718"])
    if page == "overview":
        own = expected(sample_con, Filter(Month(2022, 1), Month(2022, 9), districts=("718",)))
        assert metrics(at)[:4] == own
        assert own != expected(sample_con, Filter(Month(2022, 1), Month(2022, 9)))
        if district:  # said on the run that read the link
            assert t("own_district_only", "vi") in [i.value for i in at.info]
    elif page == "explore":
        table = funnel_table(at, "vi").value
        assert set(table.iloc[:, 0]) == {"Thủ Dầu Một"}
    else:  # the headline slide: 718's referrals, said to be Thủ Dầu Một's
        own = access.funnel(sample_con, access.OPERATOR, Filter(Month(2022, 1), Month(2022, 9), ("718",)), None, "vi")
        spec = figures(at)[0]
        assert spec["layout"]["annotations"][2]["text"] == fmt.count(own.iloc[0]["referred"], "vi")
        footer = next(h.proto.body for h in at.get("html") if "slide-footer" in h.proto.body)
        assert "Thủ Dầu Một" in footer


def test_a_district_officer_forcing_other_districts_into_the_widgets_still_gets_718(roles_file, sample_con):
    at = open_app(user="officer718@example.vn", session={"districts": ["724", "720"]}, **JAN_SEP)
    assert not at.exception
    assert metrics(at)[:4] == expected(sample_con, Filter(Month(2022, 1), Month(2022, 9), districts=("718",)))


@pytest.mark.parametrize("email, groups", [("boss@example.vn", None), ("someone@example.vn", ["ldld-lanh-dao"])])
def test_leadership_sees_the_province(roles_file, email, groups):
    at = open_app(user=email, groups=groups, **JAN_SEP)
    assert not at.exception
    assert metrics(at)[:3] == ["2.339", "1.220", "251"]
    assert len(at.multiselect(key="districts").options) == 9
    assert not any(t("demo_banner", "vi") in w.value for w in at.warning)


def test_revoking_a_user_takes_effect_at_the_next_interaction(roles_file):
    at = open_app(user="boss@example.vn", **JAN_SEP)
    assert metrics(at)[:1] == ["2.339"]
    roles_file.write_text(ROLES.replace("boss@example.vn", "someone.else@example.vn"), encoding="utf-8")
    at.selectbox(key="preset").select("year").run()
    assert not at.exception
    assert not at.metric
    assert [e.value for e in at.error] == [t("no_access", "vi")]


def _small_slice(sample_con) -> tuple[dict, list[int]]:
    """A month and district of the sample whose funnel has a count of 1–4 (found, not hard-coded)."""
    for month in range(1, 13):
        for district in ("726", "725", "723", "720", "719", "721", "722", "724", "718"):
            flt = Filter(Month(2022, month), Month(2022, month), districts=(district,))
            row = access.funnel(sample_con, access.OPERATOR, flt, None, "vi").iloc[0]
            numbers = [int(row[s]) for s in STAGES]
            if any(1 <= n <= 4 for n in numbers[:3]):
                return {"from": str(flt.start), "to": str(flt.end), "district": district}, numbers
    raise AssertionError("the sample has no small slice")


def test_a_presenter_sees_small_counts_as_x(roles_file, sample_con):
    params, numbers = _small_slice(sample_con)
    at = open_app(user="stage@example.vn", **params)
    assert not at.exception
    shown = metrics(at)[:4]
    assert all(s == "x" for s, n in zip(shown, numbers, strict=True) if 1 <= n <= 4)  # each small count ...
    assert all(s in ("x", fmt.number(n, "vi")) for s, n in zip(shown, numbers, strict=True))  # ... others true or x
    assert "x" in shown and any(t("hidden_legend", "vi", threshold=5) in c.value for c in at.sidebar.caption)
    analyst = open_app(user="analyst@example.vn", **params)
    assert metrics(analyst)[:4] == [fmt.number(n, "vi") for n in numbers]
    at.switch_page("views/present.py").run()  # the headline slide writes "x" for a hidden count
    numbers_drawn = figures(at)[0]["layout"]["annotations"][2::3]  # each stage: its name, notes, count
    assert [html.unescape(a["text"]) for a in numbers_drawn] == shown


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_demo_mode_is_labelled_on_every_page_in_both_languages(page, lang):
    at = open_app(page, lang=lang, **JAN_SEP)
    assert not at.exception
    banners = [w.value for w in at.warning]
    assert any(t("demo_banner", "vi") in b and t("demo_banner", "en") in b for b in banners)


@pytest.fixture
def fresh_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def test_demo_mode_refuses_data_that_is_not_the_sample(fresh_caches, fixture_dir, monkeypatch):
    monkeypatch.setenv(CURATED_ENV, str(fixture_dir))
    at = open_app()
    assert not at.exception
    assert [e.value for e in at.error] == [t("demo_needs_sample", "vi")]
    assert not at.metric


@pytest.mark.parametrize(
    ("email", "allowed"),
    [("analyst@example.vn", True), ("boss@example.vn", False), ("officer718@example.vn", False),
     ("stage@example.vn", False), ("stranger@example.vn", False), (None, False)],
)
def test_only_analysts_may_load_data_or_see_the_loads(roles_file, email, allowed):
    at = open_app(user=email)
    if "view" in at.session_state:  # got through the gate
        at.switch_page("views/data.py").run()
    assert not at.exception
    assert bool(at.get("file_uploader")) == allowed
    assert (t("snapshots", "vi") in [h.value for h in at.subheader]) == allowed
    assert any(t("audit", "vi") == e.label for e in at.expander) == allowed
    if not allowed:
        principal = access.principal_for(access.parse_roles(ROLES), email)
        with pytest.raises(access.AccessDenied):
            permissions.require_loader(principal)


def test_a_rollback_to_a_damaged_version_is_refused_on_the_page(roles_file, tmp_path, monkeypatch, fresh_caches):
    store = make_store(tmp_path / "store")
    shutil.copytree(store.path("sample"), store.snapshots / "damaged")
    (store.snapshots / "damaged" / "units.parquet").unlink()
    monkeypatch.setenv(STORE_ENV, str(store.root))
    monkeypatch.setenv(CURATED_ENV, str(store.link))
    at = open_app(user="analyst@example.vn")
    at.switch_page("views/data.py").run()
    at.selectbox(key="rollback_to").select("damaged").run()
    next(b for b in at.button if b.label == t("rollback", "vi")).click().run()
    assert not at.exception and [e.value for e in at.error] == [t("rollback_damaged", "vi", snapshot="damaged")]
    assert store.current() == "sample"


def test_demo_mode_may_not_load_data_nor_see_anything_about_loads():
    at = open_app("data")
    assert not at.exception
    assert not at.get("file_uploader") and not at.dataframe and not at.expander
    assert not permissions.can_load_data(access.DEMO)


ROLE_EMAILS = ["officer718@example.vn", "boss@example.vn", "analyst@example.vn", "stage@example.vn"]


@pytest.mark.parametrize("email", ROLE_EMAILS)
@pytest.mark.parametrize("mode", ["period", "cohort"])
def test_every_page_runs_for_every_role(roles_file, email, mode):
    at = open_app(user=email, mode=mode, lang="en", **JAN_SEP)
    for page in PAGES:
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, page
        assert at.get("plotly_chart"), page


def test_a_presenter_is_not_offered_the_grassroots_union_breakdown(roles_file):
    at = open_app("explore", "stage@example.vn", by="union", **JAN_SEP)
    assert not at.exception
    assert at.selectbox(key="by").value == "district"
    assert "Grassroots union" not in at.selectbox(key="by").options


def test_an_unverified_email_grants_nothing(roles_file):
    at = open_app(user="boss@example.vn", claims={"email_verified": False})
    assert not at.metric
    assert [e.value for e in at.error] == [t("no_access", "vi")]


def test_an_unverified_email_gets_no_role_through_a_group_either(roles_file):
    at = open_app(user="someone@example.vn", groups=["ldld-lanh-dao"], claims={"email_verified": False})
    assert not at.metric
    assert [e.value for e in at.error] == [t("no_access", "vi")]
    assert open_app(user="someone@example.vn", groups=["ldld-lanh-dao"]).metric  # the group alone grants it


def test_data_up_to_is_the_district_officers_own(fresh_caches, fixture_dir, fixture_con, roles_file, monkeypatch):
    monkeypatch.setenv(CURATED_ENV, str(fixture_dir))
    own, whole = (fixture_con.sql(f"SELECT max(event_on) FROM events WHERE {where}").fetchall()[0][0]
                  for where in ("district_code = '718'", "TRUE"))
    assert own != whole
    at = open_app(user="officer718@example.vn", lang="en", **{"from": "2023-01", "to": "2023-06"})
    assert not at.exception
    said = " ".join(c.value for c in at.caption) + " ".join(c.value for c in at.sidebar.caption)
    assert t("data_as_of", "en", date=fmt.day(own, "en")) in said and fmt.day(whole, "en") not in said


def test_the_periods_offered_end_with_the_officers_own_data(fresh_caches, fixture_dir, fixture_con, roles_file,
                                                            monkeypatch):
    """Their data ends in June 2023, the province's in August: their year to date, and a link asking for later
    months, end in June (the end of the period told them how far the rest of the province goes)."""
    monkeypatch.setenv(CURATED_ENV, str(fixture_dir))
    own = fixture_con.sql("SELECT max(event_on) FROM events WHERE district_code = '718'").fetchall()[0][0]
    assert (own.year, own.month) == (2023, 6)
    at = open_app(user="officer718@example.vn", lang="en")
    assert not at.exception and (at.query_params["from"], at.query_params["to"]) == ("2023-01", "2023-06")
    at = open_app(user="officer718@example.vn", lang="en", **{"from": "2023-01", "to": "2099-12"})
    assert at.query_params["to"] == "2023-06"
    said = " ".join(w.value for w in at.warning)
    assert "August" not in said and "2023-08" not in said


def test_after_signing_out_the_same_cookie_shows_nothing(roles_file):
    claims = signed_in_claims("boss@example.vn")
    at = open_app(user="boss@example.vn", claims=claims, **JAN_SEP)
    assert metrics(at)
    time.sleep(1)  # sign out a second after the sign-in (iat has whole seconds)
    at.button(key="sign_out").click().run()
    replayed = open_app(user="boss@example.vn", claims=claims, **JAN_SEP)  # the saved cookie, in a new session
    assert not replayed.exception and not replayed.metric and not replayed.multiselect
    assert [i.value for i in replayed.info] == [t("sign_in_ended", "vi")]
    assert [b.label for b in replayed.button] == [t("sign_in", "vi")]
    assert open_app(user="boss@example.vn", **JAN_SEP).metric  # signing in again (a new token) works


def test_signing_out_when_the_sign_outs_file_cannot_be_written_still_signs_out(roles_file, monkeypatch, caplog):
    def read_only(*_):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(sessions.SignOuts, "record", read_only)
    at = open_app(user="boss@example.vn", **JAN_SEP)
    at.button(key="sign_out").click().run()
    assert not at.exception and "NOT recorded" in caplog.text


def test_a_sign_in_older_than_the_maximum_age_must_sign_in_again(roles_file, monkeypatch):
    old = {"iat": int(time.time()) - 3 * 3600}
    assert open_app(user="boss@example.vn", claims=old, **JAN_SEP).metric
    monkeypatch.setenv(SIGN_IN_HOURS_ENV, "2")
    at = open_app(user="boss@example.vn", claims=old, **JAN_SEP)
    assert not at.metric and [i.value for i in at.info] == [t("sign_in_ended", "vi")]


def test_a_missing_email_verified_grants_nothing_unless_the_provider_is_trusted(roles_file):
    unsaid = {"email_verified": None, "provider": "microsoft"}
    at = open_app(user="boss@example.vn", claims=unsaid, **JAN_SEP)
    assert not at.metric and [e.value for e in at.error] == [t("no_access", "vi")]
    roles_file.write_text(ROLES + '[providers."microsoft"]\nassume_email_verified = true\n', encoding="utf-8")
    assert open_app(user="boss@example.vn", claims=unsaid, **JAN_SEP).metric
