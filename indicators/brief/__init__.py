"""Briefing pack: cover, one chart per slide/page with title and source note, a generated summary of the
numbers and a methodology section from the build log — as PPTX (python-pptx), DOCX (python-docx) and PDF
(Chromium headless printing an HTML rendering). ``build_pack`` gathers the content, ``write_brief`` writes it."""
from indicators.brief.pack import CHART_IDS, BriefChart, BriefPack, build_pack
from indicators.brief.write import write_brief

__all__ = ["CHART_IDS", "BriefChart", "BriefPack", "build_pack", "write_brief"]
