"""What the operator sets in the environment, read in this one place; everything else receives
the values (the command line reads them once when it starts; the dashboard's loading, edit mode
and accessibility statement ask here, never os.environ).

- PARTNERSHIPS_DATAPACKAGE: the package folder (or its datapackage.json) the dashboard and the
  command line use; default: the embedded one
- PARTNERSHIPS_EDIT: "1" makes the dashboard offer the edit mode (page "Pflege")
- PARTNERSCHAFTSATLAS_ACCESSIBILITY_CONTACT: the accessibility statement's feedback contact
- PARTNERSCHAFTSATLAS_ACCESSIBILITY_ENFORCEMENT: the enforcement body of the operator's state
- LC_ALL, else LC_MESSAGES, else LANG: the command line's language when `--lang` is not given
  (German when the first of them that is set starts with "de", else English)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DATAPACKAGE = "PARTNERSHIPS_DATAPACKAGE"
EDIT = "PARTNERSHIPS_EDIT"
ACCESSIBILITY_CONTACT = "PARTNERSCHAFTSATLAS_ACCESSIBILITY_CONTACT"
ACCESSIBILITY_ENFORCEMENT = "PARTNERSCHAFTSATLAS_ACCESSIBILITY_ENFORCEMENT"


@dataclass(frozen=True)
class Settings:
    datapackage: str | None = None  # None: the embedded package
    edit: bool = False
    accessibility_contact: str | None = None
    accessibility_enforcement: str | None = None
    lang: str = "en"  # the command line's default language


def _text(environ: Mapping[str, str], name: str) -> str | None:
    return environ.get(name, "").strip() or None


def _locale_language(environ: Mapping[str, str]) -> str:
    """German when the locale is German (the first of LC_ALL, LC_MESSAGES, LANG that is set), else English."""
    locale = next((environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(name)), "")
    return "de" if locale.lower().startswith("de") else "en"


def read_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings ENVIRON (default: this process's environment) holds."""
    environ = os.environ if environ is None else environ
    return Settings(
        datapackage=_text(environ, DATAPACKAGE),
        edit=environ.get(EDIT, "") == "1",
        accessibility_contact=_text(environ, ACCESSIBILITY_CONTACT),
        accessibility_enforcement=_text(environ, ACCESSIBILITY_ENFORCEMENT),
        lang=_locale_language(environ),
    )
