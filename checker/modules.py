"""Load scanned folders into a Stack: root modules, the local modules they call, and variable values.

A folder of `.tf` files is a module. Folders that another scanned folder calls as a local module
(`source = "./..."`, `"../..."` or an absolute path) are loaded as that call's child, inputs bound, addressed
`module.NAME.…`; every other folder is a root. Registry and git sources are loaded from where `terraform init`
downloaded them (`.terraform/modules/modules.json`), as the call's children too. A call with count/for_each
gives one child per instance (`module.NAME["key"].…`). What cannot be loaded (a source not downloaded, a
local folder that does not exist or lies outside the repository root, `gateaudit.root`) is listed as not
scanned, with why.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Callable
from pathlib import Path

from . import discover, limits, openapi
from .expansion import instance_keys
from .expr import Literal
from .files import CommittedFiles
from .hcl import HclAttribute, HclBlock
from .loader import Loader, is_local_source, recorded_modules
from .model import Block, Location, Module, NotScanned, Scope, Stack, VariableValue
from .overrides import is_override_file
from .overrides import merge as merge_overrides
from .parse import ParseError, SyntaxAttribute, SyntaxBlock
from .parse_many import parse_all
from .result import ScanError
from .root import repository_root, root_of

_TOP_LEVEL_KINDS = {"resource", "data", "ephemeral", "module", "variable", "locals", "output", "provider",
                    "terraform", "check", "moved", "import", "removed"}
MAX_MODULE_DEPTH = 32


def load(paths: list[Path], var_files: list[Path] | None = None, use_cache: bool = True,
         max_file_size: int = limits.MAX_FILE_SIZE, repository: Path | None = None,
         skip: tuple[str, ...] = (), max_scan_size: int = limits.MAX_SCAN_SIZE,
         config_dir: Path | None = None) -> tuple[Stack, list[ScanError]]:
    """Load every scanned path. Returns the stack and the errors that make the scan untrustworthy."""
    loader = load_with_inputs(paths, var_files, use_cache, max_file_size, repository, skip, max_scan_size,
                              config_dir)
    return loader.stack, loader.errors


def load_with_inputs(paths: list[Path], var_files: list[Path] | None = None, use_cache: bool = True,
                     max_file_size: int = limits.MAX_FILE_SIZE, repository: Path | None = None,
                     skip: tuple[str, ...] = (), max_scan_size: int = limits.MAX_SCAN_SIZE,
                     config_dir: Path | None = None, each_root: Callable[[Stack], None] | None = None) -> Loader:
    """`load`, keeping what the loader asked the filesystem (`loader.inputs`).

    `repository` is the repository root (`gateaudit.root`; None: found from the current folder): each path is
    read within its own root (`root_of`), and the files the command line names are trusted as to place.
    `skip` holds the `--skip-path` patterns; what they skip is listed in `stack.skipped`.

    `each_root`, for a scan of one folder: each root module, with the local modules it calls, is handed to it
    as a stack of its own (`_root_stack`) as soon as it is loaded, and then let go, with the trees of the files
    only it read; `loader.stack` keeps what is the whole scan's (files, comments, spans, gaps), and no modules.
    A monorepo's memory is then that of its largest root, not of all of them. A plan or several paths are
    loaded whole, as without it.
    """
    repository = repository or repository_root()
    each_root = each_root if len(paths) == 1 else None
    loader = Loader(var_files=list(var_files or []), use_cache=use_cache, max_file_size=max_file_size,
                    skip=tuple(skip), max_scan_size=max_scan_size, config_dir=config_dir,
                    each_root=each_root, keep_outcomes=each_root is not None)
    loader.trusted = {Path(os.path.abspath(p)) for p in [*loader.var_files, *paths]}
    loader.stack.budget.files = files = CommittedFiles(loader)
    for path in paths:
        folder = path if loader.inputs.is_dir(path) else path.parent
        loader.root = root_of(path, repository)
        loader.base = folder
        loader.prefix = discover.display_prefix(folder, len(paths) > 1)
        loaded = len(loader.stack.modules)
        _load_path(loader, path)
        files.register(loader.stack.modules[loaded:], loader.root, loader.base, loader.prefix)
    if config_dir is not None and not any(loader.inputs.is_file(p) and not discover.is_config_file(p.name)
                                          for p in paths):
        loader.errors.append(ScanError(None, None, "--config-dir names the configuration of a scanned plan or "
                                                   "state JSON, and no plan or state is scanned"))
    openapi.add_routes(loader.stack, files)  # a source of its own, reading what the loaded stack says
    return loader


def _load_path(loader: Loader, path: Path) -> None:
    if not loader.inputs.exists(path):
        loader.errors.append(ScanError(str(path), None, "no such file or folder"))
        return
    files, problems, skipped = loader.inputs.find(path, loader.root, loader.skip)
    for problem_path, reason in problems:
        loader.errors.append(ScanError(loader.show(problem_path), None, reason))
    for skipped_path, reason in skipped:
        loader.stack.skipped[loader.show(skipped_path)] = reason
    if loader.inputs.is_file(path) and not discover.is_config_file(path.name):
        from .plan_config import load_plan  # a plan or state JSON, known by its content

        load_plan(loader, path, loader.config_dir)
        return
    by_directory: dict[Path, list[Path]] = {}
    for file in files:
        by_directory.setdefault(loader.inputs.resolve(file.parent), []).append(file)
    loader.parse_ahead(files)
    per_root = loader.each_root is not None
    sources: dict[Path, list[str | None]] = {}  # judging roots apart: each file's module calls' local sources
    for file in files:  # in the order found: the order of the report's files
        noted = loader.note(file) if per_root else None  # recorded; its tree unpickled when a root reads it
        if noted is not None:
            sources[file] = [source if is_local_source(source) else None for source in noted if source is not None]
            continue
        syntax = loader.parse(file)
        if per_root:
            sources[file] = [_local_source(block) for block in syntax.blocks] if syntax is not None else []
            loader.forget({Path(os.path.abspath(file))})
    called = set()
    for directory, directory_files in by_directory.items():
        if per_root and not any(is_override_file(file.name) for file in directory_files):
            found = [source for file in directory_files for source in sources[file]]  # no tree unpickled again
        else:  # an override may change a call's source
            found = [_local_source(block) for _, block in _module_blocks(loader, directory_files)]
        for source in found:
            target = loader.inputs.resolve(directory / source) if source is not None else directory
            if target != directory:
                called.add(target)
        if per_root:
            loader.forget({Path(os.path.abspath(file)) for file in directory_files})
    loaded: set[Path] = set()
    for directory, directory_files in sorted(by_directory.items()):
        if directory not in called:
            loaded |= _load_root(loader, directory, directory_files)
    # Folders that only call each other in a cycle have no root above them: load each, so the cycle is
    # reported instead of the folders silently vanishing from the scan.
    for directory, directory_files in sorted(by_directory.items()):
        if directory not in loaded:
            loaded |= _load_root(loader, directory, directory_files)


def _load_root(loader: Loader, directory: Path, files: list[Path]) -> set[Path]:
    """Load a root module and the modules it calls; with `loader.each_root`, hand them on and let them go.
    Returns the folders loaded."""
    loaded = _load_one_root(loader, directory, files)
    if loader.each_root is not None:
        # A root's blocks and modules refer to each other: only the collector frees them, and the engine turns
        # it off while it judges. All the root built is younger than what the scan keeps, so the youngest
        # generation holds it: collecting that one costs what the root held, not what the scan holds. (Here, not
        # in `_load_one_root`, whose variables still hold the root.)
        gc.collect(0)
    return loaded


def _load_one_root(loader: Loader, directory: Path, files: list[Path]) -> set[Path]:
    first, gaps = len(loader.stack.modules), len(loader.stack.not_scanned)
    root = Module(key="", directory=directory, display_dir=_display_dir(loader, directory),
                  budget=loader.stack.budget)
    _read_variable_values(loader, root)
    _build(loader, root, files, ancestors=(directory,))
    modules = loader.stack.modules[first:]
    loaded = {module.directory for module in modules}
    if loader.each_root is not None:
        files_read = loader.stack.budget.files
        if isinstance(files_read, CommittedFiles):  # file() and templatefile() read from the root's folder
            files_read.register([root], loader.root, loader.base, loader.prefix)
        stack = _root_stack(loader.stack, modules, loader.stack.not_scanned[gaps:])
        openapi.add_routes(stack, files_read if isinstance(files_read, CommittedFiles) else None)
        loader.each_root(stack)
        del loader.stack.modules[first:]
        if isinstance(files_read, CommittedFiles):
            files_read.places.pop(id(root), None)
        _let_go(loader, directory)
    return loaded


def _root_stack(whole: Stack, modules: list[Module], gaps: list[NotScanned]) -> Stack:
    """A stack of one root module and the modules it calls: what the rules judge of it. The scan's budget, files,
    comments and texts are the whole scan's, shared."""
    return Stack(modules=modules, not_scanned=gaps, skipped=whole.skipped, files=whole.files, sources=whole.sources,
                 comments=whole.comments, spans=whole.spans, var_files=whole.var_files, budget=whole.budget)


