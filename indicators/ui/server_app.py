"""The dashboard as Streamlit serves it in production: ``streamlit run indicators/ui/server_app.py``.

``st.App`` runs ``app.py`` (and ``pages/``) exactly as ``streamlit run app.py`` would, with one ASGI middleware
in front (``first_paint``: the HTML shell preloads the chart library and shows a loading line). The CLI
(``python -m indicators up``) and the browser tests and benchmarks (``indicators.cli.app_server``) start this.
"""
import streamlit as st
from starlette.middleware import Middleware

from indicators.paths import PROJECT_ROOT
from indicators.ui.first_paint import FirstPaintMiddleware

app = st.App(str(PROJECT_ROOT / "app.py"), middleware=[Middleware(FirstPaintMiddleware)])
