"""The QA report as one HTML page a person can read.

The page is self-contained (inline style, no script, no external resource; its content
security policy forbids loading any) so it can be mailed, archived or opened from disk.
Everything from a document or an engine is escaped: a segment reading ``<script>``
shows as text. Inline tags are drawn as badges (``g1``, ``/g1``, ``x2/``) so a
misplaced or repaired tag is visible. Text cells carry ``dir="auto"``: an Arabic or
Hebrew target reads right to left; the badges carry their own direction, so a target
that starts with a tag still takes its direction from its first letter.

A finding's span (code points of the target's plain text, see `iris.qa.checks.Span`)
is marked in the target cell, the tags around it still drawn, and quoted beside the
finding's message; a position (an empty span) is a thin bar there, quoted with the text
around it. A span that does not fit its target (a report from elsewhere, a check's
mistake) is not shown.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

from iris.docx import TagError, plain_text, tokenize
from iris.qa.checks import Severity, Span

#: the order of the severity columns: what must be fixed first
SEVERITIES = (Severity.ERROR, Severity.WARNING)
#: code points of a span quoted beside its finding, and of the text either side of a
#: position
EXCERPT, CONTEXT = 60, 12

_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d1d1f;background:#fff}
h1{font-size:22px;margin:0 0 12px}h2{font-size:17px;margin:28px 0 8px}
table{border-collapse:collapse}th,td{border:1px solid #ccd;padding:4px 10px;text-align:left}
th{background:#eef0f6}td.n{text-align:right;font-variant-numeric:tabular-nums}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}
dt{font-weight:600}dd{margin:0}
.finding{border:1px solid #ccd;border-radius:6px;margin:12px 0;padding:8px 12px}
.finding h3{font-size:14px;margin:0 0 6px}.unit{color:#667;font-weight:normal}
.issues{margin:0 0 8px;padding-left:18px}
.sev{display:inline-block;border-radius:3px;padding:0 6px;color:#fff;font-size:12px}
.sev-error{background:#c62828}.sev-warning{background:#b26a00}
.check,.check-row{font-family:monospace;font-weight:600}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.pair h4{font-size:12px;color:#667;margin:0 0 2px;text-transform:uppercase}
.text{white-space:pre-wrap;background:#f7f7fa;padding:6px 8px;border-radius:4px}
.tag{display:inline-block;font:11px/1.3 monospace;color:#2340a0;background:#dfe6ff;
border:1px solid #9fb1f0;border-radius:3px;padding:0 3px;margin:0 1px}
mark{background:#ffe58a}.excerpt{white-space:pre-wrap}
mark.at{display:inline-block;width:0;height:1.1em;vertical-align:text-bottom;margin:0 1px;
border-left:2px solid #c62828;background:none}
"""
#: where a position span points: an empty element, so the text reads and copies as it is
_POSITION = '<mark class="at" title="here"></mark>'
_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def counts_by_check(entries: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """``{check: {severity: n}}`` over the issues of the report's flagged segments."""
    counted = Counter(
        (issue["check"], issue["severity"]) for entry in entries for issue in entry["issues"]
    )
    table: dict[str, dict[str, int]] = {}
    for (check, severity), n in sorted(counted.items()):
        table.setdefault(check, {})[severity] = n
    return table


def render_html(report: Mapping[str, Any]) -> str:
    """The QA report (the JSON of `iris.jobs.steps.verification.qa_report`) as a page."""
    entries = report.get("issues", [])
    by_check = report.get("counts_by_check") or counts_by_check(entries)
    findings = sum(len(entry["issues"]) for entry in entries)
    title = f"QA report: {report.get('title') or report.get('job', '')}"
    body = "".join(
        (
            f'<h1 dir="auto">{escape(title)}</h1>',
            _metadata(report),
            _totals(report, len(entries), findings),
            _check_table(by_check),
            f"<h2>Findings ({findings})</h2>",
            "".join(_finding(entry, report) for entry in entries) or "<p>No findings.</p>",
        )
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def _metadata(report: Mapping[str, Any]) -> str:
    languages = f"{report.get('source_lang', '?')} → {report.get('target_lang', '?')}"
    rows = [
        ("Job", report.get("job")),
        ("Title", report.get("title")),
        ("Languages", languages if "source_lang" in report else None),
        ("Engine", report.get("engine")),
    ]
    shown = "".join(
        f'<dt>{name}</dt><dd dir="auto">{escape(str(value))}</dd>' for name, value in rows if value
    )
    return f'<dl class="meta">{shown}</dl>'


def _totals(report: Mapping[str, Any], flagged: int, findings: int) -> str:
    rows = [("segments", report.get("segments", 0))]
    rows += [(f"segments {status}", n) for status, n in report.get("status_counts", {}).items()]
    rows += [("segments with findings", flagged), ("findings", findings)]
    cells = "".join(f'<tr><th>{escape(name)}</th><td class="n">{n}</td></tr>' for name, n in rows)
    return f'<h2>Totals</h2><table class="totals">{cells}</table>'


def _check_table(by_check: Mapping[str, Mapping[str, int]]) -> str:
    if not by_check:
        return ""
    present = {severity for row in by_check.values() for severity in row}
    severities = [str(s) for s in SEVERITIES if s in present]
    severities += sorted(present - set(severities))  # any a future check may add
    head = "".join(f"<th>{escape(s)}</th>" for s in (*severities, "total"))
    rows = "".join(
        f'<tr><th scope="row" class="check-row">{escape(check)}</th>'
        + "".join(f'<td class="n">{row.get(s, 0)}</td>' for s in severities)
        + f'<td class="n">{sum(row.values())}</td></tr>'
        for check, row in sorted(by_check.items())
    )
    return (
        f'<h2>Findings by check and severity</h2><table class="by-check">'
        f"<tr><th>check</th>{head}</tr>{rows}</table>"
    )


def _finding(entry: Mapping[str, Any], report: Mapping[str, Any]) -> str:
    unit = f' <span class="unit">unit {escape(str(entry.get("unit_id", "")))}</span>'
    target = str(entry.get("target", ""))
    plain = _plain(target)
    spans = [_span(issue.get("span"), plain) for issue in entry["issues"]]
    issues = "".join(
        _issue(issue, plain, span) for issue, span in zip(entry["issues"], spans, strict=True)
    )
    pair = "".join(
        (
            _text_cell("Source", str(entry.get("source", "")), report.get("source_lang", "")),
            _text_cell("Target", target, report.get("target_lang", ""), spans),
        )
    )
    return (
        f'<section class="finding"><h3>Segment {escape(str(entry.get("order", "")))}{unit}</h3>'
        f'<ul class="issues">{issues}</ul><div class="pair">{pair}</div></section>'
    )


def _plain(tagged: str) -> str | None:
    try:
        return plain_text(tagged)
    except TagError:
        return None  # shown as it is: no offset into it means anything


def _span(value: object, plain: str | None) -> Span | None:
    """``[start, end]`` from the JSON as a span of ``plain``, None when it is anything
    else: missing, not two integers, backwards or beyond the text."""
    if plain is None or not isinstance(value, list | tuple) or len(value) != 2:
        return None
    start, end = value
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (start, end)):
        return None
    return (start, end) if 0 <= start <= end <= len(plain) else None


def _issue(issue: Mapping[str, Any], plain: str | None, span: Span | None) -> str:
    severity = str(issue.get("severity", ""))
    concerned = _excerpt(plain, span) if plain is not None and span is not None else ""
    return (
        f'<li><span class="sev sev-{escape(severity)}">{escape(severity)}</span> '
        f'<span class="check">{escape(str(issue.get("check", "")))}</span>: '
        f'<span dir="auto">{escape(str(issue.get("message", "")))}</span>{concerned}</li>'
    )


def _excerpt(plain: str, span: Span) -> str:
    """The part of the target a finding concerns, quoted beside its message: the span's
    text marked, or the text around a position with the position's bar."""
    start, end = span
    if start < end:
        text = plain[start:end]
        shown = (
            f"<mark>{escape(text if len(text) <= EXCERPT else text[: EXCERPT - 1] + '…')}</mark>"
        )
    else:
        before = ("…" if start > CONTEXT else "") + plain[max(start - CONTEXT, 0) : start]
        after = plain[start : start + CONTEXT] + ("…" if len(plain) > start + CONTEXT else "")
        shown = f"{escape(before)}{_POSITION}{escape(after)}"
    return f' — in the target: <span class="excerpt" dir="auto">{shown}</span>'


def _text_cell(label: str, tagged: str, lang: str, spans: Sequence[Span | None] = ()) -> str:
    lang_attribute = f' lang="{escape(lang)}"' if lang else ""
    marked = [span for span in spans if span is not None]
    return (
        f'<div><h4>{label}</h4><div class="text {label.lower()}" dir="auto"{lang_attribute}>'
        f"{tagged_html(tagged, marked)}</div></div>"
    )


def tagged_html(tagged: str, spans: Sequence[Span] = ()) -> str:
    """Tagged unit text as HTML: text escaped, each tag a badge, the text the ``spans``
    of its plain text cover marked and a bar where an empty span (a position) points.

    Text whose tags cannot be read (an engine's damaged output) is shown as it is,
    escaped and unmarked, so the damage is what the reader sees.
    """
    try:
        tokens = tokenize(tagged)
    except TagError:
        return escape(tagged)
    pieces, offset = [], 0
    for token in tokens:
        if token.id is not None:
            pieces.append(_badge(token.text))
            continue
        pieces.append(_marked(token.text, offset, spans))
        offset += len(token.text)
    # A position at the very end (a missing final mark) follows the last tag.
    if any(start == end == offset for start, end in spans):
        pieces.append(_POSITION)
    return "".join(pieces)


def _marked(text: str, offset: int, spans: Sequence[Span]) -> str:
    """One stretch of text (at ``offset`` of the plain text), escaped, with what the
    spans cover of it marked and bars where positions in it point."""
    end = offset + len(text)
    covered = [
        (max(a, offset) - offset, min(b, end) - offset)
        for a, b in spans
        if a < end and b > offset and a < b
    ]
    positions = {a - offset for a, b in spans if a == b and offset <= a < end}
    cuts = sorted({0, len(text), *positions, *itertools.chain.from_iterable(covered)})
    pieces = []
    for low, high in itertools.pairwise(cuts):
        if low in positions:
            pieces.append(_POSITION)
        piece = escape(text[low:high])
        inside = any(a <= low and high <= b for a, b in covered)
        pieces.append(f"<mark>{piece}</mark>" if inside else piece)
    return "".join(pieces)


def _badge(tag: str) -> str:
    # dir="ltr": a badge's own direction keeps dir="auto" on the cell from reading the
    # tag's Latin name as the start of the text.
    return f'<span class="tag" dir="ltr" title="{escape(tag)}">{escape(tag.strip("<>"))}</span>'
