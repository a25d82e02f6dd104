"""The pages: what they show, that documents cannot inject markup, and that they are accessible."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from fastapi.testclient import TestClient

from medpolicy.web import features


class _Page(HTMLParser):
    """Collects what the tests look at: elements by id, marks, links, labels, inline scripts."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, dict[str, str | None]] = {}
        self.marks: list[dict[str, str | None]] = []
        self.links: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.label_targets: set[str] = set()
        self.inputs: list[dict[str, str | None]] = []
        self.html_lang: str | None = None
        self.landmarks: set[str] = set()
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids[found["id"] or ""] = found | {"tag": tag}
        if tag == "mark":
            self.marks.append(found)
        elif tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        elif tag == "script":
            self.scripts.append(found)
        elif tag == "label" and found.get("for"):
            self.label_targets.add(found["for"] or "")
        elif tag in ("input", "select", "textarea") and found.get("type") not in (
            "hidden",
            "checkbox",
            "submit",
        ):
            self.inputs.append(found)
        elif tag == "html":
            self.html_lang = found.get("lang")
        if tag in ("main", "nav", "header", "footer"):
            self.landmarks.add(tag)


def test_home_page_has_one_search_box_with_suggestions(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = _Page(response.text)
    assert page.html_lang == "en"
    assert {"main", "nav", "header", "footer"} <= page.landmarks
    search_box = page.ids["q"]
    assert "data-suggest" in search_box and search_box["name"] == "q"
    assert "q" in page.label_targets
    assert "Premera Blue Cross" in response.text


def test_every_form_field_has_a_label(client: TestClient, ids: dict[str, int]) -> None:
    for url in ("/", "/search?q=killer", "/matrix?codes=86357", "/changes", "/codes/86357"):
        page = _Page(client.get(url).text)
        for field in page.inputs:
            assert field.get("id") in page.label_targets or field.get("aria-label"), (url, field)


def test_searching_a_code_goes_to_its_page(client: TestClient) -> None:
    response = client.get("/search", params={"q": " 86357 "}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/codes/86357"
    assert client.get("/search", params={"q": ""}, follow_redirects=False).headers["location"] == "/"


def test_search_results_highlight_the_matched_words(client: TestClient, ids: dict[str, int]) -> None:
    response = client.get("/search", params={"q": "natural killer"})
    page = _Page(response.text)
    assert f"/policies/{ids['aetna']}" in page.links
    assert re.search(r"<mark>Natural</mark> <mark>Killer</mark>", response.text, re.IGNORECASE)
    none = client.get("/search", params={"q": "zebra unicorn"})
    assert "No policy matches" in none.text


def test_code_page_shows_each_payer_with_status_statement_and_source(
    client: TestClient, ids: dict[str, int]
) -> None:
    response = client.get("/codes/86357")
    assert response.status_code == 200
    text = response.text
    assert "CPT" in text and "Natural killer (NK) cells, total count" in text
    assert (
        "Adoptive immunotherapy with natural killer cells is medically necessary for relapsed lymphoma."
        in text
    )
    assert "Aetna lists the code as not covered" in text
    assert 'badge tone-negative">Not covered<' in text
    assert 'badge tone-positive">Medically necessary<' in text
    page = _Page(text)
    assert f"/policies/{ids['aetna']}" in page.links
    assert any(
        link.startswith(f"/policies/{ids['premera']}?span=") and link.endswith("#quoted")
        for link in page.links
    )
    if features.available(features.REPORT):
        for fmt in ("pdf", "html", "md"):
            assert f"/api/v1/reports/86357?format={fmt}" in page.links


def test_code_page_says_which_payers_have_no_policy(client: TestClient) -> None:
    text = client.get("/codes/0537T").text
    assert "No policy found" in text
    assert text.index("Premera Blue Cross") < text.index("No policy found")


def test_policy_page_marks_every_fact_at_its_span(client: TestClient, ids: dict[str, int]) -> None:
    response = client.get(f"/policies/{ids['aetna']}")
    assert response.status_code == 200
    page = _Page(response.text)
    anchored = {mark["id"] for mark in page.marks if mark.get("id")}
    fact_links = {link[1:] for link in page.links if link.startswith("#fact-")}
    assert fact_links and fact_links <= anchored
    position = next(m for m in page.marks if "fact-position" in (m.get("class") or ""))
    assert "tone-caution" in (position.get("class") or "")
    code_mark = (
        r'<mark id="fact-code-\d+" class="fact fact-code tone-negative" data-fact="code-\d+">86357</mark>'
    )
    assert re.search(code_mark, response.text)
    assert re.search(r'<mark id="fact-range-\d+"[^>]*>C81\.00-C96\.9</mark>', response.text)


def test_policy_page_marks_the_statement_a_link_pointed_at(client: TestClient, ids: dict[str, int]) -> None:
    found = client.get("/api/v1/codes/86357").json()["policies"]
    start, end = next(p["statement_span"] for p in found if p["policy_id"] == ids["premera"])
    response = client.get(f"/policies/{ids['premera']}", params={"span": f"{start}-{end}"})
    quoted = r'<mark id="quoted" class="quoted" data-fact="quoted"><mark [^>]*>Adoptive immunotherapy'
    assert re.search(quoted, response.text)
    for bad in ("1-0", "0-999999", "x-y", "<script>"):
        assert 'id="quoted"' not in client.get(f"/policies/{ids['aetna']}", params={"span": bad}).text


def test_policy_page_lists_versions_and_what_changed(client: TestClient, ids: dict[str, int]) -> None:
    text = client.get(f"/policies/{ids['premera']}").text
    assert f"/policies/{ids['premera']}?version=1" in text
    assert "0537T" in text and "Added:" in text
    older = client.get(f"/policies/{ids['premera']}", params={"version": 1}).text
    assert "You are reading an earlier version" in older


def test_markup_in_documents_shows_as_text(client: TestClient, ids: dict[str, int]) -> None:
    for url in (f"/policies/{ids['hostile']}", "/codes/86357", "/search?q=infusions", "/matrix?codes=86357"):
        response = client.get(url)
        assert response.status_code == 200
        page = _Page(response.text)
        assert all(script.get("src") == "/static/app.js" for script in page.scripts), url
        assert "<script>alert" not in response.text and "<img src=x" not in response.text, url
        assert "<b>bold</b>" not in response.text
    policy_page = client.get(f"/policies/{ids['hostile']}").text
    assert "&lt;script&gt;alert(&#39;body&#39;)&lt;/script&gt;" in policy_page
    assert "&lt;img src=x onerror=alert(&#39;statement&#39;)&gt;" in policy_page


def test_pages_forbid_foreign_scripts(client: TestClient) -> None:
    response = client.get("/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def test_matrix_page_shows_badges_and_links_the_csv(client: TestClient) -> None:
    response = client.get(
        "/matrix", params=[("codes", "86357\n0537T"), ("payers", "Aetna"), ("payers", "Premera")]
    )
    assert response.status_code == 200
    page = _Page(response.text)
    csv_link = next(link for link in page.links if link.startswith("/api/v1/matrix?"))
    assert csv_link == "/api/v1/matrix?codes=86357%2C0537T&payers=Aetna&payers=Premera&format=csv"
    assert client.get(csv_link).text.splitlines()[0] == "code,Aetna,Premera Blue Cross"
    assert "No policy found" in response.text and "Not covered" in response.text
    empty_form = client.get("/matrix")
    assert empty_form.status_code == 200 and "<table" not in empty_form.text


def test_changes_page_lists_codes_added(client: TestClient) -> None:
    text = client.get("/changes").text
    assert "1 change" in text and "0537T" in text
    assert "No changes" in client.get("/changes", params={"since": "2030"}).text


def test_errors_are_pages_for_people(client: TestClient) -> None:
    missing = client.get("/policies/9999")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "No policy with id 9999" in missing.text
    bad_date = client.get("/changes", params={"since": "tomorrow"})
    assert bad_date.status_code == 422 and "not a date" in bad_date.text
    assert client.get("/no/such/page").status_code == 404
    assert client.get(f"/policies/{2**70}").status_code == 422


def test_static_files_come_only_from_the_package(client: TestClient) -> None:
    assert client.get("/static/app.css").status_code == 200
    script_type = client.get("/static/app.js").headers["content-type"]
    assert script_type.startswith(("text/javascript", "application/javascript"))
    for probe in (
        "/static/../pages.py",
        "/static/%2e%2e/pages.py",
        "/static/..%2fpages.py",
        "/static//etc/passwd",
    ):
        assert client.get(probe).status_code == 404, probe


def test_ask_page_answers_when_questions_are_installed(client: TestClient) -> None:
    response = client.get("/ask", params={"q": "Does Aetna cover 86357?"})
    if not features.available(features.ASK):
        assert response.status_code == 501
        return
    assert response.status_code == 200
    assert "Does Aetna cover 86357?" in response.text
    assert 'class="answer-text"' in response.text


def test_check_page_determines_a_line_when_checks_are_installed(client: TestClient) -> None:
    form = client.get("/check")
    if not features.available(features.CHECK):
        assert form.status_code == 501
        return
    assert form.status_code == 200
    result = client.post(
        "/check", data={"payer": "Aetna", "code": "86357", "dx": "C83.30", "date": "2024-05-01"}
    )
    assert result.status_code == 200
    assert "Determination" in result.text and "Not covered" in result.text
    assert client.post("/check", data={"payer": "", "code": "86357"}).status_code == 422
