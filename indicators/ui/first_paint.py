"""What a fresh browser gets before the app's first script run: the page shell with the chart library already
on its way, and something to read while it loads.

A fresh browser (no cache) spends most of its first seconds in JavaScript, not waiting for the server
(``indicators/bench/SCALING.md``): Streamlit's bundle boots, the first script run's deltas arrive, and only then
does the first chart ask for Streamlit's lazily loaded plotly chunk (≈ 4.7 MB), which must be fetched, compiled
and evaluated before anything is drawn. This module rewrites the HTML shell Streamlit serves so that

* the plotly chunk is requested with the shell (``<link rel="modulepreload">``) and evaluated as soon as it has
  arrived (an ``import()`` of the same URL: the module map holds one instance, so the chart component later finds
  it ready) — its evaluation then overlaps the websocket handshake and the server's script run instead of
  following them;
* the tab is titled 同城化 Tongcheng and the empty ``#root`` shows a one-line loading note (React replaces it on
  its first render), so the analyst does not look at a blank page while the bundle boots.

``FirstPaintMiddleware`` is a plain ASGI middleware mounted by ``indicators/ui/server_app.py`` (``st.App``);
nothing else in the response stream is touched. Measured figures: ``python -m indicators bench --only browser``.
"""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any, Awaitable, Callable

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TITLE = "同城化 Tongcheng"
LOADING_ZH = "同城化 · 正在加载仪表盘…"
LOADING_EN = "Tongcheng · loading the dashboard…"
# paths that are never the HTML shell (Streamlit's own API, media, components and the app's static folder)
_NOT_SHELL = ("/_stcore", "/media", "/component", "/app/static", "/static", "/favicon")
_MARK = b"data-tongcheng-first-paint"


def streamlit_static_dir() -> Path:
    import streamlit

    return Path(streamlit.__file__).parent / "static"


def plotly_chunk(static_dir: Path | None = None) -> str | None:
    """The file name of Streamlit's plotly chunk (it carries a content hash), or None if this Streamlit has none."""
    js = (static_dir or streamlit_static_dir()) / "static" / "js"
    names = sorted(p.name for p in js.glob("PlotlyChart.*.js")) if js.is_dir() else []
    return names[0] if names else None


def head_html(chunk: str | None) -> str:
    """Tags added at the end of ``<head>``: the chunk's preload and early import, and the splash's style."""
    parts = [f'<meta name="tongcheng" {_MARK.decode()}>']
    if chunk:
        url = f"./static/js/{html.escape(chunk, quote=True)}"
        parts.append(f'<link rel="modulepreload" crossorigin href="{url}">')
        # evaluated once fetched; a failure here must not break the page (the chart then loads it itself)
        parts.append(f'<script type="module">import("{url}").catch(() => {{}});</script>')
    parts.append("<style>#tc-splash{font:15px/1.6 'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',"
                 "sans-serif;color:#555;padding:3rem 4rem}#tc-splash small{color:#888;display:block}</style>")
    return "".join(parts)


def splash_html() -> str:
    return (f'<div id="tc-splash" role="status">{html.escape(LOADING_ZH)}'
            f'<small lang="en">{html.escape(LOADING_EN)}</small></div>')


def rewrite_shell(body: bytes, chunk: str | None) -> bytes:
    """Streamlit's ``index.html`` with the head tags, the title and the splash; unchanged when it is not the
    shell (no ``</head>`` or no empty ``#root``) or has been rewritten already."""
    if _MARK in body or b"</head>" not in body or b'<div id="root"></div>' not in body:
        return body
    out = body.replace(b"</head>", head_html(chunk).encode() + b"</head>", 1)
    out = out.replace(b'<div id="root"></div>', b'<div id="root">' + splash_html().encode() + b"</div>", 1)
    start, end = out.find(b"<title>"), out.find(b"</title>")
    if 0 <= start < end:
        out = out[:start] + b"<title>" + TITLE.encode() + out[end:]
    return out


class FirstPaintMiddleware:
    """Rewrites the HTML shell (a GET of a page path answered with an uncompressed ``text/html`` 200);
    passes everything else through untouched."""

    def __init__(self, app: ASGIApp, chunk: str | None = None) -> None:
        self.app = app
        self.chunk = chunk if chunk is not None else plotly_chunk()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        root = scope.get("root_path", "") or ""
        if root and path.startswith(root):
            path = path[len(root):] or "/"
        if path.startswith(_NOT_SHELL):
            await self.app(scope, receive, send)
            return
        # the shell is ≈ 5 KB: ask for it uncompressed, so that it can be rewritten
        headers = [(k, v) for k, v in scope.get("headers") or [] if k.lower() != b"accept-encoding"]
        await self.app({**scope, "headers": headers}, receive, _ShellRewriter(send, self.chunk))


class _ShellRewriter:
    """A ``send`` that holds back an HTML response, rewrites it whole and sends it with its new length."""

    def __init__(self, send: Send, chunk: str | None) -> None:
        self.send, self.chunk = send, chunk
        self.start: Message | None = None
        self.body = bytearray()

    async def __call__(self, message: Message) -> None:
        kind = message.get("type")
        if kind == "http.response.start":
            headers = message.get("headers") or []
            ctype = next((v for k, v in headers if k.lower() == b"content-type"), b"")
            encoded = any(k.lower() == b"content-encoding" for k, _ in headers)
            if message.get("status") == 200 and ctype.startswith(b"text/html") and not encoded:
                self.start = message
                return
            await self.send(message)
            return
        if kind == "http.response.body" and self.start is not None:
            self.body += message.get("body", b"")
            if message.get("more_body"):
                return
            page = rewrite_shell(bytes(self.body), self.chunk)
            headers = [(k, v) for k, v in self.start.get("headers") or [] if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(page)).encode()))
            await self.send({**self.start, "headers": headers})
            await self.send({"type": "http.response.body", "body": page})
            self.start = None
            return
        await self.send(message)
