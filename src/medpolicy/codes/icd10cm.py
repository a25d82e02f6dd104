"""ICD-10-CM FY2026: validity, hierarchy and tabular order, answered offline from simple-icd-10-cm's data.

Validity, hierarchy and order come from the plain code list the package ships (it loads
in milliseconds and lists every chapter, block and code in tabular order); only
descriptions need the library itself, whose import parses the full tabular XML.

Hierarchy functions deal in codes only (categories, subcategories, billable codes);
the chapter holding a code is reported by `chapter`. Tabular order is not string
order: C4A (Merkel cell carcinoma) sits between C43 and C44, and "other specified"
codes such as C96.Z come before the "unspecified" C96.9.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from types import ModuleType

from medpolicy.codes.errors import CodeError
from medpolicy.codes.systems import icd10cm_with_dot

SOURCE = "ICD-10-CM FY2026 (simple-icd-10-cm)"
# A letter, a digit, a letter or digit, then up to four more after an optional dot; unlike the
# document-scanning shape in systems.ICD10CM it admits U codes (U07.1, U09.9).
SHAPE = re.compile(r"^[A-Z]\d[0-9A-Z](?:\.?[0-9A-Z]{1,4})?$")
# What the code set itself admits: FY2026 added codes with a letter second (QA0, QA00.101).
_SET_SHAPE = re.compile(r"^[A-Z][0-9A-Z]{2}(?:\.?[0-9A-Z]{1,4})?$")


@dataclass(frozen=True, slots=True)
class _Tree:
    codes: tuple[str, ...]  # dotted, tabular order
    position: dict[str, int]
    parent: tuple[int | None, ...]
    last_descendant: tuple[int, ...]
    children: dict[int, tuple[int, ...]]
    chapter: tuple[str, ...]  # chapter number of each code


@cache
def _tree() -> _Tree:
    """Read the code list once: descendants follow their ancestor, and a descendant's code extends it."""
    bare_codes: list[str] = []
    chapters: list[str] = []
    seen: set[str] = set()
    current_chapter = ""
    for raw in _code_list().read_text(encoding="utf-8").splitlines():
        item = raw.strip()
        if item.isdigit():
            current_chapter = item
        elif item and "-" not in item and item not in seen:  # a one-category block shares its name (QA0)
            seen.add(item)
            bare_codes.append(item)
            chapters.append(current_chapter)
    parents: list[int | None] = []
    last = list(range(len(bare_codes)))
    children: dict[int, list[int]] = {}
    stack: list[int] = []
    for index, bare in enumerate(bare_codes):
        while stack and not bare.startswith(bare_codes[stack[-1]]):
            last[stack.pop()] = index - 1
        parents.append(stack[-1] if stack else None)
        if stack:
            children.setdefault(stack[-1], []).append(index)
        stack.append(index)
    for open_index in stack:
        last[open_index] = len(bare_codes) - 1
    codes = tuple(icd10cm_with_dot(bare) for bare in bare_codes)
    return _Tree(
        codes=codes,
        position={code: i for i, code in enumerate(codes)},
        parent=tuple(parents),
        last_descendant=tuple(last),
        children={k: tuple(v) for k, v in children.items()},
        chapter=tuple(chapters),
    )


def _code_list() -> Path:
    """The package's plain code list, found without importing the package (whose import parses the XML)."""
    spec = importlib.util.find_spec("simple_icd_10_cm")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("simple_icd_10_cm is not installed")
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    return next(data.glob("code-list*.txt"))


@lru_cache(maxsize=65536)
def is_valid(code: str) -> bool:
    """True when `code` (dotted or not, any case) is a category, subcategory or code of FY2026."""
    candidate = code.strip().upper()
    return bool(_SET_SHAPE.match(candidate)) and icd10cm_with_dot(candidate) in _tree().position


def require(code: str) -> str:
    """`code` in canonical dotted form, or CodeError (a ValueError) when it is not in the FY2026 code set."""
    canonical = icd10cm_with_dot(code.strip())
    if not is_valid(canonical):
        raise CodeError(f"{code!r} is not an ICD-10-CM FY2026 code")
    return canonical


def position(code: str) -> int:
    """Index of `code` in `codes_in_order()`."""
    return _tree().position[require(code)]


def codes_in_order() -> tuple[str, ...]:
    """Every FY2026 code (categories included, chapters and blocks left out) in tabular order."""
    return _tree().codes


def parent(code: str) -> str | None:
    """The code one level up (C34.90 → C34.9), or None for a three-character category."""
    above = _tree().parent[position(code)]
    return None if above is None else _tree().codes[above]


def children(code: str) -> list[str]:
    """The codes one level down, in tabular order."""
    tree = _tree()
    return [tree.codes[i] for i in tree.children.get(position(code), ())]


def is_billable(code: str) -> bool:
    """True for codes with no children: the ones a claim can carry."""
    return position(code) not in _tree().children


def ancestors(code: str) -> list[str]:
    """Every code above `code`, nearest first (C34.90 → ["C34.9", "C34"])."""
    tree = _tree()
    found = []
    above = tree.parent[position(code)]
    while above is not None:
        found.append(tree.codes[above])
        above = tree.parent[above]
    return found


def is_descendant(code: str, of: str) -> bool:
    """True when `code` lies strictly below `of` in the hierarchy (C34.90 below C34)."""
    return require(of) in ancestors(code)


def kind(code: str) -> str:
    """'category', 'subcategory' or 'billable code'."""
    if is_billable(code):
        return "billable code"
    return "category" if parent(code) is None else "subcategory"


def span(code: str) -> tuple[int, int]:
    """Positions of the first billable code under (or at) `code` and of its last descendant.

    Descendants follow their ancestor contiguously in tabular order, so a code's span
    is the stretch of billable codes it stands for.
    """
    tree = _tree()
    start = position(code)
    first_leaf = start
    while first_leaf in tree.children:
        first_leaf = tree.children[first_leaf][0]
    return first_leaf, tree.last_descendant[start]


def nearest_valid(code: str) -> str | None:
    """`code` itself when valid, else its longest valid prefix (C96.Z9 → C96.Z), else None."""
    bare = code.strip().upper().replace(".", "")
    for length in range(len(bare), 2, -1):
        candidate = icd10cm_with_dot(bare[:length])
        if is_valid(candidate):
            return candidate
    return None


@cache
def categories_in_order() -> tuple[str, ...]:
    """The three-character categories in tabular order."""
    return tuple(c for c in codes_in_order() if len(c) == 3)


def description(code: str) -> str:
    return str(_library().get_description(require(code)))


def chapter(code: str) -> str:
    """The tabular chapter holding `code`, e.g. "Chapter 2: Neoplasms (C00-D49)"."""
    number = _tree().chapter[position(code)]
    return f"Chapter {number}: {_library().get_description(number)}"


@cache
def _library() -> ModuleType:
    """simple_icd_10_cm, imported on first use: loading its tabular XML takes a few seconds."""
    import simple_icd_10_cm

    return simple_icd_10_cm
