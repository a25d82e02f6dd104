"""Writing a generated `Document` as plain text, an HTML web page, a DOCX file or a PDF.

Every writer is deterministic: the same document gives the same bytes (DOCX archives
get fixed timestamps, PDFs fixed metadata and identifier).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from html import escape

from blocks import Block, Document, Heading, Items, Paragraph, Table

FORMATS: tuple[str, ...] = ("txt", "html", "docx", "pdf")
_PAGE_CHARS = 3600  # characters per page of paged text output
_FIXED_TIME = (2024, 1, 1, 0, 0, 0)


def write(document: Document, fmt: str) -> bytes:
    """The document's bytes in format `fmt` (one of FORMATS)."""
    if fmt == "txt":
        return to_text(document).encode("utf-8")
    if fmt == "html":
        return to_html(document, web_page=True).encode("utf-8")
    if fmt == "docx":
        return to_docx(document)
    if fmt == "pdf":
        return to_pdf(document)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


# ---------------------------------------------------------------- text


def _text_lines(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return ["", block.text, ""]
    if isinstance(block, Paragraph):
        return [block.text, ""]
    if isinstance(block, Items):
        markers = block.markers or ("•",) * len(block.items)
        return [f"{marker} {item}" for marker, item in zip(markers, block.items, strict=True)] + [""]
    if isinstance(block, Table):
        return ["\t".join(block.header), *("\t".join(row) for row in block.rows), ""]
    if block.style == "leaders":
        return [f"{label} {'.' * max(3, 34 - len(label))} {value}" for label, value in block.pairs] + [""]
    if block.style == "stacked":
        return [line for label, value in block.pairs for line in (label, value)] + [""]
    return [f"{label}: {value}" for label, value in block.pairs] + [""]


def to_text(document: Document) -> str:
    lines = [line for block in document.blocks for line in _text_lines(block)]
    if document.footer:
        lines.append(document.footer)
    if not document.paged:
        return "\n".join(lines) + "\n"
    pages: list[list[str]] = [[]]
    size = 0
    for line in lines:
        if size > _PAGE_CHARS and not line:
            pages.append([])
            size = 0
        pages[-1].append(line)
        size += len(line) + 1
    out: list[str] = []
    for number, page in enumerate(pages, start=1):
        if number > 1:
            out.append(document.running_header)
        out.extend(page)
        out.append(f"Page {number} of {len(pages)}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- HTML

_SITE_CSS = """body{font-family:Arial,Helvetica,sans-serif;margin:0;color:#222}
.site-header{background:#12355b;color:#fff;padding:8px 24px}.site-header a{color:#fff;margin-right:18px}
main{max-width:960px;margin:0 auto;padding:16px 24px}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #bbb;padding:4px 6px;vertical-align:top;text-align:left}
.breadcrumb{font-size:12px;padding:6px 24px}footer{font-size:11px;color:#555;padding:16px 24px}"""
_PRINT_CSS = """@page{size:Letter;margin:2cm 1.8cm;
@top-center{content:string(running);font-size:8pt;color:#555}
@bottom-center{content:"Page " counter(page) " of " counter(pages);font-size:8pt}}
body{font-family:"DejaVu Sans",sans-serif;font-size:9.5pt}.running{string-set:running content();display:none}
table{border-collapse:collapse;width:100%}
td,th{border:0.5pt solid #999;padding:2pt 4pt;vertical-align:top;text-align:left}
h1{font-size:15pt}h2{font-size:12pt}h3{font-size:10.5pt}"""
_NAV = ("Home", "Members", "Providers", "Employers", "Medical Policies", "Pharmacy", "Contact Us")


def _html_block(block: Block) -> str:
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 4)
        return f"<h{level}>{escape(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        text = escape(block.text)
        return f"<p><strong>{text}</strong></p>" if block.strong else f"<p>{text}</p>"
    if isinstance(block, Items):
        if block.markers is None:
            return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in block.items) + "</ul>"
        return (
            "<ol>"
            + "".join(
                f'<li><span class="marker">{escape(marker)}</span> {escape(item)}</li>'
                for marker, item in zip(block.markers, block.items, strict=True)
            )
            + "</ol>"
        )
    if isinstance(block, Table):
        head = "".join(f"<th>{escape(cell)}</th>" for cell in block.header)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in block.rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if block.style == "stacked":
        return (
            "<dl>"
            + "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in block.pairs)
            + "</dl>"
        )
    return "".join(
        f"<p><strong>{escape(label)}:</strong> {escape(value)}</p>" for label, value in block.pairs
    )


