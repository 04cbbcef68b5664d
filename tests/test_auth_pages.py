"""The pages under each role, with sign-in simulated through AppTest's secrets and user (no provider needed)."""

from __future__ import annotations

import json

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import access, fmt
from analytics.config import CURATED_ENV, REPO_ROOT
from analytics.filters import Filter, Month
from analytics.i18n import t
from tests.conftest import ROLES

APP = str(REPO_ROOT / "app.py")
PAGES = ["views/overview.py", "views/explore.py", "views/present.py"]
JAN_SEP = {"from": "2022-01", "to": "2022-09"}
STAGES = ["referred", "trained", "admitted", "official"]

#: Shaped like a real [auth] section; the provider is never contacted in these tests.
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-of-some-length",
    "client_id": "party-funnel",
    "client_secret": "test",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}





def open_as(email: str | None, page: str | None = None, groups: list[str] | None = None, **params) -> AppTest:
    """The app as ``email`` signed in (None: nobody signed in yet), on ``page``, with URL ``params``."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False} if email is None else {"is_logged_in": True, "email": email}
    if groups is not None:
        at.user["groups"] = groups
    at.query_params.update(params)
    at.run()
    if page and page != PAGES[0] and not at.exception and at.metric:
        at.switch_page(page).run()
    return at


def metrics(at: AppTest) -> list[str]:
    return [m.value for m in at.metric]


def expected(sample_con, flt: Filter, principal=access.OPERATOR) -> list[str]:
    row = access.funnel(sample_con, principal, flt, None, "vi").iloc[0]
    return [fmt.count(row[s], "vi") for s in STAGES]


def test_nobody_signed_in_sees_only_the_sign_in_button(roles_file):
    at = open_as(None, **JAN_SEP)
    assert not at.exception
    assert [b.label for b in at.button] == [t("sign_in", "vi")]
    assert not at.metric and not at.multiselect


@pytest.mark.parametrize("params", [JAN_SEP, {**JAN_SEP, "district": "724"}, {}])
def test_an_unknown_user_sees_nothing_but_a_message(roles_file, params):
    at = open_as("stranger@example.vn", **params)
    assert not at.exception
    assert [e.value for e in at.error] == [t("no_access", "vi")]
    assert not at.metric and not at.multiselect and not at.selectbox and not at.dataframe


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("district", ["724", None, "718,724"])
def test_a_district_officer_sees_only_718s_numbers(roles_file, sample_con, page, district):
    params = {**JAN_SEP, **({"district": district} if district else {})}
    at = open_as("officer718@example.vn", page, **params)
    assert not at.exception
    assert at.multiselect(key="districts").options == ["Thủ Dầu Một"]
    assert at.query_params["district"] in ("718", ["718"])
    if page == "views/overview.py":
        own = expected(sample_con, Filter(Month(2022, 1), Month(2022, 9), districts=("718",)))
        assert metrics(at)[:4] == own
        assert own != expected(sample_con, Filter(Month(2022, 1), Month(2022, 9)))
        if district:  # said on the run that read the link
            assert t("own_district_only", "vi") in [i.value for i in at.info]
    elif page == "views/explore.py":
        table = at.dataframe[0].value
        assert set(table.iloc[:, 0]) == {"Thủ Dầu Một"}
    else:  # the headline slide: 718's referrals, said to be Thủ Dầu Một's
        own = access.funnel(sample_con, access.OPERATOR, Filter(Month(2022, 1), Month(2022, 9), ("718",)), None, "vi")
        spec = json.loads(at.get("plotly_chart")[0].proto.spec)
        assert spec["data"][0]["value"] == own.iloc[0]["referred"]
        assert "Thủ Dầu Một" in spec["layout"]["title"]["subtitle"]["text"]


def test_a_district_officer_forcing_other_districts_into_the_widgets_still_gets_718(roles_file, sample_con):
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "officer718@example.vn"}
    at.query_params.update(JAN_SEP)
    at.session_state["districts"] = ["724", "720"]
    at.run()
    assert not at.exception
    assert metrics(at)[:4] == expected(sample_con, Filter(Month(2022, 1), Month(2022, 9), districts=("718",)))


@pytest.mark.parametrize("email, groups", [("boss@example.vn", None), ("someone@example.vn", ["ldld-lanh-dao"])])
def test_leadership_sees_the_province(roles_file, email, groups):
    at = open_as(email, groups=groups, **JAN_SEP)
    assert not at.exception
    assert metrics(at)[:3] == ["2.339", "1.220", "251"]
    assert len(at.multiselect(key="districts").options) == 9
    assert not any(t("demo_banner", "vi") in w.value for w in at.warning)


def test_revoking_a_user_takes_effect_at_the_next_interaction(roles_file):
    at = open_as("boss@example.vn", **JAN_SEP)
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


def test_a_presenter_sees_small_counts_as_less_than_five(roles_file, sample_con):
    params, numbers = _small_slice(sample_con)
    at = open_as("stage@example.vn", **params)
    assert not at.exception
    shown = metrics(at)[:4]
    assert shown == ["<5" if 1 <= n <= 4 else fmt.number(n, "vi") for n in numbers]
    analyst = open_as("analyst@example.vn", **params)
    assert metrics(analyst)[:4] == [fmt.number(n, "vi") for n in numbers]
    at.switch_page(PAGES[2]).run()  # the headline slide draws "<" before 5 for a hidden count
    headline = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    drawn = [f"{d['number']['prefix']}{d['value']}" if d["number"].get("prefix") else str(d["value"])
             for d in headline]
    assert drawn == ["<5" if 1 <= n <= 4 else str(n) for n in numbers]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_demo_mode_is_labelled_on_every_page_in_both_languages(page, lang):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({**JAN_SEP, "lang": lang})
    at.run().switch_page(page).run()
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
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("demo_needs_sample", "vi")]
    assert not at.metric


def _load_data_probe() -> None:
    import streamlit as st

    from ui.permissions import can_load_data

    st.write(f"can_load_data={can_load_data()}")


@pytest.mark.parametrize(
    ("email", "allowed"),
    [("analyst@example.vn", True), ("boss@example.vn", False), ("officer718@example.vn", False),
     ("stage@example.vn", False), ("stranger@example.vn", False), (None, False)],
)
def test_only_analysts_may_load_data(roles_file, email, allowed):
    at = AppTest.from_function(_load_data_probe)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": email is not None, **({"email": email} if email else {})}
    at.run()
    assert [m.value for m in at.markdown] == [f"can_load_data={allowed}"]


def test_demo_mode_may_not_load_data():
    at = AppTest.from_function(_load_data_probe).run()
    assert [m.value for m in at.markdown] == ["can_load_data=False"]


ROLE_EMAILS = ["officer718@example.vn", "boss@example.vn", "analyst@example.vn", "stage@example.vn"]


@pytest.mark.parametrize("email", ROLE_EMAILS)
@pytest.mark.parametrize("mode", ["period", "cohort"])
def test_every_page_runs_for_every_role(roles_file, email, mode):
    at = open_as(email, mode=mode, lang="en", **JAN_SEP)
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
        assert at.get("plotly_chart"), page


def test_a_presenter_is_not_offered_the_grassroots_union_breakdown(roles_file):
    at = open_as("stage@example.vn", PAGES[1], by="union", **JAN_SEP)
    assert not at.exception
    assert at.selectbox(key="by").value == "district"
    assert "Grassroots union" not in at.selectbox(key="by").options


def test_an_unverified_email_grants_nothing(roles_file):
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "boss@example.vn", "email_verified": False}
    at.run()
    assert not at.metric
    assert [e.value for e in at.error] == [t("no_access", "vi")]
