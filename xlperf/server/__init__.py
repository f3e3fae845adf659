"""``xlperf serve``: the bureau's intranet server (unit check page, bureau page, JSON API, history).

Stack: Starlette with uvicorn. FastAPI is Starlette plus pydantic request models and OpenAPI docs;
this server's inputs are multipart uploads and a few query fields, and its JSON is what the library
already produces (``score_dict``, ``results.json``), so a validation layer would add a dependency and
nothing it checks. Starlette brings routing, Jinja2 templates, multipart forms with file/field
limits and static files; uvicorn is the ASGI server. The web stack is the ``server`` extra
(``pip install 'xlperf[server]'``); ``xlperf.store`` works without it.
"""
