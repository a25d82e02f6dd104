"""A strict check that HTML is well-formed: every element closed in order, nothing left open."""

from __future__ import annotations

from html.parser import HTMLParser

VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
# SVG shapes written self-closing (<rect/>) arrive as start-end tags and need no closing tag.


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, tuple[int, int]]] = []
        self.problems: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in VOID_ELEMENTS:
            self.open.append((tag, self.getpos()))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS:
            self.problems.append(f"closing tag for void element <{tag}> at {self.getpos()}")
        elif not self.open or self.open[-1][0] != tag:
            expected = self.open[-1] if self.open else ("nothing", (0, 0))
            self.problems.append(
                f"</{tag}> at {self.getpos()} but <{expected[0]}> from {expected[1]} is open"
            )
        else:
            self.open.pop()


def problems(html: str) -> tuple[list[str], list[str]]:
    """(what is wrong, every tag seen)."""
    checker = _Balance()
    checker.feed(html)
    checker.close()
    left = [f"<{tag}> from {pos} never closed" for tag, pos in checker.open]
    return checker.problems + left, checker.tags
