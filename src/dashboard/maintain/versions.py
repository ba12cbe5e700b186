"""Tab "Versionen & Protokoll": the version in use, the kept versions with date, author and what
changed in words, a restore that asks first, and the changelog rendered from its Markdown safely
(raw HTML shown as text, no images fetched, headings below the page's own)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import polars as pl
import streamlit as st
from markdown_it import MarkdownIt

from analysis.keeping.editing import in_language
from analysis.keeping.pending import recorded_words
from analysis.keeping.saving import changelog_text, live_folder, newest_entry, restore, saved_versions, versions_folder
from analysis.package import read_descriptor, resolve_descriptor
from analysis.problems import NotADataPackage, PackageInvalid
from dashboard import editing
from dashboard.loading import server_location
from dashboard.maintain.labels import table_label
from dashboard.maintain.widgets import plain
from present import i18n
from present.i18n import t

HEADING = re.compile(r"^## (?P<version>\S+) \((?P<created>[^)]*)\)", re.MULTILINE)
AUTHOR = re.compile(r"^Von / by: (?P<who>.*)$", re.MULTILINE)
SUMMARY = re.compile(r"^### (?P<name>[\w-]+): (?P<summary>.*)$", re.MULTILINE)
MARKDOWN = MarkdownIt("commonmark", {"html": False}).disable("image")  # raw HTML escaped, no image loaded


def safe_html(markdown: str) -> str:
    """Markdown as HTML that carries no markup of its own: raw HTML escaped, links checked by
    markdown-it (no javascript:), no images; headings start at h3 (the page has h1 and h2)."""
    html = MARKDOWN.render(markdown)
    for level in (6, 5, 4, 3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{min(level + 2, 6)}>").replace(
            f"</h{level}>", f"</h{min(level + 2, 6)}>"
        )
    return html


def when_text(created: str) -> str:
    """A version's `created` as the office reads it (04.12.2026, 16:04, local time)."""
    try:
        moment = datetime.fromisoformat(created.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return created
    return moment.strftime("%d.%m.%Y, %H:%M" if i18n.lang() == "de" else "%d %b %Y, %H:%M")


def version_rows(live: Path) -> pl.DataFrame:
    """Each kept version, newest first: version, saved when, by whom, what changed in words."""
    rows = []
    for version in saved_versions(live):
        entry = newest_entry(changelog_text(versions_folder(live) / version))
        heading, author = HEADING.search(entry), AUTHOR.search(entry)
        words = recorded_words(live, version) or "; ".join(
            f"{table_label(m['name'])}: {in_language(m['summary'], i18n.lang()).split(': ', 1)[-1]}"
            for m in SUMMARY.finditer(entry)
        )
        created = heading["created"] if heading else ""
        rows.append(
            {"v": version, "c": created, "w": when_text(created), "a": author["who"] if author else "", "x": words}
        )
    frame = pl.DataFrame(rows, schema=dict.fromkeys("vcwax", pl.String)).sort("c", descending=True)
    return frame.select(
        pl.col("v").alias(t("edit_version")),
        pl.col("w").alias(t("edit_saved_when")),
        pl.col("a").alias(t("edit_saved_by")),
        pl.col("x").alias(t("edit_what_changed")),
    )


def restore_now(version: str) -> None:
    st.session_state["restore_asked"] = None
    try:
        restore(server_location(), version)
    except (PackageInvalid, NotADataPackage, OSError) as error:
        if isinstance(error, PackageInvalid):
            st.session_state["restore_failed"] = "; ".join(p.text(i18n.lang()) for p in error.problems)
        else:
            st.session_state["restore_failed"] = getattr(error, "strerror", None) or str(error)
        return
    st.session_state["restore_failed"] = None
    st.session_state["restored"] = version
    st.toast(t("edit_restored_toast", version=plain(version)))


def draw(package) -> None:
    live = live_folder(server_location())
    try:
        st.text(t("edit_live_version", version=str(read_descriptor(resolve_descriptor(live)).get("version") or "?")))
    except (PackageInvalid, NotADataPackage):
        pass  # said by every page's own check
    table = version_rows(live)
    if table.is_empty():
        st.text(t("edit_no_versions"))
    else:
        st.subheader(t("edit_versions"))
        st.table(table)  # a plain table: up to KEEP_VERSIONS rows, read by screen readers and the eye alike
        versions = table[t("edit_version")].to_list()
        version = st.selectbox(
            t("edit_version"), versions, index=None, placeholder=t("edit_choose"), key="restore_version"
        )
        pending = bool(editing.state().pending)
        if st.button(t("edit_restore"), key="restore_button", disabled=pending or version is None):
            st.session_state["restore_asked"] = version
        if pending:
            st.caption(t("edit_restore_pending"))
        asked = st.session_state.get("restore_asked")
        if asked and asked == version:
            st.warning(t("edit_restore_ask", version=asked))
            left, right = st.columns(2)
            left.button(
                t("edit_restore_yes"), on_click=restore_now, args=(asked,), key="restore_confirm", type="primary"
            )
            right.button(
                t("edit_restore_no"), on_click=lambda: st.session_state.update(restore_asked=None), key="restore_cancel"
            )
        if st.session_state.get("restored"):
            st.success(t("edit_restored"))
            st.text(st.session_state["restored"])
        elif st.session_state.get("restore_failed"):
            st.error(t("edit_save_failed"))
            st.text(st.session_state["restore_failed"])
    log = changelog_text(live)
    if log:
        st.subheader(t("edit_changelog_newest"))
        st.html(safe_html(newest_entry(log)))
    with st.expander(t("edit_changelog")):
        if log:
            st.html(safe_html(log))
        else:
            st.text(t("edit_changelog_none"))
