"""Nothing outside bookbuilder/engine/ reaches into WeasyPrint's or ebooklib's internals.

Read with `ast`, not run: outside engine/, the code may import from `weasyprint` only the
names of its documented API (PUBLIC below), and nothing from ebooklib (engine/ebook.py
hands out its public classes); it may not import a private name from anywhere, nor read
an attribute with a private name (`page._page_box`, `super()._get_nav`) unless bookbuilder
itself defines that name. Each finding names the file and line.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "bookbuilder"
ENGINE = SRC / "engine"
ENGINES = ("weasyprint", "ebooklib", "pydyf")
#: WeasyPrint's documented top-level API (its __all__ and the documented fetcher function).
PUBLIC = {"weasyprint": {"HTML", "CSS", "Document", "Page", "Attachment", "DEFAULT_OPTIONS", "VERSION",
                         "__version__", "default_url_fetcher"}}


def private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def own_private_names(files) -> set[str]:
    """Private names bookbuilder defines itself (functions, classes, variables, attributes it sets, slots)."""
    names: set[str] = set()
    for file in files:
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isidentifier():
                names.add(node.value)  # __slots__ and namedtuple fields
    return {n for n in names if private(n)}


def findings(source: str, where: str, own: set[str]) -> list[str]:
    """What in `source` reaches into an engine: 'where:line: why'."""
    found = []
    engine_aliases: dict[str, str] = {}  # local name -> engine module it is bound to
    tree = ast.parse(source)
    other_modules = set()  # names bound to other libraries' modules (lxml's etree._Element is its documented type)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            other_modules |= {a.asname or a.name.split(".")[0] for a in node.names if a.name.split(".")[0] not in ENGINES}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module.split(".")[0] not in ENGINES:
            other_modules |= {a.asname or a.name for a in node.names}
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top in ENGINES:
                    if alias.name != top or top != "weasyprint":
                        found.append(f"{where}:{line}: imports {alias.name} (go through bookbuilder.engine)")
                    engine_aliases[alias.asname or top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            top = node.module.split(".")[0]
            if top in ENGINES:
                names = [a.name for a in node.names]
                bad = [n for n in names if n not in PUBLIC.get(node.module, set())]
                if node.module != top or bad:
                    found.append(f"{where}:{line}: imports {', '.join(bad or names)} from {node.module} "
                                 "(go through bookbuilder.engine)")
            for alias in node.names:
                if private(alias.name):
                    found.append(f"{where}:{line}: imports the private {alias.name} from {node.module}")
        elif isinstance(node, ast.Attribute):
            inherited = isinstance(node.value, ast.Call) and getattr(node.value.func, "id", None) == "super"
            elsewhere = isinstance(node.value, ast.Name) and node.value.id in other_modules
            if private(node.attr) and not elsewhere and (inherited or node.attr not in own):
                found.append(f"{where}:{line}: reads the private attribute .{node.attr} of another library's object")
            if isinstance(node.value, ast.Name) and node.value.id in engine_aliases \
                    and node.attr not in PUBLIC.get(engine_aliases[node.value.id], set()):
                found.append(f"{where}:{line}: uses {node.value.id}.{node.attr} (go through bookbuilder.engine)")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"getattr", "setattr"} \
                and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) \
                and isinstance(node.args[1].value, str) and private(node.args[1].value) \
                and node.args[1].value not in own:
            found.append(f"{where}:{line}: {node.func.id} of the private {node.args[1].value}")
    return found


def outside_engine() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if ENGINE not in p.parents)


def test_the_engine_package_exists_and_the_scan_sees_the_code():
    files = outside_engine()
    assert (ENGINE / "__init__.py").is_file() and len(files) > 30


def test_nothing_outside_engine_reaches_into_an_engine():
    own = own_private_names(outside_engine())
    found = [f for path in outside_engine()
             for f in findings(path.read_text(encoding="utf-8"), str(path.relative_to(SRC.parent)), own)]
    assert not found, "engine internals used outside bookbuilder/engine/:\n" + "\n".join(found)


@pytest.mark.parametrize("source", [
    "from weasyprint.layout import block",
    "from weasyprint.formatting_structure import boxes",
    "import weasyprint.pdf.metadata",
    "from weasyprint import _private",
    "from ebooklib import epub",
    "from ebooklib.epub import NAMESPACES",
    "import weasyprint\nweasyprint.layout.make_margin_boxes = None",
    "root = page._page_box.children[0]",
    "class W:\n    def _get_nav(self, item):\n        return super()._write_opf_file(item)",
    "x = getattr(page, '_page_box')",
    "from lxml import etree\nfrom weasyprint import HTML\nHTML(string='').render().pages[0]._page_box",
])
def test_the_scan_catches_a_reach_into_an_engine(source):
    """The check above can fail: each of these is what it exists to find."""
    assert findings(source, "example.py", own=set()), source


@pytest.mark.parametrize("source", [
    "from weasyprint import HTML, CSS",
    "from ..engine.boxes import page_box",
    "class A:\n    def __init__(self):\n        self._cache = {}\n    def f(self):\n        return self._cache",
    "import logging\nlogging.getLogger('weasyprint')",
    "from lxml import etree\ndef f(el: etree._Element): pass",
])
def test_the_scan_lets_public_use_through(source):
    own = own_private_names_of(source)
    assert not findings(source, "example.py", own), source


def own_private_names_of(source: str) -> set[str]:
    tree_names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and private(node.attr):
            tree_names.add(node.attr)
    return tree_names
