"""Running headers and footers found at page edges."""

from __future__ import annotations

from medpolicy.read.furniture import furniture_key, remove_running_lines, running_keys


def _page(number: int, body: list[str]) -> list[str]:
    banner = "Acme Health Plan Medical Policy 7.01.42"
    return [f"Page {number} of 4", banner, *body, f"Revised 0{number}/2025", ""]


def test_key_ignores_digits_spacing_and_case() -> None:
    assert furniture_key("Page  3 of 15 ") == furniture_key("page 12 of 15") == "page # of #"


def test_repeated_edge_lines_are_removed_after_their_first_occurrence() -> None:
    bodies = [["Coverage", "criteria"], ["Coding", "tables"], ["Background", "studies"], ["History", "notes"]]
    pages = [_page(n, body) for n, body in enumerate(bodies, start=1)]
    cleaned = remove_running_lines(pages)
    assert cleaned[0] == pages[0]
    assert cleaned[1:] == [[*body, ""] for body in bodies[1:]]


def test_lines_must_recur_on_half_the_pages() -> None:
    pages = [["Title only here", "body one"], ["body two"], ["body three"], ["body four", "Page 4"]]
    assert running_keys(pages) == set()
    assert remove_running_lines(pages) == pages


def test_repeats_in_the_middle_of_a_page_are_body_text() -> None:
    middle = "Medically necessary when criteria are met"
    pages = [["h1", "h2", "h3", "h4", middle, "f1", "f2", "f3", "f4"] for _ in range(3)]
    pages = [[f"{line} p{n}" if line != middle else line for line in page] for n, page in enumerate(pages)]
    assert middle.casefold() not in running_keys(pages)
    assert all(middle in page for page in remove_running_lines(pages))


def test_single_page_has_no_running_lines() -> None:
    assert remove_running_lines([["Page 1 of 1", "text"]]) == [["Page 1 of 1", "text"]]