def _let_go(loader: Loader, directory: Path) -> None:
    """After the root in `directory` is judged: the trees of the files it read, but those a second root read too
    (a shared module: few, and read by the next root again), which stay parsed. The root's own files no other
    root reads (no folder calls a root's): their pickled trees go too."""
    read = [path for path, syntax in loader.parsed.items() if syntax is not None]
    once = set()
    for path in read:
        loader.roots_read[path] = loader.roots_read.get(path, 0) + 1
        if loader.roots_read[path] == 1:
            once.add(path)
    loader.forget(once)
    loader.drop({path for path in once if path.parent == directory})


def _display_dir(loader: Loader, directory: Path) -> str:
    shown = loader.show(directory)
    return "." if shown in ("", ".") else shown


def _local_source(block: SyntaxBlock) -> str | None:
    if block.type != "module" or "source" not in block.attributes:
        return None
    expr = block.attributes["source"].expr
    if isinstance(expr, Literal) and isinstance(expr.value, str) and is_local_source(expr.value):
        return expr.value
    return None


def _read_variable_values(loader: Loader, module: Module) -> None:
    for path in [*loader.inputs.tfvars_files(module.directory), *loader.var_files]:
        if path in loader.var_files and not loader.inputs.exists(path):
            loader.errors.append(ScanError(str(path), None, "variable file not found"))
            continue
        text = loader.read(path)
        if text is None:
            continue
        try:
            attributes = _tfvars_attributes(loader, path, text)
        except ParseError as error:
            loader.errors.append(ScanError(loader.show(path), error.line, error.message))
            continue
        loader.stack.var_files.append(loader.show(path))
        for name, attribute in attributes.items():
            module.variable_values[name] = VariableValue(attribute, Location(loader.show(path), attribute.line))


