"""No import circle in gateaudit (`checker/`), imports inside functions included: a lazy import that closes a
circle is a circle (STYLE.md)."""

import ast
from pathlib import Path

CHECKER = Path(__file__).resolve().parents[2] / "checker"
MODULES = {path.stem for path in CHECKER.glob("*.py")}


def imports(module: str) -> set[str]:
    """The gateaudit modules `module` imports, anywhere in its file (module level, functions, TYPE_CHECKING)."""
    tree = ast.parse((CHECKER / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.add(_in_package(alias.name.split(".")))
        elif isinstance(node, ast.ImportFrom):
            if node.level > 1:
                continue  # above the package: not gateaudit
            parts = (node.module or "").split(".") if node.module else []
            if node.level == 1:
                parts = ["gateaudit", *parts]
            if parts == ["gateaudit"]:  # `from . import x` / `from gateaudit import x`: x may be a module
                found.update(alias.name if alias.name in MODULES else "__init__" for alias in node.names)
            else:
                found.add(_in_package(parts))
    found.discard("")
    found.discard(module)
    return found


def _in_package(parts: list[str]) -> str:
    """The checker module a dotted import names, "__init__" for the package itself, "" for anything else."""
    if not parts or parts[0] != "gateaudit":
        return ""
    if len(parts) == 1:
        return "__init__"
    return parts[1] if parts[1] in MODULES else ""  # gateaudit.rules, gateaudit.reports: other packages


def graph() -> dict[str, set[str]]:
    return {module: imports(module) for module in sorted(MODULES)}


def cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import circle, as the modules along it (the first repeated at the end); None when there is none."""
    done: set[str] = set()
    for start in sorted(edges):
        path: list[str] = []
        on_path: set[str] = set()
        stack = [(start, iter(sorted(edges[start])))]
        if start in done:
            continue
        path.append(start)
        on_path.add(start)
        while stack:
            node, targets = stack[-1]
            target = next(targets, None)
            if target is None:
                stack.pop()
                path.pop()
                on_path.discard(node)
                done.add(node)
            elif target in on_path:
                return [*path[path.index(target):], target]
            elif target not in done and target in edges:
                stack.append((target, iter(sorted(edges[target]))))
                path.append(target)
                on_path.add(target)
    return None


def test_the_import_reader_sees_lazy_and_package_imports():
    assert "scan_cache" in imports("engine")  # inside a function
    assert "__init__" in imports("cache")  # `from gateaudit import __version__`, inside a function


def test_the_cycle_finder_finds_a_circle():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_circle_in_gateaudit():
    found = cycle(graph())
    assert found is None, "import circle in gateaudit: " + " -> ".join(f"gateaudit.{m}" for m in found)
