"""The loaded stack as rules see it: modules, blocks, attributes, values, references, locations.

Rules read only this model, never parser shapes or files, so the same rules can later judge a plan or a
live account: every fact keeps a `Location` saying where it came from.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

from . import limits
from .schema import sensitive_arguments

if TYPE_CHECKING:
    from .parse import SyntaxAttribute


_NO_BINDINGS: Mapping[str, Any] = MappingProxyType({})
ACCOUNT_ORIGIN = "aws"  # Location.origin of a fact read from a deployed account (`gateaudit audit`)


@dataclass(frozen=True)
class Location:
    file: str  # relative to the scanned path, with forward slashes
    line: int  # 1-based
    origin: str = "terraform"  # where the fact was read: Terraform source today; a plan or AWS later

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, eq=False)
class Unknown:
    """A value gateaudit cannot know from the configuration, and why.

    `refs` names what it depends on (`var.api_key`, `aws_lambda_function.auth.arn`); `partial` keeps what
    is known of its shape: the object given to `jsonencode`, or a template's text with `${...}` holes.
    """

    reason: str
    refs: tuple[str, ...] = ()
    partial: Any = None

    # An Unknown must never pass for true, false, equal or different by accident: a rule has to ask
    # `isinstance(value, Unknown)` and say what it could not resolve.
    def __bool__(self) -> bool:
        raise TypeError(f"truth value of an unknown value ({self.reason}) is undefined")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Unknown):
            return (self.reason, self.refs) == (other.reason, other.refs)
        raise TypeError(f"comparing an unknown value ({self.reason}) is undefined")

    def __hash__(self) -> int:
        return hash((self.reason, self.refs))


def unknowns(value: Any, encoded: bool = False) -> Iterator[Unknown]:
    """Every Unknown in a value, in order; a list or map held by several parents is looked into once, so a
    value built by doubling a list twenty times costs what it holds, not what it would render to.

    `encoded`: for a jsonencode(...) of an object with unknowns in it (an Unknown whose `partial` is that
    object), the unknowns in the object rather than the encoded text's own."""
    seen: set[int] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Unknown):
            if encoded and isinstance(item.partial, dict | list):
                stack.append(item.partial)
            else:
                yield item
        elif isinstance(item, dict | list | tuple) and id(item) not in seen:
            seen.add(id(item))
            stack.extend(reversed(item.values() if isinstance(item, dict) else item))


def strings_in(value: Any) -> Iterator[str]:
    """Every string in a value, inside maps and lists too."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from strings_in(item)


def every_attribute(block: Block) -> list[Attribute]:
    """A block's arguments and those of its nested blocks, at every depth."""
    attributes = list(block.attributes.values())
    for nested in block.nested:
        attributes += every_attribute(nested)
    return attributes


def contains_unknown(value: Any) -> bool:
    """Whether an Unknown is anywhere in a value."""
    if not isinstance(value, dict | list | tuple):
        return isinstance(value, Unknown)
    return next(unknowns(value), None) is not None


def same(first: Any, second: Any) -> bool | Unknown:
    """Are two values equal? True or False when both are known; the first Unknown otherwise (never a guess)."""
    unknown = next(unknowns(first), None)
    if unknown is None:  # not `or`: an Unknown has no truth value
        unknown = next(unknowns(second), None)
    return unknown if unknown is not None else first == second


def provider_sensitive(block: Block) -> frozenset[str]:
    """The argument paths (`password`, `user.password`) the AWS provider marks sensitive in the resource that
    holds this block; empty for data sources, other kinds and types with none. Asking it first spares a rule
    from reading the nested blocks of resources with nothing sensitive."""
    top = block
    while top.parent is not None:
        top = top.parent
    return sensitive_arguments(top.type) if top.kind == "resource" else frozenset()


def all_true(*answers: bool | Unknown) -> bool | Unknown:
    """Three-valued `and` of answers such as `same` gives: False if any is False (whatever else is unknown),
    else the first Unknown, else True."""
    if any(answer is False for answer in answers):
        return False
    return next((answer for answer in answers if isinstance(answer, Unknown)), True)


