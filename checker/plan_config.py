"""Reading a plan or state JSON named on the command line, and placing its blocks in the configuration beside it.

A result about a plan is only useful at the line to edit. The configuration is the plan's folder (or
`--config-dir`); each module call's folder is found from the plan's own `configuration` (`source`, relative to
the calling folder) or, for registry and git modules, from `.terraform/modules/modules.json`, as the HCL loader
finds them. Every file there is read as the HCL loader reads it (inside the repository root, within the
limits), so inline suppressions and source snippets work as for a scan of the folder. A block the
configuration does not write where the plan says is shown at the plan file.

Locals are not in a plan's `configuration`: what a local refers to is read from its expression here, so a
reference through `local.x` is followed when the configuration is beside the plan.
"""

from __future__ import annotations

from pathlib import Path

from . import limits
from .expr import Expr, Literal, Traversal, TupleExpr, walk
from .loader import Loader, is_local_source, recorded_modules
from .model import ACCOUNT_ORIGIN, Location, Unknown
from .overrides import is_override_file
from .parse import SyntaxBlock
from .plan import (
    ACCOUNT_MARKER,
    ORIGIN,
    PlanError,
    PlanSource,
    Written,
    address_lines,
    build,
    decode,
    kind_of,
    link_by_value,
)
from .result import ScanError
from .root import root_of


def load_plan(loader: Loader, path: Path, config_dir: Path | None) -> None:
    """Add the modules of the plan or state at `path` to the loader's stack; errors say why not."""
    if config_dir is not None and not loader.inputs.is_dir(config_dir):
        loader.errors.append(ScanError(str(config_dir), None, "--config-dir: no such folder"))
        return
    shown = loader.show(path)
    limit = max(loader.max_file_size, limits.MAX_PLAN_SIZE)
    data = loader.inputs.read(path, limit, None)  # named on the command line: trusted as to place
    if isinstance(data, str):
        loader.errors.append(ScanError(shown, None, data))
        return
    if len(data) > limit:
        loader.errors.append(ScanError(shown, None, f"larger than the plan size limit of {limits.show_size(limit)}: "
                                                    "not read"))
        return
    loader.digests[shown] = loader.inputs.sha256[str(path)]
    try:
        document = decode(data)
    except PlanError as error:
        loader.errors.append(ScanError(shown, error.line, str(error)))
        return
    audited = ACCOUNT_MARKER in document
    if audited:
        from . import aws  # only for an account's snapshot: a scan of anything else never pays for it

        try:
            gaps = aws.recorded_errors(document[ACCOUNT_MARKER])
        except PlanError as error:
            loader.errors.append(ScanError(shown, error.line, str(error)))
            return
        loader.errors.extend(ScanError(shown, None, gap) for gap in gaps)
    loader.stack.files.append(shown)
    directory = config_dir if config_dir is not None else path.parent
    source = PlanSource(document=document, kind=kind_of(document) or "plan", shown=shown, directory=directory.resolve(),
                        display_dir=loader.show(directory), stack=loader.stack, lines=address_lines(data),
                        origin=ACCOUNT_ORIGIN if audited else ORIGIN)
    if config_dir is not None:  # named on the command line: its modules are bounded by its own repository
        loader.root = root_of(config_dir, loader.root)
    if not audited:  # an account has no configuration: a .tf file beside its snapshot is not where it is written
        _place(loader, source)
    modules = build(source)
    if audited:  # each account and region on its own: an id may repeat in another region
        for module in modules:
            link_by_value(loader.stack, [module])
    elif source.kind == "state":
        link_by_value(loader.stack, modules)


def _place(loader: Loader, source: PlanSource) -> None:
    """Where the configuration writes each block of the plan: the root folder and each module call's."""
    root = source.directory
    configuration = source.document.get("configuration", {}).get("root_module", {})
    if not loader.inputs.is_dir(root):
        return
    todo: list[tuple[tuple[str, ...], Path, dict]] = [((), root, configuration)]
    seen = 0
    while todo and seen < limits.MAX_SCAN_INSTANCES:
        path, folder, config = todo.pop()
        seen += 1
        written = _place_folder(loader, source, path, folder)
        # A plan's configuration says where each call's module is; a state has none: the HCL's own calls say.
        calls = config.get("module_calls") if source.kind == "plan" else {
            name: {"source": source_} for name, source_ in written.items()}
        for name, call in sorted((calls or {}).items()):
            found = _call_folder(loader, root, folder, (*path, name), call.get("source", ""))
            if found is not None:
                todo.append(((*path, name), found, call.get("module", {})))


