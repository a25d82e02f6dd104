"""Rendering reports as Markdown, HTML, PDF (WeasyPrint, from the HTML) or JSON.

HTML templates autoescape everything: text read from documents cannot inject markup.
Markdown escapes the characters that would turn document text into markup or break a
table. JSON carries the same facts as the other formats, as `to_dict()` gives them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from medpolicy.errors import MedpolicyError
from medpolicy.labels import doc_type_label, status_label
from medpolicy.report.chart import code_chart, comparison_chart, policy_chart
from medpolicy.report.model import NOT_AVAILABLE, REPORT_SCHEMA_VERSION, Report
from medpolicy.report.wording import plural, shorten, status_class

FORMATS: tuple[str, ...] = ("md", "html", "pdf", "json")

DESCRIPTION_KINDS = {
    "official": "Official",
    "long": "Official (long)",
    "short": "Official (short)",
    "lay": "Lay",
    "document": "As a document gives it",
}

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_|<>\[\]])")


class UnknownFormat(MedpolicyError, ValueError):
    """A report format other than md, html, pdf or json."""


def render(report: Report, fmt: str) -> bytes:
    """The report as `fmt`: "md", "html", "pdf" or "json"."""
    return render_all([report], fmt)


def render_all(reports: Sequence[Report], fmt: str) -> bytes:
    """Several reports as one document (JSON: one object for one report, else a list)."""
    if fmt not in FORMATS:
        raise UnknownFormat(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
    if not reports:
        raise ValueError("render_all: no report given")
    if fmt == "json":
        dicts = [report_dict(r) for r in reports]
        return (
            json.dumps(dicts[0] if len(dicts) == 1 else dicts, ensure_ascii=False, indent=2) + "\n"
        ).encode()
    if fmt == "md":
        markdown = "\n\n---\n\n".join(
            _environment(html=False).get_template(f"{r.kind}_report.md").render(report=r) for r in reports
        )
        return (markdown.strip() + "\n").encode()
    html = _environment(html=True).get_template("document.html").render(reports=list(reports))
    if fmt == "html":
        return html.encode()
    return html_to_pdf(html)


def report_dict(report: Report) -> dict[str, Any]:
    """The report's facts, JSON-ready, with the schema version of this layout."""
    return {"schema_version": REPORT_SCHEMA_VERSION, **report.to_dict()}


def html_to_pdf(html: str) -> bytes:
    """Lay the HTML out as paged PDF (A4, running header and footer from the stylesheet)."""
    from weasyprint import HTML  # loaded on first PDF: it takes a moment to import

    pdf = HTML(string=html).write_pdf()
    if pdf is None:  # only when writing to a target, never for a string
        raise MedpolicyError("the PDF renderer returned nothing")
    return bytes(pdf)


def markdown_text(value: object) -> str:
    """Document text made safe for one Markdown line or table cell."""
    flat = " ".join(str(value).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def timestamp(iso: str) -> str:
    """ "2026-01-31T09:05:00+00:00" → "2026-01-31 09:05 UTC"."""
    return iso[:16].replace("T", " ") + " UTC" if "T" in iso else iso


@cache
def _environment(html: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("medpolicy.report", "templates"),
        autoescape=html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        status_label=status_label,
        status_class=status_class,
        doc_type=doc_type_label,
        short=shorten,
        plural=plural,
        md=markdown_text,
        when=timestamp,
        kind=lambda kind: DESCRIPTION_KINDS.get(kind, kind),
    )
    env.globals.update(
        NOT_AVAILABLE=NOT_AVAILABLE,
        code_chart=code_chart,
        policy_chart=policy_chart,
        comparison_chart=comparison_chart,
    )
    return env