def _tfvars_attributes(loader: Loader, path: Path, text: str) -> dict[str, SyntaxAttribute]:
    if path.name.endswith(".json"):
        from . import jsonpos

        try:
            document = jsonpos.loads(text)
        except jsonpos.JSONError as error:
            raise ParseError(f"not valid JSON: {error.message}", error.line) from None
        if not isinstance(document.value, dict):
            raise ParseError("a .tfvars.json file must hold a JSON object", document.line)
        return {name: SyntaxAttribute(name, _json_literal(node), line)
                for name, (line, node) in document.value.items()}
    [(status, syntax, message, line)] = parse_all([(path.name, text)], use_cache=loader.use_cache,
                                                  worker_memory=limits.parse_memory(loader.max_file_size))
    if status == "error":  # parsed like every other file: in a worker of bounded memory, when it is large
        raise ParseError(message, line)
    if syntax.blocks:
        raise ParseError("a variable file holds only assignments, not blocks", syntax.blocks[0].line)
    return syntax.attributes


def _json_literal(node) -> Literal:
    from . import jsonpos
    from .expr import ObjectExpr, TupleExpr, Unsupported

    if isinstance(node.value, list):
        return TupleExpr(node.line, tuple(_json_literal(item) for item in node.value))
    if isinstance(node.value, dict):
        return ObjectExpr(node.line, tuple((Literal(line, key), _json_literal(child))
                                           for key, (line, child) in node.value.items()))
    if isinstance(node.value, jsonpos.LongNumber):
        return Unsupported(node.line, f"a number of {node.value.digits} digits")
    return Literal(node.line, node.value)


