"""When a sign-in stops counting (analytics.sessions), whose e-mail counts as verified, and downloads that check
access again when the file is made (ui.identity.guarded)."""

from __future__ import annotations

import logging
import time

import pytest

from analytics import access, config, sessions
from analytics.config import ROLES_ENV
from tests.conftest import ROLES
from ui import identity

HOUR = 3600.0
NOW = 1_790_000_000.0
BOSS = sessions.Identity(provider="default", subject="boss-sub", email="boss@example.vn", email_verified=True,
                         issued_at=NOW - HOUR)


@pytest.fixture
def sign_outs(tmp_path):
    return sessions.SignOuts(tmp_path / "state" / "sign-outs.log", b"cookie-secret")


def test_an_identity_issued_before_its_users_sign_out_has_ended(sign_outs):
    assert sessions.ended(BOSS, sign_outs, NOW, 9 * HOUR) is None
    sign_outs.record(BOSS, NOW - 60, 9 * HOUR)
    assert sessions.ended(BOSS, sign_outs, NOW, 9 * HOUR) == "signed out since"
    again = sessions.Identity(**{**BOSS.__dict__, "issued_at": NOW - 30})  # signed in again after it
    assert sessions.ended(again, sign_outs, NOW, 9 * HOUR) is None
    other = sessions.Identity(**{**BOSS.__dict__, "subject": "someone-else"})
    assert sessions.ended(other, sign_outs, NOW, 9 * HOUR) is None


def test_a_sign_in_in_the_second_of_the_sign_out_counts_as_after_it(sign_outs):
    """``iat`` has whole seconds: signing in again right after signing out must work (it did not, one time in
    a few, when the new token's second was the sign-out's)."""
    sign_outs.record(BOSS, 1_000_000.7, 9 * HOUR)
    same_second = sessions.Identity(**{**BOSS.__dict__, "issued_at": 1_000_000})
    second_before = sessions.Identity(**{**BOSS.__dict__, "issued_at": 999_999})
    assert sessions.ended(same_second, sign_outs, 1_000_001.0, 9 * HOUR) is None
    assert sessions.ended(second_before, sign_outs, 1_000_001.0, 9 * HOUR) == "signed out since"


def test_sign_outs_survive_a_restart_and_hold_no_email(sign_outs):
    sign_outs.record(BOSS, NOW - 60, 9 * HOUR)
    text = sign_outs.path.read_text()
    assert "boss" not in text and len(text.splitlines()) == 1
    replica = sessions.SignOuts(sign_outs.path, b"cookie-secret")  # another process reading the same file
    assert replica.latest(BOSS) == pytest.approx(NOW - 60)
    assert sessions.SignOuts(sign_outs.path, b"another-secret").latest(BOSS) is None


def test_a_long_file_is_rewritten_without_the_sign_outs_too_old_to_matter(sign_outs, monkeypatch):
    monkeypatch.setattr(sessions, "COMPACT_AFTER_LINES", 5)
    for n in range(6):
        sign_outs.record(sessions.Identity("default", f"old-{n}", None), NOW - 20 * HOUR, 9 * HOUR)
    sign_outs.record(BOSS, NOW, 9 * HOUR)
    assert len(sign_outs.path.read_text().splitlines()) == 1
    assert sign_outs.latest(BOSS) == pytest.approx(NOW)


def test_a_torn_line_in_the_file_is_skipped_not_fatal(sign_outs, caplog):
    sign_outs.record(BOSS, NOW - 60, 9 * HOUR)
    with open(sign_outs.path, "a", encoding="ascii") as handle:
        handle.write("\n3f2a 17900\nhalf-a-line\nab nan\n")  # a blank line, torn appends, a time that is none
    assert sign_outs.latest(BOSS) == pytest.approx(NOW - 60)
    assert all(f"line {n} is not" in caplog.text for n in (2, 4, 5)) and "line 3 is not" not in caplog.text


def test_bytes_that_are_not_ascii_spoil_their_line_only(sign_outs, caplog):
    sign_outs.record(BOSS, NOW - 60, 9 * HOUR)
    with open(sign_outs.path, "ab") as handle:
        handle.write(b"\xff\xfe garbage\n")
    assert sign_outs.latest(BOSS) == pytest.approx(NOW - 60)
    assert "line 2 is not" in caplog.text
    sign_outs.record(BOSS, NOW - 30, 9 * HOUR)  # appending after such a line works too
    assert sign_outs.latest(BOSS) == pytest.approx(NOW - 30)


def test_an_identity_issued_in_the_future_has_ended(sign_outs):
    """A token dated ahead of the server's clock would outlive the maximum age and every sign-out."""
    early = sessions.Identity(**{**BOSS.__dict__, "issued_at": NOW + 10 * 365 * 24 * HOUR})
    assert sessions.ended(early, sign_outs, NOW, 9 * HOUR).startswith("issued in the future")
    skewed = sessions.Identity(**{**BOSS.__dict__, "issued_at": NOW + 60})  # the provider's clock a minute ahead
    assert sessions.ended(skewed, sign_outs, NOW, 9 * HOUR) is None


