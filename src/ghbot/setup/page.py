"""The setup pages: plain server-rendered HTML, no scripts, no external assets, every value
escaped. Only the inline style below may run (its hash is in the Content-Security-Policy)."""

from __future__ import annotations

import base64
import hashlib
from html import escape
from urllib.parse import urlsplit

from aiohttp import web

_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;"
    "color:#1f2328}h1{font-size:1.6rem}code{background:#f6f8fa;padding:0 .3rem}"
    "fieldset{border:1px solid #d0d7de;border-radius:6px;margin:1rem 0}"
    "label{display:block;margin:.5rem 0 .2rem}"
    "input[type=text]{width:100%;padding:.3rem;box-sizing:border-box}"
    "button{font-size:1rem;padding:.5rem 1rem;margin-top:.8rem;cursor:pointer}"
    ".primary{background:#1f883d;color:#fff;border:0;border-radius:6px}"
    ".error{color:#d1242f}.muted{color:#59636e}"
)
_STYLE_HASH = base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def respond(body: str, github_web: str, status: int = 200) -> web.Response:
    """An HTML answer that cannot be framed, sniffed, cached or leak its URL (the setup token)
    in a Referer; forms may post only here and to GitHub."""
    csp = (
        f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; img-src data:; "
        f"form-action 'self' {_origin(github_web)}; frame-ancestors 'none'; base-uri 'none'"
    )
    headers = {
        "Content-Security-Policy": csp,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8",
                        headers=headers)  # fmt: skip


def _layout(title: str, content: str) -> str:
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width,initial-scale=1'>"
        "<link rel=icon href='data:,'>"  # no favicon request
        f"<title>{escape(title)} · Hephaestus</title><style>{_STYLE}</style></head>"
        f"<body><h1>{escape(title)}</h1>{content}</body></html>"
    )


def form(
    *, token: str, owner: str, name: str, public_url: str, action: str, manifest_json: str,
    error: str | None = None,
) -> str:
    """Step one picks where the App lives and its name (a GET back here); step two posts the
    manifest to GitHub, where one click on "Create GitHub App" finishes."""
    where = f"the organisation <b>{escape(owner)}</b>" if owner else "your personal account"
    problem = f"<p class=error role=alert>{escape(error)}</p>" if error else ""
    return _layout("Create the Hephaestus GitHub App", f"""
<p>This server has no GitHub App yet. GitHub will create one from this server's manifest
(<code>app.yml</code>): its events and permissions, and webhooks sent to
<code>{escape(public_url)}/webhook</code>.</p>
{problem}
<form method=get action="/"><fieldset><legend>Where and what name</legend>
<input type=hidden name=token value="{escape(token)}">
<label for=owner>Organisation (leave empty for your personal account)</label>
<input type=text id=owner name=owner value="{escape(owner)}" maxlength=39>
<label for=name>App name (unique on GitHub)</label>
<input type=text id=name name=name value="{escape(name)}" maxlength=34>
<button type=submit>Update</button></fieldset></form>
<form method=post action="{escape(action)}">
<input type=hidden name=manifest value="{escape(manifest_json)}">
<p>The App <b>{escape(name)}</b> will belong to {where}.</p>
<button type=submit class=primary>Create the App on GitHub</button></form>
<p class=muted>GitHub asks you to confirm, then sends you back here; this server stores the
App's credentials in its data directory and starts serving webhooks at once.</p>""")


def exists(*, app_id: int, slug: str | None = None, install_url: str | None = None) -> str:
    """The App is set up: by this page (slug and install link known) or by the environment."""
    name = f"<b>{escape(slug)}</b> (App id {app_id})" if slug else f"with App id {app_id}"
    link = "<p>Install it from the App's settings page on GitHub.</p>"
    if install_url is not None:
        link = (f"<p><a href=\"{escape(install_url)}\">Install it on repositories</a>, then open a "
                "pull request: Hephaestus reviews it and reports a check run.</p>")
    return _layout("The App exists", f"""
<p>This server runs the GitHub App {name} and serves its webhooks.</p>{link}""")


def installed() -> str:
    return _layout("Hephaestus is installed", """
<p>Open a pull request on one of the repositories you chose: Hephaestus reviews it and reports
a check run named <b>Hephaestus</b>. You can close this page.</p>""")


def message(title: str, text: str) -> str:
    return _layout(title, f"<p>{escape(text)}</p>")