def _module_blocks(loader: Loader, files: list[Path]) -> list[tuple[str, SyntaxBlock]]:
    """The top-level blocks of one module folder's files, (file shown, block), its override files merged in."""
    key = (loader.base, loader.prefix, tuple(files))
    if key in loader.merged:
        return loader.merged[key]
    loader.parse_ahead(files)
    primary: list[tuple[str, SyntaxBlock]] = []
    overridden: list[tuple[str, SyntaxBlock]] = []
    for file in sorted(files, key=lambda f: f.name):  # Terraform applies override files in the order of their names
        syntax = loader.parse(file)
        if syntax is not None:
            shown = loader.show(file)
            (overridden if is_override_file(file.name) else primary).extend((shown, b) for b in syntax.blocks)
    blocks, errors = merge_overrides(primary, overridden)
    if key not in loader.merge_reported:  # merged again after `forget`: its errors were recorded the first time
        loader.merge_reported.add(key)
        loader.errors.extend(errors)
    loader.merged[key] = blocks
    return blocks


def _build(loader: Loader, module: Module, files: list[Path], ancestors: tuple[Path, ...]) -> None:
    loader.stack.modules.append(module)
    syntax_blocks = _module_blocks(loader, files)
    expandable: list[tuple[str, SyntaxBlock, Block]] = []
    for shown, syntax in syntax_blocks:
        if syntax.type not in _TOP_LEVEL_KINDS:
            loader.errors.append(ScanError(shown, syntax.line, f'"{syntax.type}" is not a Terraform block type'))
            continue
        block = _declare(loader, module, shown, syntax)
        if block is not None and block.kind in ("resource", "data", "ephemeral"):
            expandable.append((shown, syntax, block))
    for shown, syntax, placeholder in expandable:
        _expand(module, shown, syntax, placeholder)
    calls = [b for b in module.blocks if b.kind == "module"]
    # A call's count/for_each may read another call's outputs (`for_each = module.api.routes`): the calls
    # without them are loaded first, so those outputs are there whatever the order they are written in.
    for call in sorted(calls, key=lambda c: "count" in c.syntax.attributes or "for_each" in c.syntax.attributes):
        _load_call(loader, module, call, ancestors)
    module.blocks.sort(key=lambda b: (b.location.file, b.location.line, b.address))


def _declare(loader: Loader, module: Module, shown: str, syntax: SyntaxBlock) -> Block | None:
    kind = syntax.type
    labels = syntax.labels
    needed = {"resource": 2, "data": 2, "ephemeral": 2, "module": 1, "variable": 1, "output": 1, "provider": 1}
    if len(labels) < needed.get(kind, 0):
        loader.errors.append(ScanError(shown, syntax.line, f'a "{kind}" block needs {needed[kind]} label(s)'))
        return None
    location = Location(shown, syntax.line)
    if kind in ("resource", "data", "ephemeral"):
        type_, name = labels[0], labels[1]
        prefix = "" if kind == "resource" else f"{kind}."
        key = (kind, type_, name)
        if key in module.resources:
            first = module.resources[key][0].location
            loader.errors.append(ScanError(shown, syntax.line, f"{prefix}{type_}.{name} is declared twice "
                                                               f"(first at {first})"))
            return None
        block = HclBlock(kind=kind, type=type_, name=name, address=module.address(f"{prefix}{type_}.{name}"),
                      location=location, module=module, syntax=syntax)
        module.resources[key] = [block]
        return block
    name = labels[0] if labels else kind
    alias = syntax.attributes.get("alias")
    provider = f"provider.{name}"
    if kind == "provider" and alias is not None and isinstance(alias.expr, Literal):
        provider += f".{alias.expr.value}"  # Terraform shows provider["…/aws"].west; this keeps it readable
    addresses = {"module": f"module.{name}", "variable": f"var.{name}", "output": f"output.{name}",
                 "provider": provider}
    address = module.address(addresses.get(kind, kind))
    if kind in addresses:  # Terraform rejects a second declaration of the same name: a reader sees one of them
        declared = {"variable": module.variables, "output": module.outputs}.get(kind)
        first = declared.get(name) if declared is not None else next(
            (b for b in module.blocks if b.kind == kind and b.address == address), None)  # calls, providers: few
        if first is not None:
            loader.errors.append(ScanError(shown, syntax.line, f"{addresses[kind]} is declared twice "
                                                               f"(first at {first.location})"))
            return None
    block = HclBlock(kind=kind, type=kind, name=name, address=address, location=location, module=module,
                  syntax=syntax)
    module.blocks.append(block)
    if kind == "variable":
        module.variables[name] = block
    elif kind == "output":
        module.outputs[name] = block
    elif kind == "locals":
        for local_name, attribute in syntax.attributes.items():
            local = HclAttribute(attribute, block, local_name)
            if local_name in module.locals:
                loader.errors.append(ScanError(local.location.file, attribute.line, f"local.{local_name} is "
                                               f"declared twice (first at {module.locals[local_name].location})"))
                continue
            module.locals[local_name] = local
    return block


