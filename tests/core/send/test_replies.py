"""classify(): every reply from SMTP-REFERENCE.md lands in the right scope and action."""

from __future__ import annotations

import pytest

from app.core.send.contracts import Action, Reply, Scope, Stage
from app.core.send.replies import DAY, MINUTE, classify, enhanced_code

A, S = Action, Scope
R, M, C, ACC = S.RECIPIENT, S.MESSAGE, S.CONNECTION, S.ACCOUNT

LEARNED = "learned"  # no pause of its own: the limiter's backoff (seconds at first) decides

# (stage, code, text, action, scope, pause_seconds, LEARNED, or None for "any")
TABLE = [
    # success
    (Stage.MESSAGE, 250, "2.0.0 OK queued", A.SUCCESS, M, None),
    (Stage.RCPT, 251, "User not local; will forward", A.SUCCESS, M, None),
    # no reply: ambiguous only after the final dot
    (Stage.MESSAGE, None, "the connection was lost", A.UNKNOWN, M, None),
    (Stage.MAIL, None, "the connection was lost", A.RETRY, C, None),
    (Stage.RCPT, None, "no reply in time", A.RETRY, C, None),
    (Stage.DATA, None, "the connection was lost", A.RETRY, C, None),
    (Stage.CONNECT, None, "Connection refused", A.RETRY, C, None),
    # 421 anywhere: reconnect after the backoff; for a message it is the server's rate
    (Stage.CONNECT, 421, "4.7.0 Try again later, closing connection", A.THROTTLE, C, LEARNED),
    (Stage.MAIL, 421, "4.7.0 Try again later, closing connection", A.THROTTLE, ACC, LEARNED),
    (Stage.MESSAGE, 421, "Service not available, closing channel", A.THROTTLE, ACC, LEARNED),
    # generic transients, scoped by stage
    (
        Stage.RCPT,
        450,
        "4.2.1 The user you are trying to contact is receiving mail at a rate "
        "that prevents additional messages from being delivered",
        A.RETRY,
        R,
        None,
    ),
    (Stage.RCPT, 451, "4.3.0 Local error in processing", A.RETRY, R, None),
    (Stage.MESSAGE, 451, "4.3.0 Local error in processing", A.RETRY, M, None),
    (Stage.DATA, 452, "4.3.1 Insufficient system storage", A.RETRY, M, None),
    (Stage.MAIL, 450, "4.2.0 Mailbox busy", A.RETRY, M, None),
    # push-back: enhanced 4.7.x and throttling words
    (Stage.MAIL, 450, "4.7.1 Rate limit exceeded", A.THROTTLE, ACC, LEARNED),
    (Stage.RCPT, 451, "Throttled, try again later", A.THROTTLE, ACC, LEARNED),
    (Stage.MAIL, 454, "Throttling failure: Maximum sending rate exceeded", A.THROTTLE, ACC, None),
    # too many recipients is transient, even as 552
    (Stage.RCPT, 452, "4.5.3 Your message has too many recipients", A.RETRY, R, None),
    (Stage.RCPT, 552, "5.5.3 Too many recipients", A.RETRY, R, None),
    # permanent recipient failures
    (
        Stage.RCPT,
        550,
        "5.1.1 The email account that you tried to reach does not exist",
        A.FAIL,
        R,
        None,
    ),
    (Stage.RCPT, 553, "5.1.3 Bad recipient address syntax", A.FAIL, R, None),
    (Stage.RCPT, 550, "Mailbox unavailable", A.FAIL, R, None),
    (Stage.RCPT, 553, "5.6.7 the server does not support SMTPUTF8", A.FAIL, R, None),
    # the sender, the relay, the size
    (Stage.RCPT, 554, "5.7.1 Relaying denied", A.STOP, ACC, None),
    (Stage.MAIL, 530, "5.7.0 Authentication required", A.STOP, ACC, None),
    (Stage.MAIL, 553, "5.7.1 Sender address rejected: not owned by user", A.STOP, ACC, None),
    (Stage.MAIL, 552, "5.3.4 Message size exceeds fixed limit", A.FAIL, M, None),
    (Stage.MESSAGE, 554, "5.6.0 Message content rejected", A.FAIL, M, None),
    (Stage.DATA, 554, "5.5.1 No valid recipients", A.FAIL, M, None),
    # logins
    (Stage.AUTH, 535, "5.7.8 Username and Password not accepted", A.STOP, ACC, None),
    (
        Stage.AUTH,
        535,
        "Login Fail. Please enter your authorization code to login",
        A.STOP,
        ACC,
        None,
    ),
    (Stage.AUTH, 534, "5.7.9 Application-specific password required", A.STOP, ACC, None),
    (
        Stage.AUTH,
        535,
        "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant",
        A.STOP,
        ACC,
        None,
    ),
    (
        Stage.AUTH,
        550,
        "5.7.30 Basic authentication is not supported for Client Submission",
        A.STOP,
        ACC,
        None,
    ),
    (
        Stage.AUTH,
        454,
        "4.7.0 Too many login attempts, please try again later",
        A.THROTTLE,
        ACC,
        10 * MINUTE,
    ),
    (Stage.CONNECT, 554, "5.7.1 Service unavailable; client host blocked", A.STOP, ACC, None),
    # Gmail
    (Stage.MAIL, 550, "5.4.5 Daily user sending limit exceeded", A.PAUSE_QUOTA, ACC, DAY),
    (
        Stage.MAIL,
        421,
        "4.7.0 Our system has detected an unusual rate of unsolicited mail",
        A.THROTTLE,
        ACC,
        None,
    ),
    # QQ / Tencent
    (Stage.CONNECT, 550, "Connection frequency limited", A.THROTTLE, ACC, 10 * MINUTE),
    (Stage.MAIL, 550, "Sender frequency limited", A.THROTTLE, ACC, 10 * MINUTE),
    (Stage.RCPT, 550, "Domain frequency limited", A.THROTTLE, ACC, 10 * MINUTE),
    # NetEase 163 / 126
    (Stage.CONNECT, 421, "HL:ICC 163 smtp11 Too many connections", A.THROTTLE, C, MINUTE),
    (Stage.MAIL, 421, "HL:IFC 163 smtp11 Sending too fast", A.THROTTLE, ACC, 5 * MINUTE),
    (Stage.MAIL, 450, "MI:DMC 163 smtp11 Too many mails in one connection", A.THROTTLE, C, MINUTE),
    (Stage.MAIL, 451, "MI:DMC 163 smtp11", A.THROTTLE, C, MINUTE),
    (Stage.MAIL, 451, "MI:SFQ 163 smtp11 15-minute quota", A.PAUSE_QUOTA, ACC, 15 * MINUTE),
    (Stage.MESSAGE, 451, "DT:SPM 163 smtp11 try again later", A.RETRY, M, 2 * MINUTE),
    (Stage.MESSAGE, 554, "DT:SPM 163 smtp11 Message rejected as spam", A.FAIL, M, None),
    (
        Stage.MESSAGE,
        554,
        "DT:SUM 163 smtp11 Envelope and header sender mismatch",
        A.STOP,
        ACC,
        None,
    ),
    (Stage.MAIL, 550, "User has no permission", A.STOP, ACC, None),
    (Stage.AUTH, 535, "Error: too much fail authentication", A.STOP, ACC, None),
    # Microsoft 365
    (Stage.CONNECT, 432, "4.3.2 Concurrent connections limit exceeded", A.THROTTLE, C, LEARNED),
    (
        Stage.MESSAGE,
        554,
        "5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException",
        A.PAUSE_QUOTA,
        ACC,
        DAY,
    ),
    (Stage.MESSAGE, 554, "5.2.2 mailbox full; STOREDRV.Submit.Exception", A.STOP, ACC, None),
    (
        Stage.RCPT,
        550,
        "5.2.252 SendAsDenied; throttled after repeated errors",
        A.THROTTLE,
        ACC,
        15 * MINUTE,
    ),
    (Stage.MAIL, 550, "5.2.254 Sender throttled", A.THROTTLE, ACC, 15 * MINUTE),
    # Aliyun
    (
        Stage.MESSAGE,
        554,
        "Reject by behaviour spam at Rcpt State(Connection IP address:x) "
        "ANTISPAM_BAT[01201311R1]: too frequently sending",
        A.THROTTLE,
        ACC,
        5 * MINUTE,
    ),
    # nonsense
    (Stage.MAIL, 199, "weird", A.RETRY, C, None),
    (Stage.MAIL, 999, "weird", A.RETRY, C, None),
]


