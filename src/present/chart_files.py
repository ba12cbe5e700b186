"""A chart as a file: the same Altair chart the page draws, rendered offline by vl-convert to SVG
or PNG, with its title, the as-of date and a source line in the image.

No Streamlit here: the report (`partnerships report`) renders its charts through this module too.
vl-convert runs Vega in an embedded JavaScript engine (no browser); it is given no base URL it may
fetch from, so a spec can never reach the network, and the world map's outlines are put inline
from `static/`. For a package a visitor sent, the renderer runs in a worker process with limits
(`untrusted=True`, see `sandbox`): a spec that makes it abort ends the worker, not the server.
"""

from __future__ import annotations

import io
import json
from datetime import date
from functools import cache
from pathlib import Path

import altair as alt
import vl_convert
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from present import i18n
from present.filter_text import slug
from present.maps import WORLD_URL
from sandbox import RENDER_LIMITS, WorkerDied, run_untrusted

STATIC = Path(__file__).resolve().parents[2] / "static"
WORLD_FILE = STATIC / "countries-110m.json"
LOCALES = {"de": "de-DE", "en": "en-US"}
DEFAULT_WIDTH = 640


@cache
def _world() -> dict:
    return json.loads(WORLD_FILE.read_text(encoding="utf-8"))


def _inline_world(node: object) -> object:
    """Replace every reference to the served world outlines by the outlines themselves."""
    if isinstance(node, dict):
        if node.get("url") == WORLD_URL:
            return {"values": _world(), **{k: v for k, v in node.items() if k != "url"}}
        return {k: _inline_world(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline_world(v) for v in node]
    return node


def standalone_spec(chart: alt.TopLevelMixin, lines: list[str], width: int = DEFAULT_WIDTH) -> dict:
    """The chart's Vega-Lite spec, ready to render alone: its own title kept, LINES (the as-of date,
    the source) added below it, a fixed width, the world outlines inline."""
    spec = _inline_world(chart.to_dict())
    title = spec.get("title") or _pop_layer_title(spec)
    text = title.get("text", "") if isinstance(title, dict) else title
    spec["title"] = {"text": text, "subtitle": lines, "anchor": "start", "subtitleColor": "#444444"}
    if not any(key in spec for key in ("hconcat", "vconcat", "concat", "facet")):
        spec.setdefault("width", width)
    spec.setdefault("background", "white")
    spec.setdefault("padding", 12)
    return spec


def _pop_layer_title(spec: dict) -> object:
    """A layered chart built from a titled base carries its title in the layers: take it out."""
    found = ""
    for layer in spec.get("layer", []):
        if isinstance(layer, dict) and "title" in layer:
            found = layer.pop("title") or found
    return found


def chart_title(chart: alt.TopLevelMixin) -> str:
    """The chart's title, read from the chart object (no serialising of its data)."""
    for candidate in [chart, *(getattr(chart, "layer", None) or [])]:
        title = getattr(candidate, "title", alt.Undefined)
        if title is alt.Undefined or not title:
            continue
        if isinstance(title, str):
            return title
        text = title.get("text") if isinstance(title, dict) else getattr(title, "text", "")
        return "" if text is alt.Undefined else str(text)
    return ""


def file_stem(title: str, as_of: date) -> str:
    """A file name of the chart's title and the date: "partnerschaften-nach-kontinent-2023-10-31"."""
    return f"{slug(title) or 'chart'}-{as_of.isoformat()}"


class RenderFailed(RuntimeError):
    """A chart or report could not be rendered; str() says so in the reader's words."""


def render_failed(lang: str, died: WorkerDied) -> RenderFailed:
    """The message for a renderer's worker that ended without a file."""
    with i18n.language(lang):
        return RenderFailed(i18n.t("render_failed", reason=i18n.t(f"render_{died.code}")))


def _convert(kind: str, spec: dict, lang: str, scale: float) -> str | bytes:
    options = {"allowed_base_urls": [], "format_locale": LOCALES[lang], "time_format_locale": LOCALES[lang]}
    if kind == "svg":
        return vl_convert.vegalite_to_svg(spec, **options)
    if kind == "pdf":
        return vl_convert.vegalite_to_pdf(spec, **options)
    return vl_convert.vegalite_to_png(spec, scale=scale, **options)


def _convert_in_worker(scratch: Path, kind: str, spec: dict, lang: str, scale: float) -> str | bytes:
    return _convert(kind, spec, lang, scale)


def _rendered(kind: str, spec: dict, lang: str, scale: float, untrusted: bool) -> str | bytes:
    """vl-convert's file of SPEC; for a package a visitor sent (UNTRUSTED), made in a worker with
    limits (sandbox), whose death is a RenderFailed, never the server's."""
    if not untrusted:
        return _convert(kind, spec, lang, scale)
    try:
        return run_untrusted(_convert_in_worker, kind, spec, lang, scale, limits=RENDER_LIMITS)
    except WorkerDied as died:
        raise render_failed(lang, died) from None


def to_svg(spec: dict, lang: str = "de", untrusted: bool = False) -> str:
    return _rendered("svg", spec, lang, 1.0, untrusted)


def to_pdf(spec: dict, lang: str = "de", untrusted: bool = False) -> bytes:
    """The chart as a one-page vector PDF (its text embedded with the renderer's own font)."""
    return _rendered("pdf", spec, lang, 1.0, untrusted)


def to_png(spec: dict, lang: str = "de", scale: float = 2.0, untrusted: bool = False) -> bytes:
    """The chart as PNG; its title and the lines below it are also written into the file's text
    chunks (Title, Description), where image catalogues and screen readers look."""
    png = _rendered("png", spec, lang, scale, untrusted)
    title = spec.get("title", {})
    info = PngInfo()
    info.add_itxt("Title", title.get("text", ""))
    info.add_itxt("Description", " · ".join(title.get("subtitle", [])))
    image = Image.open(io.BytesIO(png))
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info, optimize=False)
    return out.getvalue()
