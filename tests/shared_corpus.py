"""Where the shared real documents live: `shared/` beside the repository (as CI lays it out)."""

from __future__ import annotations

import os
from pathlib import Path

SHARED = Path(os.environ.get("MEDPOLICY_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
DEV_DOCS = SHARED / "corpus" / "dev" / "docs"
DEV_GOLD = SHARED / "corpus" / "dev" / "gold"
MCD_SAMPLE = SHARED / "corpus" / "mcd" / "sample"
CIGNA_PDF = SHARED / "corpus" / "raw" / "cigna-0051-bariatric-surgery.pdf"
