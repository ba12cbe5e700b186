"""The house's plan, checked: the layers (import-linter's contracts in pyproject.toml), the size
limits a newcomer can rely on, and no import that changes global state."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
MAX_PAGE_LINES = 120
MAX_MODULE_LINES = 350
MAX_ANALYSIS_MODULES = 8


def lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def lint_imports(folder: Path, config: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache"],
        cwd=folder,
        env={"PYTHONPATH": str(folder), "PATH": str(LINT_IMPORTS.parent)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_layers_hold():
    done = lint_imports(SRC, ROOT / "pyproject.toml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout


def test_the_contracts_catch_an_import_upwards_and_streamlit_in_analysis(tmp_path):
    for package in ("analysis", "console", "dashboard", "present", "report"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "analysis" / "upwards.py").write_text("import present\n")
    (tmp_path / "analysis" / "pages.py").write_text("import streamlit\n")
    (tmp_path / "console" / "sideways.py").write_text("import dashboard\n")
    config = tmp_path / "pyproject.toml"
    shutil.copy(ROOT / "pyproject.toml", config)
    done = lint_imports(tmp_path, config)
    assert done.returncode == 1
    assert "0 kept, 2 broken" in done.stdout
    for line in ("analysis.upwards -> present", "analysis.pages -> streamlit", "console.sideways -> dashboard"):
        assert line in done.stdout, done.stdout


def test_the_house_s_limits():
    pages = {str(p.relative_to(ROOT)): lines(p) for p in sorted((ROOT / "views").glob("*.py"))}
    modules = {str(p.relative_to(ROOT)): lines(p) for p in sorted(SRC.rglob("*.py"))}
    analysis_top = sorted(p.name for p in (SRC / "analysis").glob("*.py") if p.name != "__init__.py")
    assert len(pages) >= 8 and len(modules) >= 60  # the walk found the house
    too_long = {name: n for name, n in pages.items() if n > MAX_PAGE_LINES} | {
        name: n for name, n in modules.items() if n > MAX_MODULE_LINES
    }
    assert too_long == {}
    assert len(analysis_top) <= MAX_ANALYSIS_MODULES, analysis_top


def reads_the_environment(path: Path) -> bool:
    """Whether PATH reads os.environ (a worker setting its own TMPDIR writes it, which is no reading)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        text = ast.unparse(node) if isinstance(node, ast.Attribute | ast.Subscript | ast.Name) else ""
        if isinstance(node, ast.Attribute) and text in ("os.environ.get", "os.getenv", "os.environ.items"):
            return True
        if (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value) == "os.environ"
            and isinstance(node.ctx, ast.Load)
        ):
            return True
        if isinstance(node, ast.Name) and node.id in ("environ", "getenv"):
            return True
    return False


def test_the_environment_is_read_in_one_module():
    readers = sorted(
        str(path.relative_to(ROOT))
        for path in [*SRC.rglob("*.py"), *(ROOT / "views").glob("*.py"), ROOT / "app.py"]
        if reads_the_environment(path)
    )
    assert readers == ["src/analysis/settings.py"]


def top_level_calls(path: Path) -> list[str]:
    """The functions a module calls when it is imported (outside functions and classes)."""
    calls = []
    for statement in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        calls += [ast.unparse(node.func) for node in ast.walk(statement) if isinstance(node, ast.Call)]
    return calls


def test_importing_dashboard_registers_no_language_reader():
    registering = {
        str(path.relative_to(ROOT)): calls
        for path in sorted((SRC / "dashboard").glob("*.py"))
        if (calls := [c for c in top_level_calls(path) if c.endswith("read_language_with")])
    }
    assert registering == {}
    assert "follow_session_language" in top_level_calls(ROOT / "app.py")


def test_the_wheel_ships_every_package_the_contracts_name():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = {Path(p).name for p in config["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]}
    assert set(config["tool"]["importlinter"]["root_packages"]) == shipped


def test_the_architecture_names_every_module():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    names = [f"views/{p.name}" for p in (ROOT / "views").glob("*.py")]
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] != "__main__":
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    assert len(names) > 80
    unnamed = sorted(name for name in names if f"`{name}`" not in text)
    assert unnamed == [], "name these in docs/architecture.md, 'Every module', with their job"


def test_every_browser_test_is_in_the_e2e_tier():
    """`pytest -m "not e2e"` (the fast tier) starts no browser: a test asking for the browser or
    server fixture is marked e2e, itself or its module."""
    unmarked = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module_marked = "pytestmark = pytest.mark.e2e" in path.read_text(encoding="utf-8")
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                wants = {a.arg for a in node.args.args} & {"browser", "server"}
                marked = any("mark.e2e" in ast.unparse(d) for d in node.decorator_list)
                if wants and not (marked or module_marked):
                    unmarked.append(f"{path.name}::{node.name}")
    assert unmarked == []


def test_every_link_of_the_readme_and_the_docs_leads_to_a_file():
    """The front door's and the documents' relative links (files, pictures, bench results) exist."""
    broken, links = [], 0
    for document in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)\s]+)\)", document.read_text(encoding="utf-8")):
            if target.startswith("#") or re.match(r"^[a-z]+:", target):  # a web address, an example in code
                continue
            links += 1
            if not (document.parent / target.split("#")[0]).exists():
                broken.append(f"{document.relative_to(ROOT)}: {target}")
    assert links > 20
    assert broken == []