def any_true(*answers: bool | Unknown) -> bool | Unknown:
    """Three-valued `or`: True if any is True (whatever else is unknown), else the first Unknown, else False."""
    if any(answer is True for answer in answers):
        return True
    return next((answer for answer in answers if isinstance(answer, Unknown)), False)


@dataclass(frozen=True)
class Reference:
    """An attribute's reference to another block, resolved through variables, locals and modules."""

    block: Block
    attribute: str | None  # `execution_arn` in `aws_api_gateway_rest_api.api.execution_arn`


class Attribute:
    """An argument of a block: its value, the line that wrote it and what it refers to.

    A source builds it. This class holds values given outright (a plan, an AWS account, a model built by
    hand); `gateaudit.hcl.HclAttribute` evaluates the expression that wrote it when asked. Rules read
    `value`, `references` and `location`; where a value comes from is `gateaudit.provenance`'s question.
    """

    expr: Any = None  # the expression that wrote it, where a source has one; only provenance reads it
    # For a value given outright (no `expr`) that the configuration does not write as a literal: how it was
    # given, as provenance's Origin says it ("supplied", "var.api_key, set when the plan was made") or why that
    # cannot be told ("unresolved", ...). None: a literal of the configuration, or a source that cannot say.
    given: tuple[str, str] | None = None

    def __init__(self, name: str, block: Block, path: str, location: Location, value: Any = None,
                 references: tuple[Reference, ...] = ()):
        self.name = name
        self.block = block
        self.path = path  # `access_log_settings.destination_arn`
        self.location = location
        self.value = value
        self.references = references

    @property
    def sensitive(self) -> bool:
        """The provider marks this argument sensitive (`aws_db_instance.password`, `aws_mq_broker`'s
        `user.password`): from the shipped AWS provider schema, for resource arguments. A source that knows
        better (a plan's `sensitive_values`) may say so itself."""
        return self.path in provider_sensitive(self.block)

    def referenced_blocks(self, *types: str) -> list[Block]:
        """Blocks this attribute refers to, optionally only those of the given types, without repeats."""
        seen: dict[int, Block] = {}
        for ref in self.references:
            if not types or ref.block.type in types:
                seen.setdefault(id(ref.block), ref.block)
        return list(seen.values())

    def __repr__(self) -> str:
        return f"<Attribute {self.block.address}.{self.path} at {self.location}>"


class Block:
    """A block with its Terraform address: `aws_api_gateway_method.get`, `module.api.var.key`.

    Resources and data sources with `count`/`for_each` give one Block per instance, addressed with its
    key. Nested blocks (`access_log_settings`, the content of `dynamic "x"`) are Blocks too, with kind
    "nested" and their parent's address. A source builds them: this class holds the arguments and nested
    blocks it is given (`attributes`, `nested`); `gateaudit.hcl.HclBlock` reads them from its syntax.
    """

    def __init__(self, *, kind: str, type: str, name: str, address: str, location: Location,
                 module: Module, parent: Block | None = None, bindings: dict[str, Any] | None = None,
                 instance_key: Any = None, path: str = ""):
        self.kind = kind  # resource, data, ephemeral, module, variable, locals, output, provider, terraform, nested
        self.type = type  # resource/data type, nested block type, or the kind for the others
        self.name = name
        self.address = address
        self.location = location
        self.module = module
        self.parent = parent
        # count.index, each.key/value, dynamic iterators; most blocks have none and share one read-only mapping
        self.bindings = bindings or _NO_BINDINGS
        self.instance_key = instance_key
        self.path = path  # for nested blocks: `settings`, `access_log_settings`
        self.expansion: Unknown | None = None  # set when count/for_each could not be resolved

    @property
    def scope(self) -> Scope:
        return Scope(self.module, self.bindings, self)

    @cached_property
    def attributes(self) -> dict[str, Attribute]:
        return {}  # a source that gives values fills it in

    @cached_property
    def nested(self) -> list[Block]:
        return []

    def get(self, name: str) -> Attribute | None:
        return self.attributes.get(name)

    def value(self, name: str, default: Any = None) -> Any:
        """The evaluated value of an argument, or `default` when it is not set (or set to null)."""
        attribute = self.attributes.get(name)
        value = None if attribute is None else attribute.value
        return default if value is None else value

    def has(self, name: str) -> bool:
        return name in self.attributes

    def blocks(self, type: str) -> list[Block]:
        """Nested blocks of a type, including those a `dynamic` block generates."""
        return [b for b in self.nested if b.type == type]

    def blocks_at(self, path: str) -> list[Block]:
        """The nested blocks at a path of block types (`environment`, `settings.throttle`): every one of each
        type, level by level; [self] for the empty path."""
        blocks = [self]
        for part in path.split(".") if path else ():
            blocks = [child for parent in blocks for child in parent.blocks(part)]
        return blocks

    def attributes_at(self, path: str) -> list[Attribute]:
        """The arguments at a path (`environment.variables`: that argument of every `environment` block)."""
        nested, _, name = path.rpartition(".")
        return [attribute for block in self.blocks_at(nested) if (attribute := block.get(name)) is not None]

    def __repr__(self) -> str:
        return f"<Block {self.address} at {self.location}>"


