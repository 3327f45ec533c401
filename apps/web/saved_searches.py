"""Saved searches: a user keeps the query string of a search page under a name."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response

from apps.web.deps import CsrfChecked, CurrentUser, State
from apps.web.params import search_query

router = APIRouter(include_in_schema=False)


def clean_query(query: str) -> str:
    """Only the search page's parameters, checked as the page checks them (no page number)."""
    pairs = [(k, v) for k, v in parse_qsl(query.lstrip("?"))
             if k not in ("page", "lang", "csrf_token") and v]
    search_query(dict(pairs))  # raises BadRequest (a 400 in the interface language)
    return urlencode(pairs)


@router.post("/searches", dependencies=[CsrfChecked])
def save_search(state: State, user: CurrentUser,
                name: Annotated[str, Form(min_length=1, max_length=120)],
                query: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Save the current search under ``name`` and go back to it."""
    kept = clean_query(query)
    state.accounts.save_search(user.username, name.strip() or kept[:60], kept)
    return RedirectResponse(f"/?{kept}", status_code=303)


@router.post("/searches/{search_id}/delete", dependencies=[CsrfChecked])
def delete_search(search_id: int, state: State, user: CurrentUser,
                  back: Annotated[str, Form(max_length=2000)] = "") -> Response:
    state.accounts.delete_saved_search(user.username, search_id)
    return RedirectResponse(f"/?{clean_query(back)}", status_code=303)
