"""The CJK font stack baked into exports, and a check that a CJK font is installed."""
from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache

# Same stack as the dashboard theme (indicators.viz.theme); Debian's fonts-noto-cjk provides the first.
CJK_FONT_FAMILY = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
                   '"Microsoft YaHei", sans-serif')
CJK_MARKERS = ("Noto Sans CJK", "Noto Sans SC", "Source Han Sans", "PingFang", "Microsoft YaHei", "WenQuanYi")


def with_cjk_family(family: str | None) -> str:
    """``family`` if it already names a CJK font, else the CJK stack (a figure without one shows boxes)."""
    if family and any(m.lower() in family.lower() for m in CJK_MARKERS):
        return family
    return CJK_FONT_FAMILY


@lru_cache(maxsize=8)
def font_covering(text: str = "同城化") -> str | None:
    """Name of an installed font (fontconfig) that has glyphs for every character of ``text``, or None."""
    if not shutil.which("fc-list"):
        return None
    charset = " ".join(f"{ord(c):x}" for c in sorted(set(text)))
    try:
        out = subprocess.run(["fc-list", f":charset={charset}", "family"], capture_output=True, text=True,
                             timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families = sorted({line.split(",")[0].strip() for line in out.splitlines() if line.strip()})
    preferred = [f for f in families if "CJK SC" in f] or families
    return preferred[0] if preferred else None