@dataclass(frozen=True)
class Scope:
    module: Module
    bindings: Mapping[str, Any]
    block: Block | None = None


class Files(Protocol):
    """The repository's files as file() and templatefile() read them. The loader installs one on the stack's
    Budget (gateaudit.files): the model and the evaluator never open a file themselves."""

    def text(self, module: Module, path: str) -> str | Unknown:
        """The file's text, `path` as the configuration of `module` writes it; else an Unknown saying why not."""

    def template(self, module: Module, path: str) -> Any:
        """The file's text parsed as a template (a `gateaudit.expr` expression), or an Unknown saying why not."""

    def shown(self, module: Module, path: str) -> str | None:
        """The file as reports show it (relative to the scanned folder); None when it cannot be placed."""

    def sources(self, module: Module, path: str, suffixes: tuple[str, ...]) -> tuple[SourceFile, ...] | Unknown:
        """The source files (ending in `suffixes`) of a folder, a single file or a zip archive the configuration
        of `module` names, as a Lambda function's package holds them; else an Unknown saying why not."""


@dataclass(frozen=True)
class SourceFile:
    """A file of a Lambda function's package: its name in the package (`handler.py`, `auth/keys.py`), where
    reports show it (`authorizer/handler.py`, or `build/authorizer.zip!/handler.py` inside a zip), its text, and
    the line of `shown` its first line is on (an archive_file's `source { content = <<-EOT ... }` in a .tf file)."""

    name: str
    shown: str
    text: str
    line: int = 1


@dataclass(frozen=True)
class FunctionCode:
    """A Lambda function's code as gateaudit read it (gateaudit.function_code): its language ("python" or
    "node"), its handler (`handler.handler`: the file `handler.py`, its function `handler`), its source files,
    and where they were read from, for messages ("the folder authorizer", "the zip build/authorizer.zip")."""

    language: str
    handler: str
    files: tuple[SourceFile, ...]
    read_from: str

    def entry(self) -> tuple[SourceFile | None, str]:
        """The handler's file in the package (None when the package lacks it) and its function's name:
        `handler.handler` is `handler.py` (Python) or `handler.js`, `.mjs`, `.cjs`, `.ts` (Node.js), `handler`;
        `auth.app.handler` is `auth/app.py` in Python."""
        module, _, function = self.handler.rpartition(".")
        if self.language == "python":  # `package.module.function`: the file package/module.py
            module = module.replace(".", "/")
        suffixes = (".py",) if self.language == "python" else (".js", ".mjs", ".cjs", ".ts")
        names = {module + suffix for suffix in suffixes}
        return next((f for f in self.files if f.name in names), None), function



# What an authorizer's code does, as facts the code rules judge (GA107-GA110, GA209, GA407). The analysis of
# each language (gateaudit.python_code, gateaudit.node_code) finds them; rules never see a syntax tree. Every
# fact has the place in the code it was seen at: Location(file=SourceFile.shown, line, origin="code").


@dataclass(frozen=True)
class Answer:
    """A value the handler may return to API Gateway, at the place its shape is written (the dict or object
    literal, which may sit in a helper the handler calls).

    `keys`: the literal's top-level keys, or None when the value is not a literal the analysis can read (`why`
    says what it is); `effect`: "allow", "deny", or None when it cannot be told (`isAuthorized` set from a
    comparison); `on_error`: the `except`/`catch` clauses (their locations) the path to it went through;
    `none`: the handler returns None or nothing there, which API Gateway answers with an error (a deny)."""

    location: Location
    keys: frozenset[str] | None
    effect: str | None
    why: str = ""
    on_error: tuple[Location, ...] = ()
    none: bool = False