def to_html(document: Document, *, web_page: bool) -> str:
    """A web page (site header, navigation, footer, scripts) or a print page (for PDF rendering)."""
    body = "\n".join(_html_block(block) for block in document.blocks)
    title = escape(document.title)
    if not web_page:
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>' + title + "</title>"
            '<meta name="dcterms.created" content="2024-01-01T00:00:00Z">'
            '<meta name="dcterms.modified" content="2024-01-01T00:00:00Z">'
            f"<style>{_PRINT_CSS}</style></head><body>"
            f'<div class="running">{escape(document.running_header)}</div>'
            f"{body}<p>{escape(document.footer)}</p></body></html>"
        )
    nav = "".join(f'<li><a href="/{item.lower().replace(" ", "-")}">{item}</a></li>' for item in _NAV)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<title>{title}</title>\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<style>{_SITE_CSS}</style>\n<script>window.siteConfig={{"section":"policies","v":3}};</script>\n'
        '</head>\n<body>\n<header class="site-header"><nav><ul>' + nav + "</ul></nav></header>\n"
        '<nav class="breadcrumb"><a href="/">Home</a> › <a href="/medical-policies">Medical Policies</a> › '
        f"{title}</nav>\n"
        f"<main><article>\n{body}\n</article></main>\n"
        f'<footer><p>{escape(document.footer)}</p><p><a href="/privacy">Privacy</a> | '
        '<a href="/terms">Terms of Use</a> | <a href="/accessibility">Accessibility</a></p></footer>\n'
        "<script>document.querySelectorAll('table').forEach(function(t){t.dataset.ready='1';});</script>\n"
        "</body>\n</html>\n"
    )


# ---------------------------------------------------------------- DOCX


def to_docx(document: Document) -> bytes:
    import docx  # imported here: only DOCX output needs python-docx

    out = docx.Document()
    section = out.sections[0]
    section.header.paragraphs[0].text = document.running_header
    section.footer.paragraphs[0].text = document.footer
    for block in document.blocks:
        if isinstance(block, Heading):
            out.add_heading(block.text, level=min(max(block.level, 1), 4))
        elif isinstance(block, Paragraph):
            paragraph = out.add_paragraph()
            paragraph.add_run(block.text).bold = block.strong
        elif isinstance(block, Items):
            for i, item in enumerate(block.items):
                if block.markers is None:
                    out.add_paragraph(item, style="List Bullet")
                else:
                    out.add_paragraph(f"{block.markers[i]} {item}")
        elif isinstance(block, Table):
            table = out.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.header, strict=True):
                cell.text = text
            for row in block.rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
        else:
            for label, value in block.pairs:
                out.add_paragraph(f"{label}: {value}")
    properties = out.core_properties
    properties.title = document.title
    properties.author = "medpolicy benchmark corpus"
    stamp = dt.datetime(*_FIXED_TIME)
    properties.created = properties.modified = properties.last_printed = stamp
    buffer = io.BytesIO()
    out.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """The same archive with every member stamped with one fixed time (python-docx stamps the clock)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(
                zipfile.ZipInfo(info.filename, _FIXED_TIME),
                source.read(info.filename),
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return buffer.getvalue()


# ---------------------------------------------------------------- PDF


def to_pdf(document: Document) -> bytes:
    import weasyprint  # imported here: only PDF output needs WeasyPrint (slow to import)

    html = to_html(document, web_page=False)
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    pdf = weasyprint.HTML(string=html).write_pdf(pdf_identifier=identifier)
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return bytes(pdf)
