"""Suggestions as the user types in the search box: codes that start with the input, policies whose
title or number contains it."""

from __future__ import annotations

from typing import Literal
from urllib.parse import quote

from pydantic import BaseModel
from sqlalchemy import Connection, func, select

from medpolicy.store.schema import policies, version_codes, versions

MAX_QUERY_CHARS = 100


class Suggestion(BaseModel):
    kind: Literal["code", "policy"]
    label: str  # what to show: the code, or the policy title
    detail: str | None  # code system and a description, or payer and policy number
    url: str  # the page to open


def _like_pattern(text: str) -> str:
    """`text` as a LIKE pattern that matches it literally (wildcards escaped with '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def suggestions(conn: Connection, query: str, limit: int = 8) -> list[Suggestion]:
    """Up to `limit` codes then up to `limit` policies matching `query` (empty for a blank query)."""
    text = " ".join(query.split())[:MAX_QUERY_CHARS]
    if not text:
        return []
    return _codes(conn, text, limit) + _policies(conn, text, limit)


def _codes(conn: Connection, text: str, limit: int) -> list[Suggestion]:
    if " " in text:
        return []
    pattern = _like_pattern(text.upper()) + "%"
    rows = conn.execute(
        select(version_codes.c.system, version_codes.c.code, func.max(version_codes.c.description))
        .join(versions, versions.c.id == version_codes.c.version_id)
        .where(versions.c.is_current.is_(True), version_codes.c.code.like(pattern, escape="\\"))
        .group_by(version_codes.c.system, version_codes.c.code)
        .order_by(version_codes.c.code)
        .limit(limit)
    ).all()
    return [
        Suggestion(
            kind="code",
            label=code,
            detail=f"{system} · {description}" if description else system,
            url=f"/codes/{quote(code, safe='')}",
        )
        for system, code, description in rows
    ]


def _policies(conn: Connection, text: str, limit: int) -> list[Suggestion]:
    pattern = "%" + _like_pattern(text.lower()) + "%"
    rows = conn.execute(
        select(policies.c.id, policies.c.title, policies.c.payer, policies.c.policy_number)
        .where(
            func.lower(policies.c.title).like(pattern, escape="\\")
            | func.lower(policies.c.policy_number).like(pattern, escape="\\")
        )
        .order_by(policies.c.title, policies.c.id)
        .limit(limit)
    ).all()
    return [
        Suggestion(
            kind="policy",
            label=row.title or row.policy_number or f"Policy {row.id}",
            detail=" · ".join(part for part in (row.payer, row.policy_number) if part) or None,
            url=f"/policies/{row.id}",
        )
        for row in rows
    ]