@dataclass(frozen=True)
class KeyComparison:
    """The presented key (a header, query string or token value of the event) compared with something.

    `how`: `==`, `!=`, `in`, `startswith`, `a dict lookup`, `hmac.compare_digest`, `crypto.timingSafeEqual`...;
    `literal`: the literal it is compared with, when it is one; `against`: what the other side is, for messages
    ("the secret's value", "os.environ['API_KEY']"); `env`: the environment variable the other side is read
    from, when it is one; `both_may_be_none`: both sides may be None/undefined (a header that is missing and a
    key that is not set compare equal)."""

    location: Location
    how: str
    constant_time: bool
    literal: str | None = None
    against: str = ""
    env: str | None = None
    both_may_be_none: bool = False


@dataclass(frozen=True)
class LoggedSecret:
    """Something secret reaching a log: `what` ("the event", "the request's headers", "the presented key",
    "the secret's value"), `sink` (`print`, `logger.info`, `console.log`)."""

    location: Location
    what: str
    sink: str


@dataclass(frozen=True)
class ErrorPath:
    """An `except`/`catch` clause on the handler's path: what it catches and what the handler then answers:
    "deny", "allow", "raise" (API Gateway answers 401/500), or "unknown" (an answer whose effect cannot be told)."""

    location: Location
    catches: str
    outcome: str


@dataclass(frozen=True)
class HeaderRead:
    """The key header read from the event's headers: `header` as written, `case_insensitive` when the name is
    compared whatever its case (a lowered copy of the headers, `name.lower() == ...`)."""

    location: Location
    header: str
    case_insensitive: bool
    how: str


@dataclass(frozen=True)
class CodeEscape:
    """Where the analysis lost sight of something it follows: the presented key or the event passed to code it
    does not read (another package), or an answer built there. Rules that needed to see past it say unknown."""

    location: Location
    what: str  # "the presented key", "the event", "the answer"
    into: str  # "auth.check (not in the package)"


@dataclass(frozen=True)
class CodeBehaviour:
    """What a Lambda authorizer's handler does, as its code says: the answers it may return, how it compares
    the presented key, what it logs, what its error paths answer, how it reads the key header."""

    code: FunctionCode
    entry: Location  # the handler function's definition
    answers: tuple[Answer, ...] = ()
    comparisons: tuple[KeyComparison, ...] = ()
    logged: tuple[LoggedSecret, ...] = ()
    error_paths: tuple[ErrorPath, ...] = ()
    header_reads: tuple[HeaderRead, ...] = ()
    escapes: tuple[CodeEscape, ...] = ()
    reads_token: bool = False  # the key is taken from a TOKEN event's authorizationToken

@dataclass
class Budget:
    """What one scan has spent evaluating, against the scan's limits (gateaudit.limits).

    Every module of a stack shares one, so ten small files, or a module called thousands of times, draw on
    one budget. It grows with the files the scan reads (`read`, limits.scan_budget), so a monorepo is judged
    whole while a small file stays capped. `expression_steps` counts the outermost expression under way
    (`depth` deep in evaluation).
    """

    steps: int = 0
    value_size: int = 0  # characters and elements built or handed to functions
    instances: int = 0  # resource, data and module instances, and blocks generated by `dynamic`
    expression_steps: int = 0
    depth: int = 0
    files: Files | None = None  # what file() and templatefile() read through; None: they read nothing
    max_steps: int = field(default_factory=lambda: limits.MAX_SCAN_EVALUATION_STEPS)
    max_value_size: int = field(default_factory=lambda: limits.MAX_SCAN_VALUE_SIZE)
    max_instances: int = field(default_factory=lambda: limits.MAX_SCAN_INSTANCES)

    def read(self, bytes_read: int) -> None:
        """The scan has read `bytes_read` bytes of files so far: its limits are those for as much input."""
        self.max_steps = limits.scan_budget(limits.MAX_SCAN_EVALUATION_STEPS, bytes_read)
        self.max_value_size = limits.scan_budget(limits.MAX_SCAN_VALUE_SIZE, bytes_read)
        self.max_instances = limits.scan_budget(limits.MAX_SCAN_INSTANCES, bytes_read)