def _expand(module: Module, shown: str, syntax: SyntaxBlock, placeholder: Block) -> None:
    instances, unknown = instance_keys(syntax, Scope(module, {}, placeholder))
    blocks = []
    for key, bindings in instances:
        block = HclBlock(kind=placeholder.kind, type=placeholder.type, name=placeholder.name,
                      address=placeholder.address + _key_suffix(key),
                      location=placeholder.location, module=module, syntax=syntax, bindings=bindings,
                      instance_key=key)
        block.expansion = unknown
        blocks.append(block)
    module.resources[(placeholder.kind, placeholder.type, placeholder.name)] = blocks
    module.blocks.extend(blocks)


def _load_call(loader: Loader, parent: Module, placeholder: Block, ancestors: tuple[Path, ...]) -> None:
    """Load a module call: one child module per instance its count/for_each gives (none for 0 or empty).

    The call's folder is found once; each instance binds its own count.index/each.* in the call's arguments.
    """
    parent.calls[placeholder.name] = placeholder
    source_attribute = placeholder.get("source")
    if source_attribute is None:
        loader.errors.append(ScanError(placeholder.location.file, placeholder.location.line,
                                       f'{placeholder.address} has no "source"'))
        return
    source = source_attribute.value
    if not isinstance(source, str):
        loader.errors.append(ScanError(placeholder.location.file, placeholder.location.line,
                                       f"{placeholder.address}: source must be a literal string"))
        return
    folder = _call_folder(loader, parent, placeholder, source, ancestors)
    if folder is None:  # an error was recorded
        return
    instances, unknown = instance_keys(placeholder.syntax, Scope(parent, {}, placeholder))
    expanded = "count" in placeholder.syntax.attributes or "for_each" in placeholder.syntax.attributes
    if expanded:  # the call as written stands for no block: its instances do
        parent.blocks.remove(placeholder)
    budget = loader.stack.budget
    for key, bindings in instances:
        call = placeholder
        if expanded:
            call = HclBlock(kind="module", type="module", name=placeholder.name,
                            address=placeholder.address + _key_suffix(key), location=placeholder.location,
                            module=parent, syntax=placeholder.syntax, bindings=bindings, instance_key=key)
            call.expansion = unknown
            parent.blocks.append(call)
        if isinstance(folder, str):
            loader.stack.not_scanned.append(NotScanned(call.address, source, call.location, folder))
            continue
        if budget.instances > budget.max_instances:  # a module called many times over multiplies its blocks
            loader.stack.not_scanned.append(NotScanned(
                call.address, source, call.location,
                f"not loaded: the scan's budget of {budget.max_instances} resource and module instances is "
                "spent"))
            continue
        directory, files = folder
        child = Module(key=call.address, directory=directory, display_dir=_display_dir(loader, directory),
                       parent=parent, call=call, budget=budget)
        parent.children[call.name + _key_suffix(call.instance_key)] = child
        _build(loader, child, files, (*ancestors, directory))


def _key_suffix(key: object) -> str:
    if key is None:
        return ""
    return f'["{key}"]' if isinstance(key, str) else f"[{key}]"


