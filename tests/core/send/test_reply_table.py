"""The known-replies table (app/data/replies.toml): one row per real server text.

Each row: reply code, enhanced code (or ""), the text after it, the stage -> the expected
action and scope. Texts are those the servers send (Postfix, Exim, Sendmail, Microsoft 365,
Gmail, QQ/Exmail, NetEase 163/126, Aliyun); see each rule's `source` in the table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.send.contracts import Action, Reply, Scope, Stage
from app.core.send.replies import (
    ACCOUNT_REFUSED,
    ReplyTableError,
    classify,
    load_rules,
    matching_rule,
)

A = Action
R, M, C, ACC = Scope.RECIPIENT, Scope.MESSAGE, Scope.CONNECTION, Scope.ACCOUNT
CONNECT, MAIL, RCPT, DATA, MESSAGE = (
    Stage.CONNECT,
    Stage.MAIL,
    Stage.RCPT,
    Stage.DATA,
    Stage.MESSAGE,
)

# (code, enhanced, text, stage, action, scope)
ROWS = [
    # --- Postfix (anvil rate and connection limits, relay, greylisting via postgrey)
    (450, "4.7.1", "Error: too much mail from 127.0.0.1", MAIL, A.THROTTLE, ACC),
    (450, "4.7.1", "Error: too many recipients from 127.0.0.1", RCPT, A.THROTTLE, ACC),
    (421, "4.7.0", "mx.example.com Error: too many connections from 127.0.0.1", CONNECT,
     A.THROTTLE, C),
    (421, "4.3.2", "All server ports are busy", CONNECT, A.THROTTLE, C),
    (554, "5.7.1", "<reader@example.org>: Relay access denied", RCPT, A.STOP, ACC),
    (530, "5.7.0", "Must issue a STARTTLS command first", MAIL, A.STOP, ACC),
    (553, "5.7.1", "<news@example.com>: Sender address rejected: not logged in", MAIL,
     A.STOP, ACC),
    (450, "4.2.0", "<reader@example.org>: Recipient address rejected: Greylisted, see "
     "http://postgrey.schweikert.ch/help/example.org.html", RCPT, A.RETRY, R),
    (554, "5.7.1", "<reader@example.org>: Recipient address rejected: Access denied", RCPT,
     A.FAIL, R),
    (452, "4.5.3", "Error: too many recipients", RCPT, A.RETRY, R),
    # --- Exim (ACL ratelimit, connection limits, relay)
    (451, "", "Sender rate exceeds 20 messages per 10s", RCPT, A.THROTTLE, ACC),
    (451, "", "Sender rate exceeds 20 messages per 10s", MAIL, A.THROTTLE, ACC),
    (450, "", "Sender rate overlimit - 25.0 / 1h / per_rcpt", RCPT, A.THROTTLE, ACC),
    (451, "4.7.1", "rate limit exceeded, please try again later", RCPT, A.THROTTLE, ACC),
    (421, "", "Too many concurrent SMTP connections; please try again later.", CONNECT,
     A.THROTTLE, C),
    (421, "", "Too many concurrent SMTP connections from this IP address; please try again "
     "later.", CONNECT, A.THROTTLE, C),
    (421, "", "too many messages in this connection", MAIL, A.THROTTLE, C),
    (550, "", "relay not permitted", RCPT, A.STOP, ACC),
    (451, "", "Temporary local problem - please try later", MESSAGE, A.THROTTLE, ACC),
    # --- Sendmail (ClientRate, ClientConn, greylisting milter)
    (421, "4.3.2", "Connection rate limit exceeded.", CONNECT, A.THROTTLE, C),
    (421, "4.3.2", "Too many open connections.", CONNECT, A.THROTTLE, C),
    (550, "5.7.1", "<reader@example.org>... Relaying denied", RCPT, A.STOP, ACC),
    (451, "4.7.1", "Greylisting in action, please come back in 00:05:00", RCPT, A.RETRY, R),
    (452, "4.4.5", "Insufficient disk space; try again later", MAIL, A.THROTTLE, ACC),
    # --- Microsoft 365 / Exchange
    (432, "4.3.2", "STOREDRV.ClientSubmit; sender thread limit exceeded", MAIL, A.THROTTLE, C),
    (421, "4.4.2", "Message submission rate for this client has exceeded the configured limit",
     MAIL, A.THROTTLE, ACC),
    (554, "5.2.2", "mailbox full; STOREDRV.Submit.Exception:QuotaExceededException", MESSAGE,
     A.STOP, ACC),
    (451, "4.7.500", "Server busy. Please try again later from [192.0.2.1]. (S77714)", MAIL,
     A.THROTTLE, ACC),
    (554, "5.2.0", "STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed "
     "to process message due to a permanent exception", MESSAGE, A.PAUSE_QUOTA, ACC),
    (550, "5.2.252", "SendAsDenied; throttled after repeated errors", RCPT, A.THROTTLE, ACC),
    (530, "5.7.57", "Client not authenticated to send mail. [AM0PR06CA0001]", MAIL, A.STOP, ACC),
    (550, "5.7.60", "SMTP; Client does not have permissions to send as this sender", MESSAGE,
     A.STOP, ACC),
    (550, "5.7.54", "SMTP; Unable to relay recipient in non-accepted domain", RCPT, A.STOP, ACC),
    # --- Gmail
    (421, "4.7.0", "Try again later, closing connection. (EHLO) s1-20020a.1 - gsmtp", CONNECT,
     A.THROTTLE, C),
    (421, "4.7.28", "[192.0.2.1] Our system has detected an unusual rate of unsolicited mail "
     "originating from your IP address.", MAIL, A.THROTTLE, ACC),
    (450, "4.2.1", "The user you are trying to contact is receiving mail at a rate that "
     "prevents additional messages from being delivered.", RCPT, A.RETRY, R),
    (550, "5.4.5", "Daily user sending limit exceeded. For more information on Gmail sending "
     "limits go to https://support.google.com/a/answer/166852", MAIL, A.PAUSE_QUOTA, ACC),
    (550, "5.4.5", "Daily SMTP relay limit exceeded for customer.", MAIL, A.PAUSE_QUOTA, ACC),
    (454, "4.7.0", "Too many login attempts, please try again later.", Stage.AUTH, A.THROTTLE,
     ACC),
    (530, "5.7.0", "Authentication Required. Learn more at https://support.google.com/mail",
     MAIL, A.STOP, ACC),
    (550, "5.7.1", "[192.0.2.1] Gmail has detected that this message is likely unsolicited "
     "mail.", MESSAGE, A.FAIL, M),
    # --- QQ mail / Tencent Exmail
    (550, "", "Connection frequency limited. http://service.mail.qq.com/cgi-bin/help?"
     "subtype=1&&id=20022&&no=1000722", CONNECT, A.THROTTLE, ACC),
    (550, "", "Ip frequency limited", MAIL, A.THROTTLE, ACC),
    (550, "", "Sender frequency limited", MAIL, A.THROTTLE, ACC),
    (550, "", "Mailbox not found or access denied", RCPT, A.FAIL, R),
    (550, "", "Mail content denied. http://service.mail.qq.com/cgi-bin/help?id=20022", MESSAGE,
     A.FAIL, M),
    (554, "", "发信量已达当日上限, sending quota exceeded", MAIL, A.PAUSE_QUOTA, ACC),
    (535, "", "Login Fail. Please enter your authorization code to login.", Stage.AUTH, A.STOP,
     ACC),
    # --- NetEase 163 / 126
    (554, "5.5.0", "MI:STC 163 smtp3 daily quota of messages used up", MAIL, A.PAUSE_QUOTA, ACC),
    (550, "", "RP:TRC 163 smtp3 daily quota of recipients used up", RCPT, A.PAUSE_QUOTA, ACC),
    (451, "", "MI:SFQ 163 smtp3 15-minute quota", MAIL, A.PAUSE_QUOTA, ACC),
    (451, "", "RP:QRC 163 smtp3 recipients in a short time", RCPT, A.PAUSE_QUOTA, ACC),
    (421, "", "HL:IFC 163 smtp3 sending too fast", CONNECT, A.THROTTLE, ACC),
    (421, "", "HL:ICC 163 smtp3 too many connections", CONNECT, A.THROTTLE, C),
    (421, "", "HL:REP 163 smtp3 many unknown recipients", CONNECT, A.THROTTLE, ACC),
    (450, "", "MI:DMC 163 smtp3 too many mails in one connection", MAIL, A.THROTTLE, C),
    (450, "", "RP:DRC 163 smtp3 too many recipients in one connection", RCPT, A.THROTTLE, C),
    (450, "", "MI:CEL 163 smtp3 too many errors", MAIL, A.THROTTLE, C),
    (451, "", "DT:SPM 163 smtp3, please try again", MESSAGE, A.RETRY, M),
    (554, "", "DT:SPM 163 smtp3 message rejected as spam", MESSAGE, A.FAIL, M),
    (554, "", "DT:SUM 163 smtp3 envelope and header sender mismatch", MESSAGE, A.STOP, ACC),
    (554, "", "HL:IPB 163 smtp3 IP blocked", CONNECT, A.STOP, ACC),
    (553, "", "authentication is required,163 smtp3,DdGowAAXAAA", MAIL, A.STOP, ACC),
    (550, "", "User has no permission", MAIL, A.STOP, ACC),
    (451, "", "Requested mail action not taken: too much fail authentication", Stage.AUTH,
     A.STOP, ACC),
    # --- Aliyun (Enterprise Mail, DirectMail)
    (554, "", "Reject by behaviour spam at Rcpt State(Connection IP address:192.0.2.1) "
     "ANTISPAM_BAT[01201311R1], too frequently sending", RCPT, A.THROTTLE, ACC),
    (450, "", "发送频率过高,请稍后再试", MAIL, A.THROTTLE, ACC),
    (554, "", "当天发信数量超过限制", MAIL, A.PAUSE_QUOTA, ACC),
    # --- account-level refusals without a login, anywhere
    (554, "5.7.1", "Access denied", RCPT, A.STOP, ACC),
    (550, "5.7.1", "Access denied", MAIL, A.STOP, ACC),
    (530, "5.7.0", "Authentication required", RCPT, A.STOP, ACC),
    # --- per-recipient deferrals
    (451, "4.7.1", "Greylisted, try again later", RCPT, A.RETRY, R),
    (450, "4.2.0", "Mailbox busy", RCPT, A.RETRY, R),
    (450, "", "Requested mail action not taken: mailbox unavailable", RCPT, A.RETRY, R),
    (451, "4.7.1", "Recipient address rejected: policy, try again later", RCPT, A.RETRY, R),
]  # fmt: skip


@pytest.mark.parametrize(("code", "enhanced", "text", "stage", "action", "scope"), ROWS)
def test_each_known_server_text_gets_its_verdict(code, enhanced, text, stage, action, scope):
    reply = Reply(code, f"{enhanced} {text}" if enhanced else text, stage)

    verdict = classify(reply)

    assert (verdict.action, verdict.scope) == (action, scope), verdict.reason
    assert verdict.reason and verdict.reason[0].isupper()


def test_no_throttle_or_quota_text_ever_fails_a_row():
    """The whole point of the table: push-back is never a failed recipient."""
    for code, enhanced, text, stage, action, _ in ROWS:
        if action in (A.THROTTLE, A.PAUSE_QUOTA):
            verdict = classify(Reply(code, f"{enhanced} {text}", stage))
            assert verdict.action is not A.FAIL


def test_account_refusals_say_one_clear_thing_and_quote_the_server():
    for text, stage in (("5.7.1 Access denied", RCPT), ("5.7.1 Relay access denied", RCPT)):
        verdict = classify(Reply(554, text, stage))
        assert verdict.reason.startswith(ACCOUNT_REFUSED[:-1])
        assert text in verdict.reason


def test_every_rule_of_the_table_is_reached_by_some_row():
    reached = {
        rule.id
        for code, enhanced, text, stage, *_ in ROWS
        if (rule := matching_rule(Reply(code, f"{enhanced} {text}", stage))) is not None
    }
    unreached = {r.id for r in load_rules()} - reached - {"m365-smtp-auth-disabled"}
    assert not unreached  # (the M365 login rule has its rows in test_replies.py)


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ('id = "x"\naction = "stop"\nscope = "account"\nreason = "R"\nsource = "s"', "match"),
        ('id = "x"\nmatch = "a"\naction = "halt"\nscope = "account"\nreason = "R"\nsource = "s"',
         "halt"),
        ('id = "x"\nmatch = "("\naction = "stop"\nscope = "account"\nreason = "R"\nsource = "s"',
         r"rule #1 \(x\)"),
        ('id = "x"\nmatch = "a"\naction = "stop"\nscope = "account"\nreason = "R"\nsource = "s"'
         '\nwhen = 3', "unknown field"),
    ],
)  # fmt: skip
def test_a_malformed_table_is_refused_naming_the_rule(tmp_path: Path, body, complaint):
    path = tmp_path / "replies.toml"
    path.write_text(f"[[rule]]\n{body}\n", encoding="utf-8")

    with pytest.raises(ReplyTableError, match=complaint):
        load_rules(path)


def test_a_rate_limit_that_names_its_wait_is_still_a_rate_limit_not_greylisting():
    verdict = classify(Reply(450, "4.7.1 Sender rate exceeds limit, try again in 60 seconds", MAIL))

    assert (verdict.action, verdict.scope) == (A.THROTTLE, ACC)
