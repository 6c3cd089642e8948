"""Each message renders within a time and size budget; the clock is injected, never waited on."""

from __future__ import annotations

import pytest

from app.core.model import BodyKind, ProblemKind, Template
from app.core.templates import RenderLimits, TemplateRenderError, compile_template
from app.core.templates.compiled import _environment
from app.core.templates.environment import Escaping

FIELDS = {"Name": "Ann", "Count": 3}


class StepClock:
    """Every reading is `step` seconds after the one before: time passes only as the
    renderer looks at the clock, so a deadline is reached after a known number of looks."""

    def __init__(self, step: float = 0.01) -> None:
        self.now = 0.0
        self.step = step
        self.readings = 0

    def __call__(self) -> float:
        self.readings += 1
        self.now += self.step
        return self.now


def compiled(body: str, *, kind: BodyKind = BodyKind.TEXT, **limits: object):
    template = Template(subject="Hi {{ Name }}", body=body, kind=kind)
    return compile_template(template, list(FIELDS), RenderLimits(**limits))  # type: ignore[arg-type]


def failure(body: str, *, row: int = 2, kind: BodyKind = BodyKind.TEXT, **limits: object):
    with pytest.raises(TemplateRenderError) as caught:
        compiled(body, kind=kind, **limits).render(FIELDS, row=row)
    return caught.value.problem


NESTED_LOOPS = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


@pytest.mark.parametrize("kind", [BodyKind.TEXT, BodyKind.HTML, BodyKind.MARKDOWN])
def test_nested_range_loops_stop_at_the_deadline_with_a_clear_error(kind: BodyKind) -> None:
    clock = StepClock(0.01)

    problem = failure(NESTED_LOOPS, kind=kind, seconds=2.0, clock=clock)

    assert "takes too long to render (more than 2 s for one message)" in problem.message
    assert problem.kind is ProblemKind.TEMPLATE_ERROR
    assert problem.row == 2 and problem.line == 1
    # stopped on the first clock reading past the deadline, not after 10^10 turns
    assert clock.readings <= 2.0 / 0.01 + 2


def test_an_empty_loop_body_is_timed_too_each_turn_reads_the_clock() -> None:
    clock = StepClock(0.001)
    template = compiled("{% for i in range(50) %}{% endfor %}done", seconds=10.0, clock=clock)

    assert template.render(FIELDS, row=2).text == "done"
    assert clock.readings >= 50


def test_after_one_row_runs_out_of_time_the_other_rows_are_refused_at_once() -> None:
    clock = StepClock(0.01)
    template = compiled(NESTED_LOOPS, seconds=1.0, clock=clock)
    with pytest.raises(TemplateRenderError):
        template.render(FIELDS, row=2)
    before = clock.readings

    with pytest.raises(TemplateRenderError) as caught:
        template.render(FIELDS, row=3)

    assert clock.readings == before  # nothing rendered
    assert caught.value.problem.row == 3
    assert "took too long on row 2" in caught.value.problem.message


@pytest.mark.parametrize(
    "body",
    [
        "{{ (10**100000000) % 7 }}",
        "{{ 'x' * 500000000 }}",
        "{{ 500000000 * 'x' }}",
        "{{ ['x'] * 500000000 }}",
        "{{ 'x'|center(500000000) }}",
        "{{ 'x'.ljust(500000000) }}",
        "{{ '%500000000s' % 1 }}",
        "{{ '{:>500000000}'.format(1) }}",
        "{{ 'ab'|replace('', 'x' * 10000000) }}",
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
        "{% for i in range(100000) %}{{ 'y' * 200 }}{% endfor %}",
    ],
)
def test_what_would_be_over_the_size_budget_is_refused_before_it_is_made(body: str) -> None:
    clock = StepClock(0.0)  # time stands still: only the size budget can stop these

    problem = failure(body, clock=clock)

    assert "makes a message too large (more than 10 MB of text)" in problem.message


def test_the_size_budget_counts_what_is_printed_as_it_is_printed() -> None:
    body = "{% for i in range(1000) %}{{ Name }}{% endfor %}"  # 3,000 + the subject's 6
    assert len(compiled(body, max_bytes=3006).render(FIELDS).text) == 3000

    problem = failure(body, max_bytes=3005)

    assert "makes a message too large (more than 3,005 bytes of text)" in problem.message


def test_the_size_budget_counts_utf8_bytes_of_the_finished_parts() -> None:
    body = "{% for i in range(1000) %}汉{% endfor %}"  # 1,000 characters, 3,000 bytes

    assert "too large" in failure(body, max_bytes=3005).message
    assert compiled(body, max_bytes=3006).render(FIELDS).text.count("汉") == 1000


def test_ordinary_templates_render_as_before_under_the_budget() -> None:
    body = (
        "{% for i in range(Count) %}{{ loop.index }}/{{ loop.length }} {% endfor %}"
        "{{ Name|center(7) }}|{{ 2 ** 10 }}|{{ 'ab' * 2 }}|{{ '%05d' % 42 }}|{{ [1] + [2] }}"
    )
    assert compiled(body).render(FIELDS).text == "1/3 2/3 3/3   Ann  |1024|abab|00042|[1, 2]"


def test_a_memory_error_is_reported_as_too_large_not_as_an_empty_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def exhausted(value: object, *args: object) -> str:
        raise MemoryError  # what Python raises, with no text, when an allocation fails

    template = compiled("{{ Count|number }}")
    monkeypatch.setitem(_environment(Escaping.PLAIN).filters, "number", exhausted)
    # the filter is looked up at compile time: compile again with the exhausted one
    template = compiled("{{ Count|number }}")

    with pytest.raises(TemplateRenderError) as caught:
        template.render(FIELDS, row=4)

    message = caught.value.problem.message
    assert "too large" in message and "ran out of memory" in message
    assert "failed on this row: ." not in message


def test_the_default_budget_is_2_seconds_and_10_mb() -> None:
    limits = RenderLimits()
    assert (limits.seconds, limits.max_bytes) == (2.0, 10 * 1024 * 1024)
