"""Mail-merge templates: a subject and a body (HTML, Markdown or plain text), rendered per row.

    compiled = compile_template(template, table.headers)   # once; InputError on a syntax error
    parts = compiled.render(fields, row=7)                  # per row; TemplateRenderError

Writing templates (also in docs/TEMPLATES.md):

* `{{ Name }}` prints a column. Headers that are valid identifiers work directly, Chinese ones
  included: `{{ 姓名 }}`. Every column, whatever its header (spaces, hyphens, punctuation), is
  also reachable as `{{ row["First name"] }}`. A column literally called `row` is `row["row"]`.
* Jinja2 runs in a `SandboxedEnvironment` with `StrictUndefined`: a misspelt field is an error
  naming the field, the template line and the columns that exist; `{{ ''.__class__ }}` and the
  like are refused.
* Escaping: the HTML body is autoescaped; in a Markdown body every printed value is escaped for
  Markdown (a cell cannot add markup or links); the subject and plain text are never escaped.
* Values print as the sheet shows them: dates as `2024-03-01`, whole numbers without `.0`.
  Filters: `default` (Jinja's), `date` (`{{ joined|date("%d %B %Y") }}`), `number`
  (`{{ n|number }}` -> 1,234,567; `number(2)`), `money` (`{{ amount|money("¥") }}`).
* Each message renders within a budget (limits.py): 2 s and 10 MB by default; a template
  that loops, multiplies or pads past it is a row problem saying which.
* The plain-text alternative is the separate text template when given, otherwise generated from
  the HTML by inscriptis.
"""

from app.core.templates.compiled import (
    CompiledTemplate,
    RenderedParts,
    TemplateRenderError,
    compile_template,
)
from app.core.templates.limits import RenderLimits, RenderPostponed

__all__ = [
    "CompiledTemplate",
    "RenderLimits",
    "RenderPostponed",
    "RenderedParts",
    "TemplateRenderError",
    "compile_template",
]