def test_a_sign_outs_folder_holds_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv(config.SIGN_OUTS_ENV, str(tmp_path))
    assert config.sign_outs_location() == tmp_path / "sign-outs.log"
    monkeypatch.setenv(config.SIGN_OUTS_ENV, str(tmp_path / "shared.log"))
    assert config.sign_outs_location() == tmp_path / "shared.log"


@pytest.mark.parametrize("hours", ["nan", "inf", "-1", "0", "nine"])
def test_a_sign_in_age_that_is_no_number_of_hours_is_refused(monkeypatch, hours):
    monkeypatch.setenv(config.SIGN_IN_HOURS_ENV, hours)
    with pytest.raises(ValueError, match="SIGN_IN_HOURS"):
        config.sign_in_max_age()


@pytest.mark.parametrize(("issued", "reason"), [(NOW - 9.5 * HOUR, "signed in more than 9 hours ago"),
                                                 (None, "the identity has no issue time (iat)")])
def test_an_identity_older_than_the_maximum_age_or_undated_has_ended(sign_outs, issued, reason):
    old = sessions.Identity(**{**BOSS.__dict__, "issued_at": issued})
    assert sessions.ended(old, sign_outs, NOW, 9 * HOUR) == reason
    assert sessions.ended(old, sign_outs, NOW, 10 * HOUR) == (None if issued else reason)


TRUSTING = ROLES + '\n[providers."microsoft"]\nassume_email_verified = true\n'


@pytest.mark.parametrize(("provider", "verified", "role"), [
    ("default", True, "leadership"), ("default", None, None), ("default", False, None),
    ("microsoft", None, "leadership"), ("microsoft", False, None),
])
def test_a_missing_email_verified_counts_only_for_a_trusted_provider(provider, verified, role):
    book = access.parse_roles(TRUSTING)
    for email, groups in (("boss@example.vn", ()), ("someone@example.vn", ("ldld-lanh-dao",))):
        who = sessions.Identity(provider, "sub", email, groups, email_verified=verified, issued_at=NOW)
        assert access.principal_of(book, who).role == role


@pytest.mark.parametrize("entry", ["assume_email_verified = \"yes\"", "trust = true"])
def test_a_bad_provider_entry_says_what_it_takes(entry):
    with pytest.raises(access.RolesError, match=r"\[providers.\"microsoft\"\] takes only assume_email_verified"):
        access.parse_roles(f'[providers."microsoft"]\n{entry}\n')


@pytest.fixture
def drawn_for_boss(tmp_path, monkeypatch, sign_outs):
    """A download drawn for the boss (signed in an hour ago): its producer, the roles file and the sign-outs."""
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES, encoding="utf-8")
    monkeypatch.setenv(ROLES_ENV, str(roles))
    now = sessions.Identity(**{**BOSS.__dict__, "issued_at": time.time() - HOUR})
    monkeypatch.setattr(identity, "auth_configured", lambda: True)
    monkeypatch.setattr(identity, "_identity", lambda: now)
    monkeypatch.setattr(identity, "_sign_outs", lambda: sign_outs)
    principal = access.principal_of(access.parse_roles(ROLES), now)
    return identity.guarded(principal, lambda: b"the numbers"), roles, now


def test_a_download_is_made_while_the_user_keeps_their_access(drawn_for_boss):
    produce, _, _ = drawn_for_boss
    assert produce() == b"the numbers"
    assert produce() == b"the numbers"


@pytest.mark.parametrize("change", [
    ROLES.replace("boss@example.vn", "someone.else@example.vn"),  # removed
    ROLES.replace('[users."boss@example.vn"]\nrole = "leadership"',
                  '[users."boss@example.vn"]\nrole = "district"\ndistrict = "724"'),  # narrowed
    ROLES.replace('[users."boss@example.vn"]\nrole = "leadership"',
                  '[users."boss@example.vn"]\nrole = "leadership"\naudience = "public"'),  # numbers hidden now
])
def test_a_download_is_refused_once_the_roles_file_takes_the_access_away(drawn_for_boss, change, caplog):
    produce, roles, _ = drawn_for_boss
    roles.write_text(change, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="party_funnel.access"), pytest.raises(access.AccessDenied):
        produce()
    assert "download refused" in caplog.text and "boss@example.vn" not in caplog.text


def test_a_download_is_refused_after_the_user_signed_out(drawn_for_boss, sign_outs, caplog):
    produce, _, who = drawn_for_boss
    sign_outs.record(who, time.time(), 9 * HOUR)
    with caplog.at_level(logging.WARNING, logger="party_funnel.access"), pytest.raises(identity.SignInEnded):
        produce()
    assert "sign-in refused" in caplog.text and "signed out since" in caplog.text
