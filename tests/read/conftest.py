"""Documents the reader tests run on, generated at test time from text written here."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

THREE_PAGE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><style>
@page { size: A5; margin: 2.5cm 1.5cm;
  @top-center { content: "Acme Health Plan · Medical Policy MP-042"; font-size: 9pt }
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 9pt } }
body { font-family: sans-serif; font-size: 11pt }
h2 { break-before: page }
td, th { border: 1px solid #999; padding: 2px 6px }
</style></head><body>
<h1>Gastric Pacing</h1>
<p>The device is considered bio&#x2010;<br>logical in part and long-<br>term results are unknown.</p>
<p>Long-term follow-up after gastro-<br>intestinal surgery is needed; gastrointestinal
symptoms are common. Roux-<br>en-Y bypass (Roux-en-Y) is covered for adults-<br>when criteria are met.
The LAP-<br>BAND device is adjustable.</p>
<h2>Coding Information</h2>
<table><tr><th>Code</th><th>Description</th></tr>
<tr><td>43644</td><td>Laparoscopic gastric bypass</td></tr>
<tr><td>43775</td><td>Laparoscopic sleeve gastrectomy</td></tr></table>
<h2>References</h2>
<p>1. Example reference on the third page.</p>
</body></html>
"""


@pytest.fixture(scope="session")
def three_page_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3-page PDF with a running header and footer, line-end hyphens and a code table."""
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    path = tmp_path_factory.mktemp("pdf") / "gastric-pacing.pdf"
    path.write_bytes(weasyprint.HTML(string=THREE_PAGE_HTML).write_pdf())
    return path
