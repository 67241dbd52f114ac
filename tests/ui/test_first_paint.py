"""The HTML shell rewrite (indicators/ui/first_paint.py): pure rewrite, then the ASGI middleware on a fake app."""
from __future__ import annotations

import asyncio

import pytest

from indicators.ui.first_paint import (LOADING_ZH, TITLE, FirstPaintMiddleware, plotly_chunk, rewrite_shell,
                                       streamlit_static_dir)

SHELL = (b'<!DOCTYPE html><html lang="en"><head><title>Streamlit</title>'
         b'<script type="module" crossorigin src="./static/js/index.X.js"></script></head>'
         b'<body><div id="root"></div></body></html>')
CHUNK = "PlotlyChart.AbC123.js"


def test_shell_gets_preload_import_title_and_splash():
    out = rewrite_shell(SHELL, CHUNK).decode()
    head, body = out.split("</head>")
    assert f'<link rel="modulepreload" crossorigin href="./static/js/{CHUNK}">' in head
    assert f'import("./static/js/{CHUNK}")' in head
    assert f"<title>{TITLE}</title>" in head and "Streamlit</title>" not in head
    assert LOADING_ZH in body and body.index('<div id="root">') < body.index(LOADING_ZH)
    # the app's own module script still comes first: the preload does not reorder the bundle
    assert head.index("index.X.js") < head.index(CHUNK)


@pytest.mark.parametrize("body", [
    b"",
    b"<html><body>no head</body></html>",
    b"<html><head></head><body><div id='other'></div></body></html>",     # not Streamlit's shell
    b'{"json": "</head>"}',
])
def test_anything_else_is_left_as_it_is(body):
    assert rewrite_shell(body, CHUNK) == body


def test_rewrite_is_idempotent_and_works_without_a_chunk():
    once = rewrite_shell(SHELL, CHUNK)
    assert rewrite_shell(once, CHUNK) == once
    bare = rewrite_shell(SHELL, None).decode()
    assert "modulepreload" not in bare and "import(" not in bare and LOADING_ZH in bare


def test_the_installed_streamlit_has_the_chunk_and_the_shell_it_rewrites():
    """If a Streamlit upgrade renames the chunk or changes index.html, this says so (the rewrite would no-op)."""
    chunk = plotly_chunk()
    assert chunk and chunk.startswith("PlotlyChart.") and chunk.endswith(".js")
    shell = (streamlit_static_dir() / "index.html").read_bytes()
    assert rewrite_shell(shell, chunk) != shell


def _serve(app, path: str, method: str = "GET", headers=None) -> tuple[dict, bytes, list]:
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "root_path": "",
             "headers": headers or [(b"accept-encoding", b"gzip, br"), (b"host", b"x")]}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start, body, sent


def _fake_app(ctype: bytes, payload: bytes, chunks: int = 2, seen: list | None = None):
    async def app(scope, receive, send):
        if seen is not None:
            seen.append(scope)
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", ctype), (b"content-length", str(len(payload)).encode())]})
        step = max(1, len(payload) // chunks)
        parts = [payload[i:i + step] for i in range(0, len(payload), step)] or [b""]
        for i, part in enumerate(parts):
            await send({"type": "http.response.body", "body": part, "more_body": i < len(parts) - 1})
    return app


def test_middleware_rewrites_a_page_shell_sent_in_pieces_with_the_right_length():
    seen: list = []
    mw = FirstPaintMiddleware(_fake_app(b"text/html; charset=utf-8", SHELL, chunks=3, seen=seen), chunk=CHUNK)
    start, body, _ = _serve(mw, "/profile")
    assert body == rewrite_shell(SHELL, CHUNK)
    assert dict(start["headers"])[b"content-length"] == str(len(body)).encode()
    assert all(k != b"accept-encoding" for k, _ in seen[0]["headers"])     # asked for uncompressed


@pytest.mark.parametrize("path,ctype,method", [
    ("/static/js/index.X.js", b"application/javascript", "GET"),
    ("/_stcore/health", b"text/plain", "GET"),
    ("/app/static/icons/tongcheng.png", b"image/png", "GET"),
    ("/profile", b"text/html", "HEAD"),
    ("/data.json", b"application/json", "GET"),
])
def test_middleware_passes_everything_else_untouched(path, ctype, method):
    payload = SHELL if ctype == b"text/html" else b"x" * 100
    inner = _fake_app(ctype, payload)
    _, plain, _ = _serve(inner, path, method)
    _, through, _ = _serve(FirstPaintMiddleware(inner, chunk=CHUNK), path, method)
    assert through == plain
