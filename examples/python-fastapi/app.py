"""A user's service: it hands each tenant an AceData API key, and records the Akool jobs its webhook hears about.

Configured from the environment as in production (ACEDATA_PLATFORM_TOKEN, AKOOL_CLIENT_ID, AKOOL_CLIENT_SECRET,
and the *_BASE_URL variables that tests point at the mock).
"""

from __future__ import annotations

import os
from typing import Dict

from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel

import tokensmith


class KeyRequest(BaseModel):
    tenant: str
    application_id: str


def create_app() -> FastAPI:
    platform = tokensmith.AceDataPlatform.from_env()
    verifier = tokensmith.WebhookVerifier(os.environ["AKOOL_CLIENT_ID"], os.environ["AKOOL_CLIENT_SECRET"])
    jobs: Dict[str, int] = {}
    app = FastAPI()

    @app.post("/keys")
    def create_key(request: KeyRequest) -> Dict[str, str]:
        try:
            credential = platform.create_credential(request.application_id, name=request.tenant, timeout=10)
        except tokensmith.InvalidInputError as error:
            raise HTTPException(422, f"{error.field}: {error.message}")
        except tokensmith.TokensmithError as error:
            raise HTTPException(502, f"AceData: {error.message} (trace {error.trace_id})")
        return {"id": credential.id, "token": credential.token or ""}

    @app.post("/akool/webhook")
    async def akool_webhook(request: Request) -> Dict[str, bool]:
        try:
            event = verifier.verify(await request.body())
        except tokensmith.WebhookRejectedError:
            raise HTTPException(400, "not a webhook from Akool")
        jobs[event.id or ""] = event.status or 0
        return {"ok": True}

    @app.get("/jobs/{job_id}")
    def job(job_id: str) -> Dict[str, int]:
        if job_id not in jobs:
            raise HTTPException(404)
        return {"status": jobs[job_id]}

    return app
