"""The errors a package can raise: each problem names resource, row, field and message."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a package. `row` counts the header as row 1, as frictionless does."""

    resource: str
    row: int | None
    field: str | None
    message: str  # English
    message_de: str | None = None  # German; None where no German text exists yet

    def text(self, lang: str = "en") -> str:
        """The message in LANG ("de" or "en")."""
        return self.message_de if lang == "de" and self.message_de else self.message

    def __str__(self) -> str:
        return self.describe("en")

    def describe(self, lang: str = "en") -> str:
        """One line: resource, row, field and message, in LANG ("de" or "en")."""
        row, field = ("Zeile", "Feld") if lang == "de" else ("row", "field")
        where = [self.resource]
        if self.row is not None:
            where.append(f"{row} {self.row}")
        if self.field:
            where.append(f"{field} {self.field}")
        return f"{', '.join(where)}: {self.text(lang)}"


class NotADataPackage(Exception):
    """PATH holds no readable datapackage.json at all; the reason in English and German."""

    def __init__(self, message: str, message_de: str | None = None) -> None:
        super().__init__(message)
        self.message_de = message_de

    def text(self, lang: str = "en") -> str:
        return self.message_de if lang == "de" and self.message_de else str(self)


class PackageInvalid(Exception):
    """The package breaks its schema, the contract or a business rule; `problems` lists them all."""

    def __init__(self, problems: list[Problem], where: str = "") -> None:
        self.problems = list(problems)
        self.where = where
        count = len(self.problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"{where}: {count} problem{'s' if count != 1 else ''}\n{lines}")
