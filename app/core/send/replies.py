"""Classify every SMTP reply by scope (recipient, message, connection, account) and by what to do.

The code alone is not enough: several providers answer 5xx for what is really a quota or a rate
limit (Gmail `550 5.4.5`, QQ `550 ... frequency limited`), and 4xx for a spam verdict that will
not change on retry. So known provider texts are matched first, then the generic RFC 5321 /
RFC 3463 rules. Reasons are plain English for the user; the server's own words travel alongside
in the Reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.send.contracts import Action, Reply, Scope, Stage, Verdict

MINUTE = 60.0
HOUR = 3600.0
DAY = 24 * HOUR

_ENHANCED = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")


def enhanced_code(text: str) -> tuple[int, int, int] | None:
    """The RFC 3463 enhanced status code at the start of the reply text (e.g. 5.1.1), if any."""
    match = _ENHANCED.search(text[:40])  # it leads the text; later numbers may be anything
    if match is None:
        return None
    return int(match[1]), int(match[2]), int(match[3])


@dataclass(frozen=True, slots=True)
class _Rule:
    """A known reply: a text pattern, optionally limited to some codes and stages."""

    pattern: re.Pattern[str]
    verdict: Verdict
    codes: frozenset[int] | None = None
    stages: frozenset[Stage] | None = None

    def matches(self, reply: Reply) -> bool:
        if self.codes is not None and reply.code not in self.codes:
            return False
        if self.stages is not None and reply.stage not in self.stages:
            return False
        return self.pattern.search(reply.text) is not None


def _rule(
    pattern: str,
    verdict: Verdict,
    *,
    codes: tuple[int, ...] | None = None,
    stages: tuple[Stage, ...] | None = None,
) -> _Rule:
    return _Rule(
        pattern=re.compile(pattern, re.IGNORECASE),
        verdict=verdict,
        codes=frozenset(codes) if codes is not None else None,
        stages=frozenset(stages) if stages is not None else None,
    )


def _v(action: Action, scope: Scope, reason: str, pause: float | None = None) -> Verdict:
    return Verdict(action=action, scope=scope, reason=reason, pause_seconds=pause)


_BEFORE_MAIL = (Stage.CONNECT, Stage.AUTH)

# Provider texts, checked in order before the generic rules. Sources: SMTP-REFERENCE.md §2.
_PROVIDER_RULES: tuple[_Rule, ...] = (
    # --- Login refusals that name the fix -------------------------------------------------
    _rule(
        r"5\.7\.139|5\.7\.30\b|basic authentication",
        _v(
            Action.STOP,
            Scope.ACCOUNT,
            "Microsoft 365 refused the login: SMTP AUTH is disabled for this mailbox or basic "
            "authentication is turned off for the organisation. An administrator must enable "
            "SMTP AUTH (or use an OAuth sign-in).",
        ),
    ),
    _rule(
        r"too much fail authentication",
        _v(
            Action.STOP,
            Scope.ACCOUNT,
            "The server blocked logins after too many failed attempts. Check the password "
            "(for 163/126 the authorization code, 授权码) and try again later.",
        ),
    ),
    _rule(
        r"User has no permission",
        _v(
            Action.STOP,
            Scope.ACCOUNT,
            "The account may not send over SMTP: enable SMTP in the mailbox settings "
            "(163/126: Settings > POP3/SMTP/IMAP) and sign in with the authorization code "
            "(授权码).",
        ),
    ),
    # --- Quotas: pause until the window reopens --------------------------------------------
    _rule(
        r"5\.4\.5|daily user sending limit|sending limit exceeded",
        _v(
            Action.PAUSE_QUOTA,
            Scope.ACCOUNT,
            "Gmail's daily sending limit is reached. Sending pauses until the rolling 24-hour "
            "window reopens; nothing is marked failed.",
            DAY,
        ),
        codes=(550, 421, 450, 451, 452, 554),
    ),
    _rule(
        r"SubmissionQuotaExceeded",
        _v(
            Action.PAUSE_QUOTA,
            Scope.ACCOUNT,
            "Microsoft 365's submission quota (10,000 recipients a day) is used up. Sending "
            "pauses until the rolling 24-hour window reopens.",
            DAY,
        ),
    ),
    _rule(
        r"MI:SFQ",
        _v(
            Action.PAUSE_QUOTA,
            Scope.ACCOUNT,
            "NetEase's 15-minute sending quota is used up. Sending pauses for 15 minutes.",
            15 * MINUTE,
        ),
    ),
    # --- Rate limits and connection limits: slow down --------------------------------------
    _rule(
        r"frequency limited",
        _v(
            Action.THROTTLE,
            Scope.ACCOUNT,
            "QQ/Tencent is limiting how often you send. Sending slows down and pauses for "
            "10 minutes.",
            10 * MINUTE,
        ),
    ),
    _rule(
        r"HL:IFC",
        _v(
            Action.THROTTLE,
            Scope.ACCOUNT,
            "NetEase says you are sending too fast. Sending slows down and pauses for 5 minutes.",
            5 * MINUTE,
        ),
    ),
    _rule(
        r"HL:ICC",
        _v(
            Action.THROTTLE,
            Scope.ACCOUNT,
            "NetEase says there are too many connections at once. Use fewer connections; "
            "sending pauses for a minute.",
            MINUTE,
        ),
    ),
    _rule(
        r"MI:DMC",
        _v(
            Action.THROTTLE,
            Scope.CONNECTION,
            "NetEase limits the messages sent over one connection. Herald reconnects and "
            "sends fewer messages per connection.",
            MINUTE,
        ),
    ),
    _rule(
        r"DT:SPM",
        _v(
            Action.RETRY,
            Scope.MESSAGE,
            "NetEase temporarily held this message as possible spam; it is retried after "
            "2 minutes.",
            2 * MINUTE,
        ),
        codes=(450, 451, 452),
    ),
    _rule(
        r"DT:SPM",
        _v(
            Action.FAIL,
            Scope.MESSAGE,
            "The server rejected the message content as spam. Every identical message will "
            "be rejected too: change the subject or text.",
        ),
    ),
    _rule(
        r"DT:SUM",
        _v(
            Action.STOP,
            Scope.ACCOUNT,
            "NetEase refuses mail whose From header differs from the account you sign in with. "
            "Use your account's address as the sender.",
        ),
    ),
    _rule(
        r"4\.3\.2|concurrent connections",
        _v(
            Action.THROTTLE,
            Scope.CONNECTION,
            "The server allows fewer connections at once (Microsoft 365: 3). Use fewer "
            "connections; sending pauses for a minute.",
            MINUTE,
        ),
    ),
    _rule(
        r"5\.2\.25[0-9]",
        _v(
            Action.THROTTLE,
            Scope.ACCOUNT,
            "Microsoft 365 is throttling the account after repeated errors. Sending pauses "
            "for 15 minutes.",
            15 * MINUTE,
        ),
    ),
    _rule(
        r"5\.2\.2\b",
        _v(
            Action.STOP,
            Scope.ACCOUNT,
            "Your own mailbox is full (the server keeps a copy of each sent message). "
            "Free some space, then resume.",
        ),
        codes=(554,),
        stages=(Stage.DATA, Stage.MESSAGE, Stage.MAIL),
    ),
    _rule(
        r"ANTISPAM_BAT|too frequently",
        _v(
            Action.THROTTLE,
            Scope.ACCOUNT,
            "The server says you are sending too frequently (Aliyun anti-spam). Sending slows "
            "down and pauses for 5 minutes.",
            5 * MINUTE,
        ),
    ),
    _rule(
        r"unusual rate|unsolicited mail",
        _v(
            Action.THROTTLE,
            Scope.ACCOUNT,
            "The server saw an unusual rate of mail from this account. Sending slows down and "
            "pauses for an hour.",
            HOUR,
        ),
    ),
    _rule(
        r"4\.5\.3|too many recipients",
        _v(
            Action.RETRY,
            Scope.RECIPIENT,
            "The server accepts fewer recipients per message; the refused ones are retried later.",
        ),
        codes=(452, 552, 451, 450),
    ),
    _rule(
        r"\b4\.7\.0\b",
        _v(
            Action.THROTTLE,
            Scope.ACCOUNT,
            "The server refused logins for now (too many attempts). Herald waits 10 minutes "
            "before signing in again.",
            10 * MINUTE,
        ),
        codes=(454,),
        stages=(Stage.AUTH,),
    ),
)

_THROTTLE_TEXT = re.compile(
    r"rate.?limit|throttl|too many (messages|mails|emails|connections|sessions)|"
    r"try (again )?later|slow down|too fast|frequen",
    re.IGNORECASE,
)


def _reason_with(prefix: str, reply: Reply) -> str:
    return f"{prefix} (server said: {reply})"


def _classify_no_reply(reply: Reply) -> Verdict:
    if reply.stage is Stage.MESSAGE:
        return _v(
            Action.UNKNOWN,
            Scope.MESSAGE,
            "The connection broke after the whole message was sent but before the server "
            "confirmed it. It may have been delivered, so Herald will not resend it without "
            "your word.",
        )
    return _v(
        Action.RETRY,
        Scope.CONNECTION,
        "The connection to the server was lost before the message was sent. Herald "
        "reconnects and tries again.",
    )


def _transient(reply: Reply, code: int) -> Verdict:
    enhanced = enhanced_code(reply.text)
    if code == 421:
        # 421 may come at any command: the server closes; reconnect after a pause.
        return _v(
            Action.THROTTLE,
            Scope.CONNECTION,
            _reason_with("The server closed the connection for now; Herald reconnects", reply),
            MINUTE,
        )
    if (enhanced is not None and enhanced[1] == 7) or _THROTTLE_TEXT.search(reply.text):
        return _v(
            Action.THROTTLE,
            Scope.ACCOUNT,
            _reason_with("The server is pushing back; Herald slows down", reply),
            MINUTE,
        )
    scope = {
        Stage.RCPT: Scope.RECIPIENT,
        Stage.MAIL: Scope.MESSAGE,
        Stage.DATA: Scope.MESSAGE,
        Stage.MESSAGE: Scope.MESSAGE,
    }.get(reply.stage, Scope.CONNECTION)
    return _v(
        Action.RETRY,
        scope,
        _reason_with("Temporary failure; it is retried later", reply),
    )


def _permanent(reply: Reply) -> Verdict:
    stage = reply.stage
    text = reply.text
    if stage is Stage.AUTH:
        return _v(
            Action.STOP,
            Scope.ACCOUNT,
            _reason_with("The server refused the login. Check the user name and password", reply),
        )
    if stage is Stage.CONNECT:
        return _v(
            Action.STOP,
            Scope.ACCOUNT,
            _reason_with("The server refused the connection", reply),
        )
    if re.search(r"relay", text, re.IGNORECASE) or reply.code == 530:
        return _v(
            Action.STOP,
            Scope.ACCOUNT,
            _reason_with(
                "The server will not accept mail from this connection: sign in (set a user "
                "name) or use your account's own outgoing server",
                reply,
            ),
        )
    if stage is Stage.RCPT:
        return _v(
            Action.FAIL,
            Scope.RECIPIENT,
            _reason_with("The server refused this recipient; it is not retried", reply),
        )
    if stage is Stage.MAIL:
        enhanced = enhanced_code(text)
        if reply.code == 552 or (enhanced is not None and enhanced[1:] == (3, 4)):
            return _v(
                Action.FAIL,
                Scope.MESSAGE,
                _reason_with("The message is too large for this server", reply),
            )
        return _v(
            Action.STOP,
            Scope.ACCOUNT,
            _reason_with(
                "The server refused the sender address; check the From address matches the account",
                reply,
            ),
        )
    return _v(
        Action.FAIL,
        Scope.MESSAGE,
        _reason_with("The server rejected this message; it is not retried", reply),
    )


def classify(reply: Reply) -> Verdict:
    """What the engine should do about `reply`: see the module docstring."""
    code = reply.code
    if code is None:
        return _classify_no_reply(reply)
    if 200 <= code < 400:
        return _v(Action.SUCCESS, Scope.MESSAGE, "Accepted by the server.")
    for rule in _PROVIDER_RULES:
        if rule.matches(reply):
            return rule.verdict
    if 400 <= code < 500:
        return _transient(reply, code)
    if 500 <= code < 600:
        return _permanent(reply)
    return _v(
        Action.RETRY,
        Scope.CONNECTION,
        _reason_with("The server gave a reply Herald does not understand; it reconnects", reply),
    )
