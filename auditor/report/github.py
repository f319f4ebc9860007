"""GitHub Actions renderer: workflow commands that annotate the changed file.

    ::error file=news/story.txt,line=3,col=14,endLine=3,endColumn=21,title=ENT001 html-entity::Literal HTML entity ...

error -> ::error, warning -> ::warning, info -> ::notice. Values are escaped
as the runner expects (% CR LF in messages; also : and , in properties).
"""

from __future__ import annotations

from auditor.report.check import finding_rows

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(s: str) -> str:
    return _data(s).replace(":", "%3A").replace(",", "%2C")


def render(report, stream, text: str | None = None, path: str | None = None, **_opts) -> None:
    name = path or report.source
    for line, col, end_line, end_col, f in finding_rows(report, text):
        props = [f"file={_prop(name)}", f"line={line}", f"col={col}"]
        if end_line == line:
            props += [f"endLine={end_line}", f"endColumn={end_col}"]
        title = f"{f.code} {f.name}".strip()
        props.append(f"title={_prop(title)}")
        message = f.message + (f" Suggestion: {f.suggestion!r}" if f.suggestion is not None else "")
        stream.write(f"::{LEVEL[f.severity]} {','.join(props)}::{_data(message)}\n")
