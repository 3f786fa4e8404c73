"""The class board's HTTP API: ``POST /api/class/submit``, where notebooks hand in (:func:`sim.teaching.share`).

One route, beside Solara's (:mod:`sim.classroom.server`). It takes a JSON object
with exactly the keys of :data:`FIELDS` and answers JSON: ``{"id": N}`` with status
201, or ``{"error": "one line", "problems": [...]}`` with 400 (a bad submission,
worded as the command line words it), 403 (a wrong join code), 413 (a body larger
than :data:`MAX_BODY`), 415 (not JSON) or 429 (too many wrong codes, or the
class, the group or the queue at its limit). There are no routes for the teacher's
actions: they exist only in the teacher's page, behind the token.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from sim.classroom.access import Refused
from sim.classroom.board import Board
from sim.classroom.client import PATH
from sim.dashboard.files import MAX_UPLOAD
from sim.errors import ScenarioError

#: The keys a submission sends, every one of them.
FIELDS = ("code", "group", "prediction", "explanation", "scenario")
#: The largest body read (bytes): a scenario file at its limit, escaped as JSON, and the other fields.
MAX_BODY = 2 * MAX_UPLOAD + 16_384


def _refusal(message: str, status: int, problems: list[str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message, "problems": problems or [message]}, status_code=status)


async def _body(request: Request) -> dict[str, Any]:
    """The request's JSON object, read no further than :data:`MAX_BODY` bytes."""
    expected = "send a JSON object with " + ", ".join(FIELDS)
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise Refused(f"not JSON (Content-Type: application/json); {expected}", 415)
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY:
            raise Refused(f"more than {MAX_BODY:,} bytes; a scenario file is at most {MAX_UPLOAD:,}", 413)
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise Refused(f"not valid JSON; {expected}", 400) from None
    if not isinstance(body, dict):
        raise Refused(f"not a JSON object; {expected}", 400)
    problems = [f"{key}: unknown field; allowed: {', '.join(FIELDS)}" for key in sorted(set(body) - set(FIELDS))]
    missing = [key for key in FIELDS if key not in body]
    if missing:
        problems.append(f"{', '.join(missing)}: missing; {expected}")
    if problems:
        raise ScenarioError(problems)
    return body


def routes(board: Board) -> list[Route]:
    """The API's routes, serving ``board``."""

    async def submit(request: Request) -> JSONResponse:
        who = f"address:{request.client.host if request.client else 'unknown'}"
        try:
            body = await _body(request)
            number = await run_in_threadpool(
                board.submit,
                code=body["code"],
                group=body["group"],
                prediction=body["prediction"],
                explanation=body["explanation"],
                scenario_toml=body["scenario"],
                who=who,
                source="notebook",
            )
        except Refused as exc:
            return _refusal(str(exc), exc.status)
        except ScenarioError as exc:
            return _refusal("; ".join(exc.problems), 400, exc.problems)
        return JSONResponse({"id": number}, status_code=201)

    return [Route(PATH, submit, methods=["POST"])]
