"""The dashboard as an ASGI app: Streamlit's `st.App` around dashboard.py, plus `/healthz`
(its answer is pmo/readiness.py).

`pmo serve` runs this file with `streamlit run` (which finds `app` and serves it with uvicorn);
a container or systemd unit can run the same command (docs/deploy.md). `/healthz` answers
without a browser session, for load balancers and orchestrators:

    200 {"ready": true,  "store_version": 12, "data_dir": "/srv/pmo/data", "versions": 12}
    503 {"ready": false, "store_version": null, "data_dir": "...", "reason": "the store is empty ..."}

Ready = the store's CURRENT version and its manifest can be read and every segment file it
names exists (what each page needs). An empty store is not ready: the first browser session
loads the sample data, or `pmo ingest` fills it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from pmo.readiness import health

ROOT = Path(__file__).resolve().parent


async def healthz(request: Request) -> JSONResponse:
    ready, body = health()
    return JSONResponse(body, status_code=200 if ready else 503,
                        headers={"Cache-Control": "no-store"})


app = st.App(ROOT / "dashboard.py", routes=[Route("/healthz", healthz, methods=["GET", "HEAD"])])