@pytest.mark.parametrize(("stage", "code", "text", "action", "scope", "pause"), TABLE)
def test_reply_is_classified_by_action_and_scope(stage, code, text, action, scope, pause):
    verdict = classify(Reply(code, text, stage))

    assert (verdict.action, verdict.scope) == (action, scope), verdict.reason
    if pause == LEARNED:
        assert verdict.pause_seconds is None
    elif pause is not None:
        assert verdict.pause_seconds == pause
    assert verdict.reason and verdict.reason[0].isupper()


def test_a_generic_reason_quotes_the_server():
    verdict = classify(Reply(550, "5.1.1 No such user", Stage.RCPT))

    assert "550 5.1.1 No such user" in verdict.reason


def test_only_replies_that_name_a_wait_carry_a_pause_of_their_own():
    """Generic push-back waits as long as the limiter's backoff says (seconds at first), not
    a fixed minute; a pause comes only from a reply known to imply one (QQ, NetEase, Gmail)."""
    generic = classify(Reply(421, "4.7.0 Try again later, closing connection", Stage.MAIL))
    known = classify(Reply(550, "Sender frequency limited", Stage.MAIL))

    assert generic.pause_seconds is None
    assert known.pause_seconds == 10 * MINUTE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5.1.1 No such user", (5, 1, 1)),
        ("4.7.0 later", (4, 7, 0)),
        ("Mailbox busy", None),
        ("Not accepted, see 5.1.1 below" + " " * 40 + "5.7.1", (5, 1, 1)),
    ],
)
def test_enhanced_code_is_read_from_the_start_of_the_text(text, expected):
    assert enhanced_code(text) == expected
