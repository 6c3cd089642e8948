"""Compile a Template once; render it for each row into subject, HTML and plain text."""

from __future__ import annotations

import difflib
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.meta import find_undeclared_variables
from jinja2.sandbox import SandboxedEnvironment

from app.core.model import BodyKind, CellValue, InputError, Problem, ProblemKind, Template
from app.core.templates import bodies, limits
from app.core.templates.environment import (
    Escaping,
    MissingField,
    collect_outputs,
    guard_loops,
    make_environment,
)
from app.core.templates.limits import (
    RenderLimitError,
    RenderLimits,
    RenderMeter,
    RenderPostponed,
)

#: The name under which every column is reachable, whatever its header: row["First name"].
ROW = "row"

_PART_NAMES = {"subject": "subject", "body": "body", "text": "plain-text body"}


@dataclass(frozen=True, slots=True)
class RenderedParts:
    """One row's rendered template. `html` is None for plain-text templates."""

    subject: str
    html: str | None
    text: str


class TemplateRenderError(Exception):
    """A row could not be rendered (misspelt field, sandbox violation, failing filter)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


_ENVIRONMENTS: dict[Escaping, SandboxedEnvironment] = {}


def _environment(escaping: Escaping) -> SandboxedEnvironment:
    env = _ENVIRONMENTS.get(escaping)
    if env is None:
        env = _ENVIRONMENTS[escaping] = make_environment(escaping)
    return env


def _filename(part: str) -> str:
    return f"<herald:{part}>"


def _compile_part(part: str, source: str, escaping: Escaping) -> jinja2.Template:
    env = _environment(escaping)
    try:
        ast = guard_loops(env.parse(source, name=part, filename=_filename(part)))
        code = env.compile(ast, name=part, filename=_filename(part))
    except TemplateSyntaxError as exc:
        raise InputError(
            Problem(
                kind=ProblemKind.TEMPLATE_ERROR,
                line=exc.lineno,
                message=(
                    f"The {_PART_NAMES[part]} template has an error on line {exc.lineno}: "
                    f"{exc.message}. Fix the template and check again."
                ),
            )
        ) from exc
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def _fields_used(part_sources: Mapping[str, tuple[str, Escaping]]) -> frozenset[str]:
    used: set[str] = set()
    for source, escaping in part_sources.values():
        env = _environment(escaping)
        ast = env.parse(source)
        used |= find_undeclared_variables(ast) - set(env.globals)
        # row["First name"] and row.Company name a column too
        for attr in ast.find_all(nodes.Getattr):
            if isinstance(attr.node, nodes.Name) and attr.node.name == ROW:
                used.add(attr.attr)
        for item in ast.find_all(nodes.Getitem):
            key = item.arg
            on_row = isinstance(item.node, nodes.Name) and item.node.name == ROW
            if on_row and isinstance(key, nodes.Const) and isinstance(key.value, str):
                used.add(key.value)
    used.discard(ROW)
    return frozenset(used)


#: Guards that make a missing name harmless: {{ Nick|default("friend") }}, `is defined`.
_GUARD_FILTERS = frozenset({"default", "d"})
_GUARD_TESTS = frozenset({"defined", "undefined"})


def _unknown_fields(
    part_sources: Mapping[str, tuple[str, Escaping]], columns: Sequence[str]
) -> dict[str, tuple[str, int]]:
    """Fields the template needs that are not columns: name -> (part, first line).

    A name is a field when the template reads it without defining it (`set`, `for`, macro
    arguments and Jinja's globals are not fields), or reads row.X / row["X"]. Names that are
    guarded anywhere (a `default` filter, an `is defined` test) are optional, and
    `row.get(...)`-style method calls are not fields either.
    """
    known = set(columns)
    found: dict[str, tuple[str, int]] = {}
    for part, (source, escaping) in part_sources.items():
        env = _environment(escaping)
        ast = env.parse(source)
        free = find_undeclared_variables(ast) - set(env.globals) - {ROW}
        guarded: set[str] = set()
        for guard in (*ast.find_all(nodes.Filter), *ast.find_all(nodes.Test)):
            names = _GUARD_FILTERS if isinstance(guard, nodes.Filter) else _GUARD_TESTS
            if guard.name in names and guard.node is not None:
                guarded |= _names_in(guard.node)
        called = {id(call.node) for call in ast.find_all(nodes.Call)}
        uses: list[tuple[str, int]] = [
            (n.name, n.lineno) for n in ast.find_all(nodes.Name) if n.name in free
        ]
        for attr in ast.find_all(nodes.Getattr):
            if _is_row(attr.node) and id(attr) not in called:
                uses.append((attr.attr, attr.lineno))
        for item in ast.find_all(nodes.Getitem):
            key = item.arg
            if _is_row(item.node) and isinstance(key, nodes.Const) and isinstance(key.value, str):
                uses.append((key.value, item.lineno))
        for name, line in sorted(uses, key=lambda use: use[1]):
            if name not in known and name not in guarded and name not in found:
                found[name] = (part, line)
    return found


def _is_row(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Name) and node.name == ROW


def _names_in(node: nodes.Node) -> set[str]:
    """The field names an expression reads: `Nick`, row.Nick, row["Nick"]."""
    names = {n.name for n in node.find_all(nodes.Name)}
    if isinstance(node, nodes.Name):
        names.add(node.name)
    for sub in (node, *node.find_all(nodes.Getattr), *node.find_all(nodes.Getitem)):
        if isinstance(sub, nodes.Getattr) and _is_row(sub.node):
            names.add(sub.attr)
        elif (
            isinstance(sub, nodes.Getitem)
            and _is_row(sub.node)
            and isinstance(sub.arg, nodes.Const)
            and isinstance(sub.arg.value, str)
        ):
            names.add(sub.arg.value)
    return names


def _template_line(tb: TracebackType | None, part: str) -> int | None:
    line = None
    for frame in traceback.extract_tb(tb):
        if frame.filename == _filename(part):
            line = frame.lineno
    return line


class CompiledTemplate:
    """A template compiled once (recompiling per row is ~60x slower); render() per row."""

    def __init__(
        self, template: Template, columns: Sequence[str], budget: RenderLimits | None = None
    ) -> None:
        self.kind = template.kind
        # looked up now, not at import, so a test can swap the default (and its clock)
        self.limits = budget if budget is not None else limits.DEFAULT_LIMITS
        # Set by the first row that runs out of time: every later row would too, and at
        # 2 s a row, checking 10,000 rows would take hours; they are refused at once instead.
        self._too_slow_on: int | None = None
        self._too_slow: Problem | None = None
        self.columns = tuple(columns)
        body_escaping = {
            BodyKind.HTML: Escaping.HTML,
            BodyKind.MARKDOWN: Escaping.MARKDOWN,
            BodyKind.TEXT: Escaping.PLAIN,
        }[template.kind]
        sources: dict[str, tuple[str, Escaping]] = {
            "subject": (template.subject, Escaping.PLAIN),
            "body": (template.body, body_escaping),
        }
        if template.text is not None:
            sources["text"] = (template.text, Escaping.PLAIN)
        self._subject = _compile_part("subject", template.subject, Escaping.PLAIN)
        self._body = _compile_part("body", template.body, body_escaping)
        self._text = (
            None if template.text is None else _compile_part("text", template.text, Escaping.PLAIN)
        )
        self.fields_used: frozenset[str] = _fields_used(sources)
        self._sources = sources

    def render(
        self,
        fields: Mapping[str, CellValue],
        *,
        row: int | None = None,
        slice_seconds: float | None = None,
    ) -> RenderedParts:
        """One row's parts, within the time and size budget of one message (limits.py).

        `slice_seconds`: give up after that long with RenderPostponed (not a row problem),
        for a caller that would rather finish the row somewhere else (the window's thread).
        """
        # After a row ran out of time, that row and the ones after it are refused at once (a
        # 10,000-row check would take hours); rows before it rendered within the budget and
        # still do, so a send after `check` (or a resume) gets the very rows `check` passed.
        if self._too_slow is not None and (
            row is None or self._too_slow_on is None or row >= self._too_slow_on
        ):
            same_row = row == self._too_slow_on
            raise TemplateRenderError(self._too_slow if same_row else self._skipped(row))
        context: dict[str, object] = dict(fields)
        context[ROW] = fields
        meter = RenderMeter(self.limits, slice_seconds)
        token = limits.metering(meter)
        try:
            subject = self._render("subject", self._subject, context, row)
            html, text = self._render_body(context, row)
            if self._text is not None:
                text = self._render("text", self._text, context, row)
            self._check_size(meter, row, subject, html, text)
        finally:
            limits.stop_metering(token)
        return RenderedParts(subject=subject, html=html, text=text)

    def _check_size(self, meter: RenderMeter, row: int | None, *parts: str | None) -> None:
        # the converters (Markdown, inscriptis) run outside the sandbox: time them here too
        try:
            meter.tick()
            total = sum(len(p) for p in parts if p)
            if total * 4 > meter.limits.max_bytes:  # cheap until it might matter
                total = sum(len(p.encode("utf-8", "replace")) for p in parts if p)
            meter.allow(total)
        except RenderLimitError as exc:  # (RenderPostponed passes through)
            problem = self._problem("body", exc, row)
            if exc.too_slow and row is not None:
                self._too_slow_on, self._too_slow = row, problem
            raise TemplateRenderError(problem) from exc

    def _skipped(self, row: int | None) -> Problem:
        return Problem(
            kind=ProblemKind.TEMPLATE_ERROR,
            row=row,
            message=(
                f"Not rendered: the template took too long on row {self._too_slow_on} "
                f"(more than {self.limits.seconds:g} s for one message), so the other rows "
                "were not tried. Make its loops smaller and check again."
            ),
        )

    def _render_body(self, context: dict[str, object], row: int | None) -> tuple[str | None, str]:
        if self.kind is BodyKind.TEXT:
            return None, self._render("body", self._body, context, row)
        with collect_outputs() as values:
            skeleton = self._render("body", self._body, context, row)
        fast = (
            bodies.html_body(skeleton, values)
            if self.kind is BodyKind.HTML
            else bodies.markdown_body(skeleton, values)
        )
        if fast is not None:
            return fast
        # A token did not survive (see bodies.py): convert this row's real output directly.
        html = self._render("body", self._body, context, row)
        if self.kind is BodyKind.MARKDOWN:
            html = bodies.markdown_to_html(html)
        return html, bodies.html_to_text(html)

    def _render(
        self, part: str, template: jinja2.Template, context: dict[str, object], row: int | None
    ) -> str:
        meter = limits.current()
        try:
            # Template.render, but with the output counted and timed as it is produced.
            env = template.environment
            ctx = template.new_context(context)
            try:
                chunks = template.root_render_func(ctx)
                return meter.collect(chunks) if meter is not None else "".join(chunks)
            except Exception:
                env.handle_exception()  # re-raises with the template's lines in the traceback
        except RenderPostponed:
            raise  # the caller's slice is over: not the row's fault
        except Exception as exc:  # any failure inside user template code is a row problem
            problem = self._problem(part, exc, row)
            if isinstance(exc, RenderLimitError) and exc.too_slow and row is not None:
                self._too_slow_on, self._too_slow = row, problem
            raise TemplateRenderError(problem) from exc

    def _problem(self, part: str, exc: Exception, row: int | None) -> Problem:
        line = _template_line(exc.__traceback__, part)
        where = f"The {_PART_NAMES[part]} template" + (f", line {line}" if line else "")
        if isinstance(exc, MissingField) and exc.name is not None:
            message = f"{where}: `{exc.name}` is not a column. " + self._columns_hint(exc.name)
        elif isinstance(exc, jinja2.UndefinedError):
            message = f"{where}: uses something that does not exist ({exc.message})."
        elif isinstance(exc, RenderLimitError):
            message = f"{where}: {exc.describe()}. Check the template and the values."
        elif isinstance(exc, MemoryError):
            message = (
                f"{where}: makes a message too large (the computer ran out of memory). "
                "Make what it repeats or multiplies smaller."
            )
        elif isinstance(exc, SecurityError):
            message = (
                f"{where}: tries something Herald's template sandbox does not allow ({exc}). "
                "Templates may print fields and use filters; remove that expression."
            )
        else:
            reason = str(exc) or type(exc).__name__  # a bare MemoryError() says nothing
            message = f"{where}: failed on this row: {reason}. Check the template and the values."
        return Problem(kind=ProblemKind.TEMPLATE_ERROR, message=message, row=row, line=line)

    def unknown_fields(self) -> dict[str, tuple[str, int]]:
        """Fields read without a guard that no column has: name -> (part, first line)."""
        return _unknown_fields(self._sources, self.columns)

    def check_fields(self) -> None:
        """Refuse a template that reads a field no column has (a misspelt `{{ Nmae }}`):
        it would fail on every row, so the whole template is unusable. Said once, not per
        row. Raises InputError(TEMPLATE_ERROR) naming each such field with its line."""
        unknown = self.unknown_fields()
        if not unknown:
            return
        said = []
        for name, (part, line) in unknown.items():
            close = difflib.get_close_matches(name, self.columns, n=1)
            guess = f"; did you mean `{close[0]}`?" if close else ""
            said.append(f"`{name}` (the {_PART_NAMES[part]} template, line {line}{guess})")
        first_line = next(iter(unknown.values()))[1]
        columns = ", ".join(self.columns) or "(none)"
        noun = "a field that is not a column" if len(said) == 1 else "fields that are not columns"
        raise InputError(
            Problem(
                kind=ProblemKind.TEMPLATE_ERROR,
                line=first_line,
                message=(
                    f"The template uses {noun}: {', '.join(said)}. Columns: {columns}. "
                    "Correct the name in the template (names with spaces or punctuation are "
                    'written row["Column name"]), or use {{ name|default("...") }} for a '
                    "column that may be missing."
                ),
            )
        )

    def _columns_hint(self, name: str) -> str:
        columns = ", ".join(self.columns) or "(none)"
        close = difflib.get_close_matches(name, self.columns, n=1)
        guess = f"Did you mean `{close[0]}`? " if close else ""
        return (
            f"{guess}Columns: {columns}. Names with spaces or punctuation are written "
            f'row["Column name"].'
        )


def compile_template(
    template: Template, columns: Sequence[str], budget: RenderLimits | None = None
) -> CompiledTemplate:
    """Compile every part of `template`; raises InputError(TEMPLATE_ERROR) on a syntax error.
    Each later `render` keeps to `limits` (2 s and 10 MB a message by default)."""
    return CompiledTemplate(template, columns, budget)
