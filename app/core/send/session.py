"""One send, set up once for every front end: account, limits, journal and engine.

`herald send` and the window used to each choose the server, build `SmtpSettings`, find the
password, open or recover the journal and wire clock, `RateLimiter`, `EngineOptions` and
`SendEngine` together; the window's "Account:" label, its confirmation and the connection it
really made could disagree. Here they are one object: a `SendSession` is built from a campaign,
an `Account` (chosen once, by `choose_account`) and a `Pace` (the limits, clamped to the
provider's published caps); its label, its plan and the connection its engine opens all come
from the same values.

Truths kept here, so no front end can forget them:
- a send through the local test outbox is a *test*: it has its own journal (`test=True` paths,
  never found by the real journals' search), so it can never use up the campaign;
- nothing to send means no journal: `create_journal` refuses before writing one, and a start
  that fails after the journal was written removes it again (`discard`);
- the journal records the sending identity (server, port, login, From); a resume through a
  different one is reported (`AccountMismatch`) and never silent;
- "Start over" puts the old journal aside (`archive_journal`), it never deletes it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.campaign import Campaign, SendConfig
from app.core.journal import Journal, JournalError, JournalLocked, SnapshotRow
from app.core.journal.locate import archive_journal, is_outbox_run
from app.core.journal.snapshot import JsonValue
from app.core.profiles import Profile, ProfileStore
from app.core.providers import (
    Provider,
    clamp_connections,
    clamp_limits,
    get_provider,
    load_providers,
)
from app.core.send import prepare
from app.core.send.contracts import BearerCredential
from app.core.send.limiter import Limits
from app.core.send.schedule import Schedule, ScheduleError
from app.core.send.tls import is_loopback
from app.core.send.transport import Security, SmtpConnector, SmtpSettings

if TYPE_CHECKING:
    from app.core.outbox import LocalOutbox
    from app.core.send.contracts import Clock
    from app.core.send.engine import SendEngine
    from app.core.send.events import AnyEvent, Finished
    from app.core.send.limiter import RateLimiter

LOCAL = prepare.LOCAL_PRESET
#: Names that mean the embedded local test outbox: `herald send --profile local` and the
#: window's built-in "outbox" account.
LOCAL_NAMES = frozenset({LOCAL, "outbox"})
DEFAULT_PER_CONNECTION = 100
_DEFAULT_PORTS = {Security.TLS: 465, Security.STARTTLS: 587, Security.NONE: 25}
_OPEN_STATES = ("pending", "deferred", "sending")


class SetupError(ValueError):
    """The account or the campaign cannot be sent as set; the message says what to fix."""


class NothingToSend(SetupError):
    """No row can be sent: no journal is written (a campaign is never stuck on an empty one)."""


class AccountMismatch(SetupError):
    """The journal was started through another sending identity than the one chosen now."""

    def __init__(self, started: SendIdentity, chosen: SendIdentity) -> None:
        self.started, self.chosen = started, chosen
        super().__init__(
            f"this send was started through {started.label()}, but {chosen.label()} is "
            "chosen now. Choose the account it started with to continue it, or start over."
        )


# --------------------------------------------------------------------------- the account


@dataclass(frozen=True)
class AccountChoice:
    """What the user asked for; what is None comes from the campaign file, a saved profile
    (`app.core.profiles`, the window's accounts) or the provider preset, in that order."""

    profile: str | None = None
    host: str | None = None
    port: int | None = None
    security: str | None = None
    user: str | None = None
    cafile: Path | None = None


@dataclass(frozen=True)
class Account:
    """The account a send goes through: every front end labels, confirms and connects with
    this one value."""

    name: str  # the keychain entry (`herald login NAME`) and the label's name
    host: str
    port: int  # for the local outbox: the wanted port (it may listen elsewhere if taken)
    security: Security
    user: str | None = None
    cafile: Path | None = None
    local: bool = False
    provider: Provider | None = None
    saved: Profile | None = None  # the saved profile it came from, if any
    max_per_connection: int | None = None  # the campaign's or the preset's, if either says
    warnings: tuple[str, ...] = ()

    @property
    def profile(self) -> str:
        """The keychain entry's name (what `herald send` called the target's profile)."""
        return self.name

    def label(self) -> str:
        """In English for the command line; the window builds its own from the fields."""
        if self.local:
            return "the local test outbox (nothing leaves this computer)"
        who = f"{self.user} at " if self.user else ""
        return f"{who}{self.host}:{self.port} ({self.security})"

    def settings(
        self, port: int | None = None, max_per_connection: int | None = None
    ) -> SmtpSettings:
        """The transport's settings; the local outbox is always on 127.0.0.1 (`port`: where
        it really listens)."""
        return SmtpSettings(
            host="127.0.0.1" if self.local else self.host,
            port=port if port is not None else self.port,
            security=Security.NONE if self.local else self.security,
            username=None if self.local else self.user,
            cafile=None if self.local else self.cafile,
            max_messages_per_connection=max_per_connection
            or self.max_per_connection
            or DEFAULT_PER_CONNECTION,
        )

    def identity(self, sender: str | None = None) -> SendIdentity:
        if self.local:
            return SendIdentity(local=True, sender=sender)
        return SendIdentity(
            host=self.host, port=self.port, user=self.user or None, sender=sender, local=False
        )


def local_account(port: int | None = None) -> Account:
    return Account(
        name=LOCAL,
        host="127.0.0.1",
        port=port or prepare.local_outbox_port(),
        security=Security.NONE,
        local=True,
    )


def account_from_profile(profile: Profile, send: SendConfig | None = None) -> Account:
    """The account of a profile as the window holds it (saved or being edited): the built-in
    outbox (preset `outbox`, or the `local` preset) is the local test outbox. Raises
    SetupError without a server."""
    if profile.provider in LOCAL_NAMES:  # by its preset: a user may name an account "local"
        return local_account()
    if not profile.host:
        raise SetupError(f"the account {profile.name!r} has no SMTP server set.")
    try:
        provider: Provider | None = get_provider(profile.provider)
    except (KeyError, ValueError):
        provider = None
    warnings = []
    if profile.security is Security.NONE and not is_loopback(profile.host):
        warnings.append(
            f"security none: everything sent to {profile.host} travels unencrypted and can be "
            "read on the way. Use tls or starttls unless this server is on your own network."
        )
    per_connection = (send.max_per_connection if send else None) or (
        provider.messages_per_connection if provider else None
    )
    return Account(
        name=profile.name,
        host=profile.host,
        port=profile.port,
        security=profile.security,
        user=profile.user or None,
        cafile=Path(profile.cafile) if profile.cafile else None,
        provider=provider,
        saved=profile,
        max_per_connection=per_connection,
        warnings=tuple(warnings),
    )


def choose_account(
    choice: AccountChoice,
    send: SendConfig | None = None,
    *,
    store: ProfileStore | None = None,
) -> Account:
    """The account a send goes through. The choice wins over the campaign's `send` settings,
    which win over a saved profile, which wins over the provider preset. No server and no
    profile (or `local` / `outbox`) is the embedded local test outbox. Raises SetupError
    naming what is missing."""
    send = send or SendConfig()
    profile = choice.profile or send.profile
    host = choice.host or send.smtp_host
    if host is None and (profile is None or profile in LOCAL_NAMES):
        return local_account(choice.port or send.smtp_port)
    saved, provider = _profile_and_preset(profile, store)
    host = host or (saved.host if saved else "") or (provider.host if provider else "")
    if not host:
        raise SetupError("no SMTP server given: add --smtp-host HOST (or --profile NAME).")
    chosen = (
        choice.security
        or send.security
        or (saved.security if saved else None)
        or (provider.security if provider else None)
    )
    port = (
        choice.port
        or send.smtp_port
        or (saved.port if saved else None)
        or (provider.port if provider and not chosen else None)
    )
    if chosen is None:
        chosen = "tls" if port == 465 else "starttls"
    security = Security(str(chosen))
    port = port or (provider.port if provider else _DEFAULT_PORTS[security])
    warnings = []
    if security is Security.NONE and not is_loopback(host):
        warnings.append(
            f"--security none: everything sent to {host} travels unencrypted and can be read "
            "on the way. Use tls or starttls unless this server is on your own network."
        )
    cafile = choice.cafile or (Path(saved.cafile) if saved and saved.cafile else None)
    if cafile is not None and security is not Security.NONE:
        _check_cafile(cafile)
    return Account(
        name=profile or host,
        host=host,
        port=port,
        security=security,
        user=choice.user or send.user or (saved.user if saved else None) or None,
        cafile=cafile,
        provider=provider,
        saved=saved,
        max_per_connection=send.max_per_connection
        or (provider.messages_per_connection if provider else None),
        warnings=tuple(warnings),
    )


def _profile_and_preset(
    name: str | None, store: ProfileStore | None
) -> tuple[Profile | None, Provider | None]:
    """The profile saved under `name` (if any) and the provider preset that applies: the saved
    profile's own preset, else the preset called `name`. A saved profile wins over a preset of
    the same name: it is what this user set up. Raises SetupError naming every saved profile
    and preset when `name` is neither."""
    if name in (None, LOCAL, "custom"):
        return None, None
    store = store or ProfileStore()
    saved = store.get(name)
    preset_id = saved.provider if saved is not None else name
    if preset_id in (LOCAL, "custom", ""):
        return saved, None
    try:
        return saved, get_provider(preset_id)
    except KeyError:
        if saved is not None:  # an unknown preset in a saved profile: its own settings suffice
            return saved, None
    names = ", ".join(sorted(store.profiles())) or "none"
    presets = ", ".join(p.id for p in load_providers())
    raise SetupError(
        f"--profile {name!r} is neither a saved profile nor a provider preset. Saved profiles "
        f"({store.path}): {names}. Presets: {presets}. Save the account in the window's SMTP "
        "profiles, or give the server with --smtp-host."
    )


# ------------------------------------------------------------------------------ the pace


@dataclass(frozen=True)
class Pace:
    """How fast: the limiter's limits and the parallel connections, within the provider's caps."""

    limits: Limits = field(default_factory=Limits)
    connections: int = 1
    max_per_connection: int = DEFAULT_PER_CONNECTION
    warnings: tuple[str, ...] = ()  # what was lowered or looks risky (English)


def choose_pace(
    account: Account,
    send: SendConfig | None = None,
    *,
    rates: tuple[str, ...] = (),
    connections: int | None = None,
) -> Pace:
    """The limits for `herald send`: options (`rates`, `connections`) win over the campaign's,
    which win over the saved profile's (the limits set in the window), then the provider's
    caps apply (`within_caps`). Raises RateError for an unreadable rate."""
    send = send or SendConfig()
    saved = account.saved
    other: dict[str, float | None] = {
        "min_interval": send.pause if send.pause is not None else (saved.pause if saved else 0.0),
        "jitter": send.jitter if send.jitter is not None else (saved.jitter if saved else 0.0),
        "bandwidth_kbps": send.bandwidth_kbps,  # large attachments to many saturate an uplink
    }
    chosen_rates = rates or send.rates
    if chosen_rates or saved is None:
        limits = Limits.from_rates(chosen_rates, **other)
    else:
        limits = Limits(
            per_second=saved.per_second or None,
            per_minute=saved.per_minute or None,
            per_hour=saved.per_hour or None,
            per_day=saved.per_day or None,
            **other,  # type: ignore[arg-type]
        )
    wanted = connections or send.connections or (saved.connections if saved else None) or 1
    return within_caps(account, limits, wanted, account.max_per_connection)


def within_caps(
    account: Account,
    limits: Limits,
    connections: int = 1,
    max_per_connection: int | None = None,
) -> Pace:
    """The limits inside the caps the account's provider publishes (both front ends)."""
    warnings = list(account.warnings)
    if account.provider is not None:
        limits, notes = clamp_limits(limits, account.provider)
        warnings.extend(notes)
        connections, notes = clamp_connections(connections, account.provider)
        warnings.extend(notes)
    return Pace(
        limits=limits,
        connections=connections,
        max_per_connection=max_per_connection
        or account.max_per_connection
        or DEFAULT_PER_CONNECTION,
        warnings=tuple(warnings),
    )


# -------------------------------------------------------------------------- the identity


@dataclass(frozen=True)
class SendIdentity:
    """Who a send goes out as, recorded in the journal when it starts and compared on resume."""

    host: str | None = None
    port: int | None = None
    user: str | None = None
    sender: str | None = None  # the From address
    local: bool = False

    def to_settings(self) -> dict[str, JsonValue]:
        return {"port": self.port, "sender": self.sender, "test": self.local}

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> SendIdentity:
        """From a journal's settings; journals from before the identity was recorded have
        only profile, host and login (their outbox runs are recognised by the profile)."""
        local = bool(settings.get("test")) or str(settings.get("profile")) in LOCAL_NAMES
        sender = _text(settings.get("sender")) or _text(settings.get("from"))
        if local:
            return cls(local=True, sender=sender)
        port = settings.get("port")
        return cls(
            host=_text(settings.get("host")),
            port=int(port) if isinstance(port, int) else None,
            user=_text(settings.get("user")),
            sender=sender,
        )

    def differences(self, other: SendIdentity) -> list[str]:
        """What differs from `other`, as field names; a field one side did not record (an
        older journal) is not a difference."""
        if self.local != other.local:
            return ["account"]
        found = []
        for name in ("host", "port", "user", "sender"):
            mine, theirs = getattr(self, name), getattr(other, name)
            if mine is None or theirs is None:
                continue
            same = mine.lower() == theirs.lower() if isinstance(mine, str) else mine == theirs
            if not same:
                found.append(name)
        return found

    def label(self) -> str:
        if self.local:
            return "the local test outbox"
        who = f"{self.user} at " if self.user else ""
        where = f"{self.host}:{self.port}" if self.port else f"{self.host}"
        return f"{who}{where}" + (f" (From {self.sender})" if self.sender else "")


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


# --------------------------------------------------------------------------- the session


@dataclass(frozen=True)
class RunOptions:
    """The engine's options that are not pace: retries and a cap on this run."""

    retry_delay: float = 60.0
    max_attempts: int = 3
    limit: int | None = None
    # start time, sending hours and days; None: any time (on resume: as the journal recorded)
    schedule: Schedule | None = None


@dataclass(frozen=True)
class JournalState:
    """What an existing journal of this campaign says, read without taking its lock."""

    path: Path
    counts: Mapping[str, int]
    identity: SendIdentity

    @property
    def remaining(self) -> int:
        return sum(self.counts.get(state, 0) for state in _OPEN_STATES)

    @property
    def done(self) -> int:
        return sum(self.counts.get(state, 0) for state in ("sent", "failed", "unknown"))


@dataclass(frozen=True)
class SendPlan:
    """What the confirmation shows, from the same values the engine will use."""

    account: str  # English label (the window builds its own from `SendSession.account`)
    sender: str
    count: int
    test: bool
    resuming: bool
    estimate_seconds: float | None


def estimate_seconds(count: int, limits: Limits, message_bytes: int = 0) -> float | None:
    """Duration at the chosen caps (the server may be slower); None without any cap."""
    if count <= 0:
        return 0.0
    pace = [1.0 / limits.per_second if limits.per_second else 0.0]
    pace.append(60.0 / limits.per_minute if limits.per_minute else 0.0)
    pace.append(3600.0 / limits.per_hour if limits.per_hour else 0.0)
    pace.append(limits.min_interval + limits.jitter / 2)
    if limits.bandwidth_kbps and message_bytes:
        pace.append(message_bytes / (limits.bandwidth_kbps * 1024))
    if not any(pace) and not limits.per_day:
        return None
    seconds = count * max(pace)
    if limits.per_day and count > limits.per_day:
        seconds = max(seconds, (count // limits.per_day) * 86400.0)
    return seconds


def _check_cafile(cafile: Path) -> None:
    """A missing or unusable trusted certificate is refused before anything starts (before,
    every connection failed as "connection lost" for minutes)."""
    from app.core.send.contracts import SecurityRefused
    from app.core.send.tls import check_trusted_certificate

    try:
        check_trusted_certificate(cafile)
    except SecurityRefused as refused:
        raise SetupError(f"{refused.reply.text} {refused.hint}") from None


def oauth_credential(account: Account) -> BearerCredential | None:
    """The account's OAuth sign-in (a token source) when its saved profile signs in with
    OAuth, else None (a password). Raises SetupError for a sign-in that cannot be set up."""
    from app.core.oauth import OAuthError, token_source_for

    saved = account.saved
    if account.local or not account.user or saved is None or not saved.oauth:
        return None
    try:
        return token_source_for(replace(saved, user=account.user))
    except OAuthError as exc:
        raise SetupError(str(exc)) from None


def find_credential(account: Account) -> str | BearerCredential | None:
    """What the connector signs in with: the OAuth sign-in, else the password."""
    return oauth_credential(account) or find_password(account)


def find_password(account: Account) -> str | None:
    """Environment (`HERALD_SMTP_PASSWORD`) first, then the keychain entry of the account's
    name; None without a login or when neither has one. Raises KeychainUnavailable."""
    from app.core.secrets import get_password, password_from_env

    if account.local or not account.user:
        return None
    return password_from_env() or get_password(account.name, account.user)


class SendSession:
    """One campaign sent through one account at one pace. Build it, look at `account`,
    `plan()` and `existing()`, then `create_journal()` or `open_journal()`, then `start()`."""

    def __init__(
        self,
        campaign: Campaign,
        account: Account,
        pace: Pace | None = None,
        *,
        campaign_file: Path | None,
        run_options: RunOptions | None = None,
        password: Callable[[], str | BearerCredential | None] | None = None,
        name: str | None = None,
    ) -> None:
        self.campaign = campaign
        self.account = account
        self.pace = within_caps(
            account,
            (pace or Pace()).limits,
            (pace or Pace()).connections,
            (pace or Pace()).max_per_connection,
        )
        self.campaign_file = campaign_file
        self.run_options = run_options or RunOptions()
        self.password = password or (lambda: find_credential(account))
        self.name = name or (campaign_file.stem if campaign_file is not None else "campaign")

    # ---- what the front ends show -------------------------------------------------------

    @property
    def test(self) -> bool:
        """Through the local test outbox: nothing leaves this computer, nothing counts."""
        return self.account.local

    @property
    def sender(self) -> str:
        return self.campaign.settings.sender.address

    @property
    def identity(self) -> SendIdentity:
        return self.account.identity(self.sender)

    @property
    def journal_path(self) -> Path:
        """This session's journal: the real one, or the test run's."""
        return prepare.journal_path(
            self.campaign_file, self.campaign.config.recipients, test=self.test
        )

    @property
    def real_journal_path(self) -> Path:
        return prepare.journal_path(self.campaign_file, self.campaign.config.recipients)

    def label(self) -> str:
        return self.account.label()

    def plan(self, count: int, *, resuming: bool = False, message_bytes: int = 0) -> SendPlan:
        return SendPlan(
            account=self.label(),
            sender=str(self.campaign.settings.sender),
            count=count,
            test=self.test,
            resuming=resuming,
            estimate_seconds=estimate_seconds(count, self.pace.limits, message_bytes),
        )

    def existing(self, *, test: bool | None = None) -> JournalState | None:
        """The journal this session would continue (or, with `test`, the other kind), read
        without its lock; None when there is none or it cannot be read."""
        if test is None:
            with contextlib.suppress(JournalError):  # held by another Herald: read it as is
                self.retire_old_test_journal()
        path = (
            self.journal_path
            if test is None
            else prepare.journal_path(
                self.campaign_file, self.campaign.config.recipients, test=test
            )
        )
        return read_state(path)

    def retire_old_test_journal(self) -> Path | None:
        """A journal under the real name that went to the local outbox (Herald before test
        journals existed) is a rehearsal: moved to the test journal's place, so a real send
        goes to everyone instead of "0 left". Returns where it went (None: nothing to move)."""
        real = self.real_journal_path
        if self.test or not real.is_file() or not is_outbox_run(real):
            return None
        test = prepare.journal_path(self.campaign_file, self.campaign.config.recipients, test=True)
        self._put_aside(test, keep=False)
        Journal.open(real).close()  # refuses while another Herald sends it
        real.rename(test)
        for extra in ("-wal", "-shm"):
            side = Path(f"{real}{extra}")
            if side.exists():
                side.rename(Path(f"{test}{extra}"))
        return test

    def mismatch(self, state: JournalState) -> list[str]:
        return state.identity.differences(self.identity)

    # ---- the journal ------------------------------------------------------------------------

    def snapshot_rows(self) -> Iterator[SnapshotRow]:
        return prepare.snapshot_rows(self.campaign)

    def create_journal(self, rows: Iterable[SnapshotRow] | None = None) -> Journal:
        """Snapshot the campaign into a new journal. A test run replaces the previous test
        run's journal (a rehearsal is never resumed into a real send); a real one refuses to
        overwrite (JournalError: continue it or `start_over`). Raises NothingToSend, writing
        nothing, when no row can be sent."""
        self.retire_old_test_journal()
        rows = iter(rows if rows is not None else self.snapshot_rows())
        first = next(rows, None)
        if first is None:
            raise NothingToSend(
                "no row of this campaign can be sent (every row has a problem, or the "
                "template cannot be filled): nothing was started."
            )
        path = self.journal_path
        if self.test:
            self._put_aside(path, keep=False)
        snapshot = prepare.campaign_snapshot(
            self.campaign,
            campaign_file=self.campaign_file,
            profile=self.account.name,
            host=self.account.host,
            user=self.account.user,
            rows=_chain(first, rows),
            identity=self.identity.to_settings(),
            schedule=self.schedule.to_settings() if self.schedule else None,
        )
        return Journal.create(path, replace(snapshot, name=self.name))

    def open_journal(self, *, allow_other_account: bool = False) -> Journal:
        """Open the journal to continue it, after recovering rows a crash left in `sending`.
        Raises AccountMismatch (the journal is closed again) when it was started through
        another identity, unless `allow_other_account` (the user was asked)."""
        self.retire_old_test_journal()
        journal = Journal.open(self.journal_path)
        try:
            started = SendIdentity.from_settings(journal.settings)
            if started.differences(self.identity) and not allow_other_account:
                raise AccountMismatch(started, self.identity)
            journal.recover()
        except BaseException:
            journal.close()
            raise
        stored = journal.settings.get("schedule")
        if self.run_options.schedule is None and isinstance(stored, dict):
            try:  # the schedule it was started with
                schedule = Schedule.from_settings(stored)
            except ScheduleError:
                schedule = None
            self.run_options = replace(self.run_options, schedule=schedule)
        return journal

    @property
    def schedule(self) -> Schedule | None:
        return self.run_options.schedule

    def start_over(self) -> Path | None:
        """Put this campaign's journal aside (renamed, kept) so the next start snapshots anew.
        Takes the journal's lock first, so a send running elsewhere is refused (JournalLocked).
        Returns where the old journal went (None if there was none)."""
        return self._put_aside(self.journal_path, keep=True)

    @staticmethod
    def _put_aside(path: Path, *, keep: bool) -> Path | None:
        if not path.exists():
            return None
        try:
            Journal.open(path).close()  # refuses while another send holds the journal
        except JournalLocked:
            raise
        except JournalError:
            pass  # unreadable: put aside (or replaced) all the same
        if keep:
            return archive_journal(path)
        for leftover in (path, *(Path(f"{path}{s}") for s in ("-wal", "-shm"))):
            leftover.unlink(missing_ok=True)
        return None

    @staticmethod
    def discard(journal: Journal) -> None:
        """A start that failed after the journal was written (outbox, password, settings):
        remove that journal again when nothing was attempted, so the campaign is not stuck."""
        counts = {str(k): v for k, v in journal.counts().items()}
        untouched = sum(counts.values()) == counts.get("pending", 0)
        path = journal.path
        journal.close()
        if untouched:
            for leftover in (path, *(Path(f"{path}{s}") for s in ("-wal", "-shm"))):
                leftover.unlink(missing_ok=True)

    # ---- the engine -----------------------------------------------------------------------

    async def start(
        self,
        journal: Journal,
        *,
        on_event: Callable[[AnyEvent], None] | None = None,
        clock: Clock | None = None,
    ) -> SendRun:
        """The engine over `journal`, with the local outbox started if this is a test. The
        returned run closes the journal and the outbox when it ends; if this raises, the
        caller still owns the journal (see `discard`)."""
        from app.core.send.clock import SystemClock
        from app.core.send.engine import SendEngine
        from app.core.send.limiter import RateLimiter
        from app.core.send.policy import EngineOptions

        outbox = None
        port = None
        try:
            if self.test:
                outbox = await prepare.start_local_outbox(port=self.account.port)
                port = outbox.listening_port
                journal.set_outbox_used(True)  # the Report offers to open the folder
            clock = clock or SystemClock()
            account = self.account
            limiter = RateLimiter(
                self.pace.limits,
                clock,
                prepare.account_history(
                    account.user,
                    account.host,
                    local=account.local,
                    port=account.port,
                    sender=self.sender,
                ),
            )
            settings = account.settings(port, self.pace.max_per_connection)
            engine = SendEngine(
                journal,
                prepare.message_source(self.campaign, journal),  # recorded Message-IDs
                SmtpConnector(settings, self.password),
                limiter,
                clock,
                EngineOptions(
                    connections=self.pace.connections,
                    max_messages_per_connection=self.pace.max_per_connection,
                    retry_delay=self.run_options.retry_delay,
                    max_attempts=self.run_options.max_attempts,
                    limit=self.run_options.limit,
                    schedule=self.run_options.schedule,
                ),
                on_event=on_event,
            )
        except BaseException:
            if outbox is not None:
                await outbox.stop()
            raise
        run = SendRun(engine, journal, outbox, limiter, settings)
        run.session = self
        return run


def _chain(first: SnapshotRow, rest: Iterator[SnapshotRow]) -> Iterator[SnapshotRow]:
    yield first
    yield from rest


def read_state(path: Path) -> JournalState | None:
    if not path.is_file():
        return None
    try:
        journal = Journal.open_readonly(path)
    except (JournalError, OSError):
        return None
    try:
        counts = {str(k): v for k, v in journal.counts().items()}
        identity = SendIdentity.from_settings(journal.settings)
    finally:
        journal.close()
    return JournalState(path, counts, identity)


class SendRun:
    """One run of the engine over a journal; `run()` always closes what it opened."""

    def __init__(
        self,
        engine: SendEngine,
        journal: Journal,
        outbox: LocalOutbox | None,
        limiter: RateLimiter,
        settings: SmtpSettings,
    ) -> None:
        self.engine, self.journal, self.outbox = engine, journal, outbox
        self.limiter = limiter
        self.settings = settings  # what the connector really connects to
        self.session: SendSession | None = None
        self.resumed = False  # set by the front end that opened the journal to continue it

    def subscribe(self, callback: Callable[[AnyEvent], None]) -> None:
        self.engine.subscribe(callback)

    def pause(self) -> None:
        self.engine.pause()

    def resume(self) -> None:
        self.engine.resume()

    def cancel(self) -> None:
        self.engine.cancel()

    async def run(self) -> Finished:
        try:
            return await self.engine.run()
        finally:
            self.journal.close()
            if self.outbox is not None:
                await self.outbox.stop()