def _call_folder(loader: Loader, root: Path, parent: Path, path: tuple[str, ...], source: str) -> Path | None:
    if is_local_source(source):
        folder = loader.inputs.resolve(parent / source)
    else:
        recorded = recorded_modules(loader, root)
        if not isinstance(recorded, dict) or ".".join(path) not in recorded:
            return None  # shown at the plan file: the plan has the module, the folder is not here
        folder = loader.inputs.resolve(root / recorded[".".join(path)][1])
    if not folder.is_relative_to(loader.root) or not loader.inputs.is_dir(folder):
        return None
    return folder


def _place_folder(loader: Loader, source: PlanSource, path: tuple[str, ...], folder: Path) -> dict[str, str]:
    """Place the blocks the folder's files write; returns its module calls' sources as written (literals)."""
    calls: dict[str, str] = {}
    files, _ = loader.inputs.config_files_in(folder, loader.base.resolve(), loader.skip)
    loader.parse_ahead(files)
    for file in files:
        syntax = loader.parse(file)
        if syntax is None:
            continue
        shown = loader.show(file)
        override = is_override_file(file.name)
        for block in syntax.blocks:
            key = _key(block)
            if key is not None:
                _written(source.placed.setdefault((path, *key), Written(Location(shown, block.line))), block,
                         shown, override)
            if block.type == "locals":
                for name, attribute in block.attributes.items():
                    refs = [node.dotted() for node in walk(attribute.expr)
                            if isinstance(node, Traversal) and isinstance(node.root, str)]
                    source.locals.setdefault((path, name), refs)
            if block.type == "module" and block.labels:
                source.placed.setdefault((path, "module", "module", block.labels[0]),
                                         Written(Location(shown, block.line)))
                written = block.attributes.get("source")
                value = getattr(written.expr, "value", None) if written is not None else None
                if isinstance(value, str):
                    calls[block.labels[0]] = value
    return calls


def _key(block: SyntaxBlock) -> tuple[str, str, str] | None:
    labels = block.labels
    if block.type in ("resource", "data") and len(labels) >= 2:
        return block.type, labels[0], labels[1]
    if block.type == "variable" and labels:
        return "variable", "variable", labels[0]
    if block.type == "provider" and labels:
        alias = block.attributes.get("alias")
        value = getattr(alias.expr, "value", None) if alias is not None else None
        return "provider", "provider", f"{labels[0]}.{value}" if isinstance(value, str) else labels[0]
    return None


def _written(written: Written, block: SyntaxBlock, shown: str, override: bool) -> None:
    """Where the block's arguments are written: an override file's (`override.tf`, `*_override.tf`) replace
    those of the block it merges into, as Terraform merges them. And its `lifecycle`'s ignore_changes."""
    _arguments(block, shown, "", written, override)
    for lifecycle in (b for b in block.blocks if b.type == "lifecycle"):
        ignored = lifecycle.attributes.get("ignore_changes")
        if ignored is not None and (override or written.ignore_changes is None):
            written.ignore_changes, written.lifecycle = _ignored(ignored.expr), Location(shown, ignored.line)


def _ignored(expr: Expr) -> list[str] | Unknown:
    """The argument names of `ignore_changes = [value, tags["team"]]` (or `all`), as Terraform reads them."""
    names = []
    for item in expr.items if isinstance(expr, TupleExpr) else (expr,):
        if isinstance(item, Traversal) and isinstance(item.root, str) and "[" not in item.dotted():
            names.append(item.dotted())
        elif isinstance(item, Literal) and isinstance(item.value, str):
            names.append(item.value)
        else:
            return Unknown("ignore_changes names an argument gateaudit cannot read")
    return names


def _arguments(block: SyntaxBlock, shown: str, prefix: str, written: Written, override: bool) -> None:
    for name, attribute in block.attributes.items():
        if override or prefix + name not in written.arguments:
            written.arguments[prefix + name] = Location(shown, attribute.line)
    for nested in block.blocks:
        if nested.type == "dynamic" and nested.labels:
            name = nested.labels[0]
            content = next((b for b in nested.blocks if b.type == "content"), None)
        else:
            name, content = nested.type, nested
        written.nested.setdefault(prefix + name, []).append(Location(shown, nested.line))
        if content is not None:
            _arguments(content, shown, f"{prefix}{name}.", written, override)
