"""The HTTP service CMS pre-publication webhooks call (FastAPI on uvicorn).

    POST /v1/audit   {"text", "title"?, "date"?, "id"?, "url"?, "source"?}
                     -> the mtaudit.report/1 object (same as `mtaudit --format json`)
    GET  /healthz    -> {"status": "ok", ...}
    GET  /openapi.json, /docs

Request bodies over `max_bytes` get 413 before they are read in full; an audit
that runs past `timeout` seconds gets 504. The language model (if any) is the
one passed in, loaded once at start; audits run in worker threads, at most
`concurrency` at a time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import threading
from typing import Optional

import anyio
from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from auditor import __version__
from auditor.config import Config


class AuditRequest(BaseModel):
    text: str = Field(..., description="The article: headline, blank line, then the body (or the body alone with `title`).")
    title: Optional[str] = Field(None, description="Headline, when `text` does not start with it.")
    date: Optional[dt.date] = Field(None, description="Article date YYYY-MM-DD (default: inferred from the text).")
    id: Optional[str] = Field(None, description="Your id for the article; echoed in the report.")
    url: Optional[str] = None
    source: Optional[str] = Field(None, description="Publication or feed name; echoed as source_name.")


class BodyLimit:
    """ASGI middleware: 413 for bodies over `max_bytes` (declared or streamed)."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.max_bytes:
                    return await self._reject(send)
        # Read the body up to the limit before the app sees it (bodies are small;
        # this keeps the 413 independent of how the framework parses).
        chunks = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # client went away
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.max_bytes:
                return await self._reject(send)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _reject(self, send):
        body = json.dumps({"detail": f"request body larger than {self.max_bytes} bytes"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def create_app(config: Config | None = None, scorer=None, max_bytes: int = 1_000_000,
               timeout: float = 30.0, concurrency: int = 4):
    """The ASGI application (wrapped in the body-size limit)."""
    from auditor.article import build_article
    from auditor.pipeline import audit

    config = config or Config()
    limiter = anyio.CapacityLimiter(concurrency)
    api = FastAPI(
        title="mtaudit",
        version=__version__,
        description="Audit English news machine-translated from Russian before it is published.",
    )

    # one model, loaded once: its forward passes are serialised (it threads internally)
    lm_lock = threading.Lock() if scorer is not None else contextlib.nullcontext()

    def run_audit(req: AuditRequest) -> dict:
        meta = {k: v for k, v in (("id", req.id), ("url", req.url), ("source_name", req.source)) if v is not None}
        article = build_article(req.text, source=req.id or "<request>", date=req.date, title=req.title, meta=meta)
        with lm_lock:
            return audit(article, config, scorer=scorer).to_dict()

    @api.get("/healthz", summary="Liveness and readiness")
    async def healthz() -> dict:
        return {"status": "ok", "version": __version__, "lm": scorer is not None}

    @api.post("/v1/audit", summary="Audit one article",
              responses={413: {"description": "Body too large"}, 504: {"description": "Audit timed out"}})
    async def audit_endpoint(req: AuditRequest):
        if not req.text.strip():
            raise HTTPException(status_code=422, detail="text is empty")
        try:
            with anyio.fail_after(timeout):
                # the thread can't be killed; the response still returns on time
                result = await anyio.to_thread.run_sync(run_audit, req, limiter=limiter, abandon_on_cancel=True)
        except TimeoutError:
            raise HTTPException(status_code=504, detail=f"audit took longer than {timeout:g} s") from None
        return JSONResponse(result)

    return BodyLimit(api, max_bytes)