@dataclass(frozen=True)
class VariableValue:
    """A root variable's value from a tfvars file (or --var-file): what it is and where it was set."""

    attribute: SyntaxAttribute
    location: Location


@dataclass
class Module:
    """One Terraform module instance: the root of a scanned folder, or a local module it calls."""

    key: str  # "" for a root, "module.api", "module.api.module.inner" or `module.routes["orders"]` for a child
    directory: Path
    display_dir: str  # the folder relative to the scanned path
    parent: Module | None = None
    call: Block | None = None  # the `module "x"` block that loaded it
    blocks: list[Block] = field(default_factory=list)  # top-level blocks, every instance
    resources: dict[tuple[str, str, str], list[Block]] = field(default_factory=dict)  # (kind, type, name)
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Attribute] = field(default_factory=dict)
    outputs: dict[str, Block] = field(default_factory=dict)
    # Each instance of a local module call, by its local address: `api`, or `routes["orders"]` and `routes[0]`
    # for a call with for_each or count (`instances` finds them by the call's name).
    children: dict[str, Module] = field(default_factory=dict)
    calls: dict[str, Block] = field(default_factory=dict)  # each `module` call as written, before expansion
    variable_values: dict[str, VariableValue] = field(default_factory=dict)  # tfvars, root only
    cache: dict[Any, Any] = field(default_factory=dict)  # evaluator memo: variables, locals
    budget: Budget = field(default_factory=Budget)  # the scan's, shared with every other module of the stack

    def address(self, local: str) -> str:
        return f"{self.key}.{local}" if self.key else local

    def instances(self, name: str) -> list[Module]:
        """The loaded instances of the module call `name`: one, or one per count/for_each key (none for 0)."""
        return [child for key, child in self.children.items()
                if key == name or (child.call is not None and child.call.name == name)]

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other


@dataclass(frozen=True)
class NotScanned:
    """A module call gateaudit did not load (a registry or git source, a folder outside the repository root)."""

    address: str
    source: str
    location: Location
    reason: str


@dataclass
class Stack:
    """Everything loaded from the scanned paths."""

    modules: list[Module] = field(default_factory=list)  # roots and children, in load order
    not_scanned: list[NotScanned] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # shown path -> why it was not read (.git, --skip-path)
    files: list[str] = field(default_factory=list)
    # shown path -> text, for report snippets; a loader's reads each file again when asked (inputs.SourceTexts)
    sources: Mapping[str, str] = field(default_factory=dict)
    comments: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # shown path -> (line, text)
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # shown path -> top-level block lines
    var_files: list[str] = field(default_factory=list)  # variable files applied, in order
    budget: Budget = field(default_factory=Budget)  # what evaluating this stack has spent (every module's)
    # A plan's resources being destroyed (not replaced): not judged, but rules may say what remains without them.
    destroyed: list[Block] = field(default_factory=list)
    sensitive_values: set[str] = field(default_factory=set)  # strings a source marks sensitive: masked everywhere
    _index: dict[tuple[str, str], list[Block]] | None = field(default=None, repr=False)

    def blocks(self, kind: str | None = None, type: str | None = None) -> Iterator[Block]:
        for module in self.modules:
            for block in module.blocks:
                if (kind is None or block.kind == kind) and (type is None or block.type == type):
                    yield block

    def resources(self, *types: str) -> list[Block]:
        """Every instance of the given resource types, in file and line order."""
        return self._of_kind("resource", types)

    def data(self, *types: str) -> list[Block]:
        return self._of_kind("data", types)

    def _of_kind(self, kind: str, types: tuple[str, ...]) -> list[Block]:
        # Rules ask by type many times over a stack that no longer changes: index it once.
        if self._index is None:
            self._index = {}
            for module in self.modules:
                for block in module.blocks:
                    self._index.setdefault((block.kind, block.type), []).append(block)
        found = [block for type_ in dict.fromkeys(types) for block in self._index.get((kind, type_), [])]
        return sorted(found, key=lambda b: (b.location.file, b.location.line, b.address))
