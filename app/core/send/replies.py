"""Classify every SMTP reply by scope (recipient, message, connection, account) and by what to do.

The code alone is not enough: several providers answer 5xx for what is really a quota or a rate
limit (Gmail `550 5.4.5`, QQ `550 ... frequency limited`), and 4xx for a spam verdict that will
not change on retry. So known texts (app/data/replies.toml: Postfix, Exim, Sendmail, Microsoft 365,
Gmail, QQ/Exmail, NetEase 163/126, Aliyun) are matched first, in file order, then the generic
RFC 5321 / RFC 3463 rules. Reasons are plain English for the user; the server's own words
travel alongside in the Reply.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

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
class ReplyRule:
    """A known reply (one `[[rule]]` of app/data/replies.toml): all given conditions must hold."""

    id: str
    verdict: Verdict
    pattern: re.Pattern[str] | None = None
    enhanced: re.Pattern[str] | None = None
    codes: frozenset[int] | None = None
    stages: frozenset[Stage] | None = None

    def matches(self, reply: Reply) -> bool:
        if self.codes is not None and reply.code not in self.codes:
            return False
        if self.stages is not None and reply.stage not in self.stages:
            return False
        if self.enhanced is not None:
            found = enhanced_code(reply.text)
            if found is None or not self.enhanced.fullmatch(".".join(map(str, found))):
                return False
        return self.pattern is None or self.pattern.search(reply.text) is not None


class ReplyTableError(ValueError):
    """The replies file is malformed; the message names the rule and the field."""


_RULE_FIELDS = {"id", "match", "enhanced", "codes", "stages", "action", "scope", "pause"}
_RULE_FIELDS |= {"reason", "source"}


def _rule_from(entry: dict[str, Any], index: int) -> ReplyRule:
    where = f"rule #{index + 1} ({entry.get('id', '?')})"
    unknown = set(entry) - _RULE_FIELDS
    if unknown:
        raise ReplyTableError(f"{where}: unknown field(s) {sorted(unknown)}")
    for key in ("id", "action", "scope", "reason", "source"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise ReplyTableError(f"{where}: '{key}' is missing")
    if "match" not in entry and "enhanced" not in entry:
        raise ReplyTableError(f"{where}: give 'match' or 'enhanced'")
    try:
        action, scope = Action(entry["action"]), Scope(entry["scope"])
        stages = entry.get("stages")
        pattern = re.compile(entry["match"], re.IGNORECASE) if "match" in entry else None
        enhanced = re.compile(entry["enhanced"]) if "enhanced" in entry else None
        rule = ReplyRule(
            id=entry["id"],
            verdict=_v(action, scope, entry["reason"], entry.get("pause")),
            pattern=pattern,
            enhanced=enhanced,
            codes=frozenset(entry["codes"]) if "codes" in entry else None,
            stages=frozenset(Stage(s) for s in stages) if stages is not None else None,
        )
    except (ValueError, re.error) as error:
        raise ReplyTableError(f"{where}: {error}") from None
    return rule


def _default_path() -> Path:
    return Path(str(resources.files("app").joinpath("data", "replies.toml")))


@cache
def load_rules(path: Path | None = None) -> tuple[ReplyRule, ...]:
    """The known replies of app/data/replies.toml (or `path`), in file order."""
    with (path or _default_path()).open("rb") as handle:
        data = tomllib.load(handle)
    rules = tuple(_rule_from(dict(e), i) for i, e in enumerate(data.get("rule", [])))
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise ReplyTableError(f"{path or _default_path()}: duplicate rule ids")
    return rules


def matching_rule(reply: Reply) -> ReplyRule | None:
    """The first known reply that `reply` matches, if any."""
    return next((rule for rule in load_rules() if rule.matches(reply)), None)


def _v(action: Action, scope: Scope, reason: str, pause: float | None = None) -> Verdict:
    return Verdict(action=action, scope=scope, reason=reason, pause_seconds=pause)


# Push-back words for replies no rule knows. At RCPT only these count: a bare 4.7.x there is
# the recipient's server policy (greylisting and the like), which concerns that address alone.
_THROTTLE_TEXT = re.compile(
    r"rate.?limit|throttl|too many (messages|mails|emails|connections|sessions)|"
    r"slow down|too fast|frequen|too much mail|rate exceeds",
    re.IGNORECASE,
)
_LATER = re.compile(r"try (again )?later", re.IGNORECASE)
_BEFORE_MAIL = (Stage.CONNECT, Stage.AUTH)


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


ACCOUNT_REFUSED = "The server refuses to relay for this account: sign in or check the account."


def _transient(reply: Reply, code: int) -> Verdict:
    enhanced = enhanced_code(reply.text)
    if code == 421:
        # 421 may come at any command: the server closes; reconnect after Herald's backoff
        # (a few seconds at first, longer if the server keeps refusing). Refused at the door
        # it concerns that connection; refused for a message, it is the server's rate.
        scope = Scope.CONNECTION if reply.stage in _BEFORE_MAIL else Scope.ACCOUNT
        return _v(
            Action.THROTTLE,
            scope,
            _reason_with("The server closed the connection for now; Herald reconnects", reply),
        )
    pushback = _THROTTLE_TEXT.search(reply.text) is not None
    if reply.stage is not Stage.RCPT:
        pushback = pushback or (enhanced is not None and enhanced[1] == 7)
        pushback = pushback or _LATER.search(reply.text) is not None
    if pushback:
        return _v(
            Action.THROTTLE,
            Scope.ACCOUNT,
            _reason_with("The server is pushing back; Herald slows down", reply),
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
        return _v(Action.STOP, Scope.ACCOUNT, _reason_with(ACCOUNT_REFUSED[:-1], reply))
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
    rule = matching_rule(reply)
    if rule is not None:
        verdict = rule.verdict
        if verdict.action is Action.STOP and verdict.reason == ACCOUNT_REFUSED:
            return _v(verdict.action, verdict.scope, _reason_with(ACCOUNT_REFUSED[:-1], reply))
        return verdict
    if 400 <= code < 500:
        return _transient(reply, code)
    if 500 <= code < 600:
        return _permanent(reply)
    return _v(
        Action.RETRY,
        Scope.CONNECTION,
        _reason_with("The server gave a reply Herald does not understand; it reconnects", reply),
    )
