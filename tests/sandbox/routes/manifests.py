"""GitHub's "create an App from a manifest" flow: the web page a manifest is posted to (for the
signed-in user or an organisation), the person's "Create GitHub App" click, the redirect with a
`code`, and POST /app-manifests/{code}/conversions (no authentication: the code is the secret,
valid once, for an hour)."""

from __future__ import annotations

import json
import secrets
from html import escape
from urllib.parse import urlencode

from aiohttp import web

from ..state import ApiError, ManifestDraft
from .common import ok, sandbox, shapes, state

ROUTES = web.RouteTableDef()
CODE_TTL = 3600.0


def _page(title: str, body: str, status: int = 200) -> web.Response:
    html = (f"<!doctype html><html><head><title>{escape(title)}</title>"
            "<link rel=icon href='data:,'></head><body>"
            f"<h1>{escape(title)}</h1>{body}</body></html>")  # fmt: skip
    return web.Response(text=html, status=status, content_type="text/html")


async def _new_app(request: web.Request, owner: str) -> web.Response:
    form = await request.post()
    try:
        manifest = json.loads(str(form.get("manifest", "")))
    except ValueError:
        return _page("Invalid GitHub App Manifest", "<p>The manifest is not JSON.</p>", 422)
    missing = [k for k in ("name", "url", "redirect_url") if not isinstance(manifest.get(k), str)]
    hook = manifest.get("hook_attributes")
    if not isinstance(hook, dict) or not isinstance(hook.get("url"), str):
        missing.append("hook_attributes.url")
    if missing:
        return _page("Invalid GitHub App Manifest", f"<p>Missing {escape(', '.join(missing))}</p>",
                     422)  # fmt: skip
    st = state(request)
    ticket = secrets.token_hex(8)
    st.manifest_drafts[ticket] = ManifestDraft(owner, manifest, request.query.get("state", ""),
                                               st.now())  # fmt: skip
    return _page(f"Create GitHub App for {owner}", (
        f"<p>GitHub App name: <b id=app-name>{escape(manifest['name'])}</b></p>"
        f"<p>Webhook URL: {escape(hook['url'])}</p>"
        f"<form method=post action='/_sandbox/manifests/{ticket}/create'>"
        "<button type=submit>Create GitHub App</button></form>"
    ))


@ROUTES.post("/settings/apps/new")
async def new_user_app(request: web.Request) -> web.Response:
    return await _new_app(request, state(request).signed_in)


@ROUTES.post("/organizations/{org}/settings/apps/new")
async def new_org_app(request: web.Request) -> web.Response:
    org = request.match_info["org"]
    state(request).user(org, kind="Organization")
    return await _new_app(request, org)


@ROUTES.post("/_sandbox/manifests/{ticket}/create")
async def create(request: web.Request) -> web.Response:
    st = state(request)
    draft = st.manifest_drafts.pop(request.match_info["ticket"], None)
    if draft is None:
        return _page("Not Found", "<p>This page has expired.</p>", 404)
    code = secrets.token_hex(10)
    st.manifest_codes[code] = draft
    query = {"code": code, **({"state": draft.state} if draft.state else {})}
    raise web.HTTPFound(f"{draft.manifest['redirect_url']}?{urlencode(query)}")


@ROUTES.post("/app-manifests/{code}/conversions")
async def convert(request: web.Request) -> web.Response:
    st = state(request)
    draft = st.manifest_codes.pop(request.match_info["code"], None)
    if draft is None or st.now() - draft.created_at > CODE_TTL:
        raise ApiError(404, "Not Found")
    app = st.create_app_from_manifest(draft)
    sandbox(request).created_manifests.append(draft.manifest)
    hook = draft.manifest["hook_attributes"]
    shape = shapes(request).app()
    return ok({
        **shape,
        "events": list(draft.manifest.get("default_events") or []),
        "permissions": dict(draft.manifest.get("default_permissions") or {}),
        "client_id": app.client_id,
        "client_secret": secrets.token_hex(20),
        "webhook_secret": app.webhook_secret if isinstance(hook, dict) else None,
        "pem": app.private_key_pem,
    }, status=201)  # fmt: skip