def _call_folder(loader: Loader, parent: Module, call: Block, source: str,
                 ancestors: tuple[Path, ...]) -> tuple[Path, list[Path]] | str | None:
    """The folder a module call loads and its files; why it is not scanned (a str); None after an error."""
    source_line = call.get("source").location.line
    if is_local_source(source):
        directory = loader.inputs.resolve(parent.directory / source)
    else:
        found = _downloaded(loader, parent, call, source)
        if isinstance(found, str):
            return found
        directory = found
    not_read = _not_read(loader, directory)
    if not_read:
        return not_read
    if not loader.inputs.is_dir(directory):
        # A folder that is not there is a gap, not a broken scan: a shared file linked into several roots has
        # relative sources that resolve only from where it is linked, and the coverage rules say what was missed.
        if not is_local_source(source):
            return f"the folder {loader.show(directory)!r} that terraform init recorded is gone: run `terraform " \
                   "init` again"
        return f"the folder {loader.show(directory)!r} does not exist (the source resolves from " \
               f"{_display_dir(loader, parent.directory)!r})"
    if directory in ancestors and not is_local_source(source):  # what modules.json says, not what the code wrote
        return (f".terraform/modules/modules.json puts it in {loader.show(directory)!r}, a folder that calls it: run "
                "`terraform init` again")
    if directory in ancestors:
        loader.errors.append(ScanError(call.location.file, source_line,
                                       f"{call.address}: module source {source!r} calls itself (a module cycle)"))
        return None
    if len(ancestors) >= MAX_MODULE_DEPTH:
        loader.errors.append(ScanError(call.location.file, call.location.line,
                                       f"{call.address}: modules nested deeper than {MAX_MODULE_DEPTH}"))
        return None
    files, skipped = loader.inputs.config_files_in(directory, loader.base.resolve(), loader.skip)
    for skipped_path, reason in skipped:
        loader.stack.skipped[loader.show(skipped_path)] = reason
    if not files:
        loader.errors.append(ScanError(call.location.file, source_line,
                                       f"{call.address}: module source {source!r} has no .tf files"))
        return None
    return directory, files


_EXACT_VERSION = re.compile(r"\s*=?\s*\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?\s*")  # `version = "5.0.0"`: one version only


def _downloaded(loader: Loader, parent: Module, call: Block, source: str) -> Path | str:
    """The folder `terraform init` downloaded a registry or git module call to, or why it cannot be used.

    `.terraform/modules/modules.json`, in the root module's folder, maps each call's key (the call names from
    the root, `api` or `api.routes`, no instance keys) to its `Source` and `Dir` (relative to that folder).
    The file is the scanned tree's, so untrusted: read within the limits, and a `Dir` must lie inside the
    repository root.
    """
    names = [call.name]
    root = parent
    while root.parent is not None:
        names.append(root.call.name)
        root = root.parent
    key = ".".join(reversed(names))
    manifest = recorded_modules(loader, root.directory)
    if isinstance(manifest, str):
        return manifest
    if manifest is None:
        return "run `terraform init` first"
    if key not in manifest:
        return "not downloaded (not in .terraform/modules/modules.json): run `terraform init` again"
    recorded, folder, version = manifest[key]
    if _canonical_source(recorded) != _canonical_source(source):
        return (f"terraform init downloaded it from {recorded!r}, not from this source (a stale "
                ".terraform/modules/modules.json): run `terraform init` again")
    wanted = call.value("version")
    if isinstance(wanted, str) and _EXACT_VERSION.fullmatch(wanted) and version is not None \
            and wanted.strip().lstrip("=").strip() != version:
        return (f"terraform init downloaded version {version!r}, not {wanted.strip()!r} (a stale "
                ".terraform/modules/modules.json): run `terraform init` again")
    directory = loader.inputs.resolve(root.directory / folder)
    if not directory.is_relative_to(loader.root):
        return (f".terraform/modules/modules.json puts it in {folder!r}, outside the repository root "
                f"{loader.root}: not read")
    return directory


def _canonical_source(source: str) -> str:
    """A module source as `terraform init` records it and as a call writes it, made comparable: Terraform
    records registry sources with their host (`registry.terraform.io/x/y/aws`) and GitHub shorthands as git
    URLs (`git::https://github.com/x/y.git`)."""
    source = source.strip().removeprefix("registry.terraform.io/").removeprefix("git::")
    source = re.sub(r"^(?:https|ssh)://(?:git@)?", "", source)
    return re.sub(r"\.git(?=$|[/?])", "", source.replace("git@github.com:", "github.com/"))


def _not_read(loader: Loader, directory: Path) -> str | None:
    """Why a local module folder is not read, or None: its resources are then not judged, and reports say so."""
    if not directory.is_relative_to(loader.root):  # the scanned tree must not make gateaudit read elsewhere
        return "outside the repository root: not read"
    relative = os.path.relpath(directory, loader.base.resolve()).replace(os.sep, "/")  # what --skip-path sees
    skipped_by = discover.skip_reason(relative, loader.skip)
    return f"{discover.SKIPPED_BY}{skipped_by}" if skipped_by else None
