"""What a Python Lambda authorizer does, read from its code with `ast` (issue 17): the facts of
`gateaudit.model.CodeBehaviour` that the code rules judge.

A small abstract interpreter walks the handler and every function of the package it calls, binding
arguments, so a helper that builds the answer or an alias (`from hmac import compare_digest as eq`) is seen
through. A value is what it may be: constants, dict literals, names of things imported, and tags saying
where it came from (the event, its headers, the presented key, the fetched secret, an environment variable).
Branches whose test constants decide (`if response_format == "http"` with "rest" passed in) are not taken;
every other branch is. Code it cannot follow (another package, a value built at runtime) is an opaque value
that keeps its tags, and where the presented key or the answer goes there, a `CodeEscape` says so.

The code is the hostile tree's too: parsing and interpretation are bounded (steps, call depth, recursion),
and what exceeds the bounds makes the whole behaviour an Unknown, never a partial pass.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from .model import (
    Answer,
    CodeBehaviour,
    CodeEscape,
    ErrorPath,
    FunctionCode,
    HeaderRead,
    KeyComparison,
    Location,
    LoggedSecret,
    SourceFile,
    Unknown,
)

MAX_STEPS = 20_000  # statements and expressions interpreted for one handler (real ones take 300-1,500)
MAX_CALL_DEPTH = 12
MAX_PATHS = 4  # ways out of one try statement followed apart; more are merged

# Tags: where a value came from.
EVENT = "event"  # the whole event (or a part holding the headers)
HEADERS = "headers"  # a map of the request's headers (or query string parameters)
LOWERED = "lowered"  # a header map whose names were folded to one case
HEADER_NAME = "header-name"  # a header's name, as sent
FOLDED_NAME = "folded-name"  # a header's name folded to one case
KEY = "key"  # the presented key: a header, query string or token value
SECRET = "secret"  # a value read from Secrets Manager or Parameter Store
ENV = "env:"  # + the name of the environment variable it was read from
SECRETS_SHOWN = ((KEY, "the presented key"), (SECRET, "the secret's value"), (HEADERS, "the request's headers"),
                 (EVENT, "the event"))

LOG_LEVELS = {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"}
LOGGER_MAKERS = {"logging.getLogger", "logging.Logger", "aws_lambda_powertools.Logger",
                 "aws_lambda_powertools.logging.Logger", "structlog.get_logger", "loguru.logger"}
CONSTANT_TIME = {"hmac.compare_digest", "secrets.compare_digest"}
SECRET_READERS = {"get_secret_value", "get_parameter", "get_parameters", "get_secret", "get_parameters_by_path"}
CLEAN_BUILTINS = {"len", "isinstance", "issubclass", "type", "bool", "hasattr", "callable", "id", "int", "float",
                  "range", "enumerate", "zip", "any", "all", "min", "max", "sum", "abs",
                  "round", "hash", "iter", "next", "super", "object", "setattr", "delattr", "divmod", "ord", "chr"}
KEEPING_BUILTINS = {"str", "repr", "bytes", "bytearray", "list", "tuple", "set", "frozenset", "dict", "format",
                    "memoryview"}
FOLDING = {"lower", "casefold", "upper"}
STR_METHODS = {"lower": str.lower, "upper": str.upper, "casefold": str.casefold, "strip": str.strip,
               "lstrip": str.lstrip, "rstrip": str.rstrip, "title": str.title}
MUTATORS = {"append", "extend", "add", "update", "insert", "setdefault", "appendleft"}
EVENT_HEADERS = {"headers", "multiValueHeaders"}
EVENT_QUERY = {"queryStringParameters", "multiValueQueryStringParameters"}
EVENT_KEYS = {"authorizationToken", "identitySource"}


class TooBig(Exception):
    """The code is beyond what the analysis bounds allow."""


@dataclass(frozen=True)
class Dict:
    """A dict literal: where it is written, its literal string keys and their values."""

    location: Location
    entries: tuple[tuple[str, Value], ...]
    on_error: frozenset[Location] = frozenset()

    def get(self, key: str) -> Value | None:
        return next((value for name, value in self.entries if name == key), None)


@dataclass(frozen=True)
class Value:
    """Everything a value may be: constants, dict literals, names (imports, functions, classes, objects),
    a list or tuple's items, an object's fields; `opaque` when it may be something else; `tags` where it came
    from; `what` names the code that made an opaque value, for messages."""

    consts: frozenset = frozenset()
    dicts: tuple[Dict, ...] = ()
    names: frozenset[str] = frozenset()
    items: tuple[Value, ...] | None = None
    element: Value | None = None  # what iterating over it gives, when it was filled by append() and the like
    fields: tuple[tuple[str, Value], ...] = ()
    opaque: bool = False
    tags: frozenset[str] = frozenset()
    what: str = ""
    on_error: frozenset[Location] = frozenset()
    at: Location | None = None  # where an opaque value was made (the call that returned it)

    def field(self, name: str) -> Value | None:
        return next((value for key, value in self.fields if key == name), None)

    def carried(self, depth: int = 0) -> frozenset[str]:
        """Its tags and those of everything it holds (a dict's values, a list's items, an object's fields)."""
        tags = set(self.tags)
        if depth < 6:
            for value in self._held():
                tags |= value.carried(depth + 1)
        return frozenset(tags)

    def _held(self) -> Iterator[Value]:
        for found in self.dicts:
            yield from (value for _, value in found.entries)
        yield from self.items or ()
        if self.element is not None:
            yield self.element
        yield from (value for _, value in self.fields)

    def truth(self) -> bool | None:
        """True or False when every alternative agrees, else None."""
        if self.opaque or self.names or self.fields:
            return None
        truths = {bool(c) for c in self.consts} | {bool(d.entries) for d in self.dicts}
        if self.items is not None:
            truths.add(bool(self.items))
        return truths.pop() if len(truths) == 1 else None


NOTHING = Value()
OPAQUE = Value(opaque=True)


def const(value: object) -> Value:
    return Value(consts=frozenset([value]))


def tagged(*tags: str, what: str = "") -> Value:
    return Value(opaque=True, tags=frozenset(tags), what=what)


def join(*values: Value) -> Value:
    values = tuple(v for v in values if v is not None and v != NOTHING)  # nothing: the empty list's element
    if not values:
        return NOTHING
    if len(values) == 1:
        return values[0]
    first = values[0]
    items = first.items
    if any(v.items is None for v in values) or len({len(v.items) for v in values}) > 1:
        items = None
    else:
        items = tuple(join(*column) for column in zip(*(v.items for v in values), strict=True))
    dicts = tuple(dict.fromkeys(d for v in values for d in v.dicts))
    fields: dict[str, list[Value]] = {}
    for value in values:
        for name, held in value.fields:
            fields.setdefault(name, []).append(held)
    some_items = any(v.items is not None for v in values)
    elements = [v.element for v in values if v.element is not None]
    return Value(consts=frozenset().union(*(v.consts for v in values)), dicts=dicts,
                 names=frozenset().union(*(v.names for v in values)), items=items,
                 element=join(*elements) if elements else None,
                 fields=tuple((name, join(*held)) for name, held in fields.items()),
                 opaque=any(v.opaque for v in values) or (some_items and items is None),
                 tags=frozenset().union(*(v.tags for v in values)),
                 what=next((v.what for v in values if v.what), ""), at=next((v.at for v in values if v.at), None),
                 on_error=frozenset().union(*(v.on_error for v in values)))


def keeping(*values: Value, what: str = "") -> Value:
    """An opaque value made from these: it keeps what they carry."""
    tags = frozenset().union(*(v.carried() for v in values))
    return Value(opaque=True, tags=tags, what=what)


@dataclass
class State:
    """One path's variables, and the except clauses it went through."""

    variables: dict[str, Value]
    errors: frozenset[Location] = frozenset()

    def copy(self) -> State:
        return State(dict(self.variables), self.errors)


def merge(*states: State | None) -> State | None:
    alive = [s for s in states if s is not None]
    if not alive:
        return None
    if len(alive) == 1:
        return alive[0].copy()
    names = set().union(*(s.variables for s in alive))
    variables = {}
    for name in names:
        values = [s.variables.get(name) for s in alive]
        # A name bound on one path only may be unbound on another: what it is there is unknown.
        variables[name] = join(*(v if v is not None else OPAQUE for v in values))
    return State(variables, frozenset().union(*(s.errors for s in alive)))


@dataclass
class Function:
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
    module: Module
    owner: str | None = None  # the class it is a method of


@dataclass
class Module:
    name: str  # dotted, as imported: auth.keys
    file: SourceFile
    tree: ast.Module
    globals: dict[str, Value] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)  # qualified name -> function
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    ready: bool = False


@dataclass
class Frame:
    function: Function
    returns: list[Value] = field(default_factory=list)
    breaks: list[State] = field(default_factory=list)


class Facts:
    def __init__(self) -> None:
        self.comparisons: dict[tuple, KeyComparison] = {}
        self.logged: dict[tuple, LoggedSecret] = {}
        self.header_reads: dict[tuple, HeaderRead] = {}
        self.escapes: dict[tuple, CodeEscape] = {}
        self.env_logged: list[tuple[Location, str, str]] = []  # (where, variable, sink)
        self.handlers: dict[Location, tuple[str, bool]] = {}  # except clause -> (what it catches, always raises)
        self.reads_token = False


def analyse(code: FunctionCode, key_header: str) -> CodeBehaviour | Unknown:
    """What the handler of a Python package does, or why it cannot be told."""
    entry, name = code.entry()
    if entry is None:
        module = code.handler.rpartition(".")[0]
        return Unknown(f"the handler {code.handler} is not in {code.read_from}: no {module}.py")
    try:
        return Interpreter(code, key_header.lower()).run(entry, name)
    except ValueError as error:  # null bytes in the source, on Python versions that do not call it a SyntaxError
        return Unknown(f"{entry.shown} is not Python source gateaudit can parse ({error})")
    except SyntaxError as error:
        line = entry.line - 1 + (error.lineno or 1) if error.filename == entry.shown else error.lineno or 1
        return Unknown(f"{error.filename or entry.shown}:{line} is not valid Python ({error.msg})")
    except (TooBig, RecursionError, MemoryError) as error:
        reason = str(error) if isinstance(error, TooBig) else "is nested too deeply to analyse"
        return Unknown(f"the code of {code.handler} {reason}")


class Interpreter:
    constant_time = CONSTANT_TIME  # the comparisons that take constant time (gateaudit.node_code has its own)

    def __init__(self, code: FunctionCode, key_header: str):
        self.code = code
        self.key_header = key_header
        self.facts = Facts()
        self.steps = 0
        self.depth = 0
        self.memo: dict[tuple, Value] = {}
        self.modules: dict[str, Module] = {}
        self.files = {f.name: f for f in code.files if f.name.endswith(".py")}
        self.key_env: set[str] = set()
        self.frames: list[Frame] = []
        self.raised: list[list[Value]] = []  # per `try` being interpreted: what its body raised
        self.functions: dict[str, Function] = {}  # "fn:<module>:<n>" -> the function a value names

    def register(self, module: Module, function: Function) -> str:
        name = f"fn:{module.name}:{function.node.lineno}:{function.node.col_offset}"
        self.functions.setdefault(name, function)
        return name

    # -- packages and modules -------------------------------------------------------------------------------------

    def module(self, name: str) -> Module | None:
        if name in self.modules:
            return self.modules[name]
        path = name.replace(".", "/")
        file = self.files.get(path + ".py") or self.files.get(path + "/__init__.py")
        if file is None:
            return None
        tree = ast.parse(file.text, filename=file.shown)
        module = self.modules[name] = Module(name, file, tree)
        self._define(module, tree.body, "")
        return module

    def _define(self, module: Module, body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                module.functions[prefix + node.name] = Function(node, module, prefix.rstrip(".") or None)
            elif isinstance(node, ast.ClassDef) and not prefix:
                module.classes[node.name] = node
                self._define(module, node.body, node.name + ".")

    def globals_of(self, module: Module) -> dict[str, Value]:
        if not module.ready:
            module.ready = True  # an import cycle sees what is bound so far
            state = State(module.globals)
            self.block(module.tree.body, state, module)
            module.globals.update(state.variables)
        return module.globals

    def run(self, entry: SourceFile, name: str) -> CodeBehaviour | Unknown:
        module_name = entry.name[:-3].replace("/", ".")
        module = self.module(module_name)
        self.globals_of(module)
        function = module.functions.get(name)
        if function is None:
            return Unknown(f"{entry.shown} defines no function {name} (the handler {self.code.handler})")
        node = function.node
        parameters = [a.arg for a in node.args.posonlyargs + node.args.args]
        arguments = [tagged(EVENT, what="the event"), tagged(what="the context")][:len(parameters)]
        result = self.call(function, arguments, {}, None)
        return self.behaviour(result, self.location(module, node))

    def behaviour(self, result: Value, entry: Location) -> CodeBehaviour:
        """The facts gathered, with the answers `result` holds, for the handler defined at `entry`."""
        answers = self.answers(result, entry)
        facts = self.facts
        logged = dict(facts.logged)
        for where, variable, sink in facts.env_logged:
            if variable in self.key_env:
                logged.setdefault((where, sink), LoggedSecret(where, f"the key read from {variable}", sink))
        return CodeBehaviour(
            code=self.code, entry=entry, answers=answers,
            comparisons=tuple(sorted(facts.comparisons.values(), key=_by_place)),
            logged=tuple(sorted(logged.values(), key=_by_place)),
            error_paths=self.error_paths(answers),
            header_reads=tuple(sorted(facts.header_reads.values(), key=_by_place)),
            escapes=tuple(sorted(facts.escapes.values(), key=_by_place)), reads_token=facts.reads_token)

    def answers(self, result: Value, entry: Location) -> tuple[Answer, ...]:
        found: dict[tuple, Answer] = {}
        for literal in result.dicts:
            keys = frozenset(name for name, _ in literal.entries)
            answer = Answer(literal.location, keys, _effect(literal), on_error=_places(literal.on_error))
            found.setdefault((answer.location, keys, answer.effect, answer.on_error), answer)
        if None in result.consts:
            answer = Answer(entry, None, "deny", "None", _places(result.on_error), none=True)
            found.setdefault((entry, None, "deny", answer.on_error), answer)
        if result.opaque or result.names or result.items is not None or result.consts - {None}:
            why = result.what or "a value the analysis cannot read"
            answer = Answer(result.at or entry, None, None, why, _places(result.on_error))
            found.setdefault((answer.location, None, None, answer.on_error), answer)
        return tuple(sorted(found.values(), key=lambda a: (a.location.file, a.location.line, a.effect or "",
                                                           [(w.file, w.line) for w in a.on_error])))

    def error_paths(self, answers: tuple[Answer, ...]) -> tuple[ErrorPath, ...]:
        paths = []
        for where, (catches, raises) in sorted(self.facts.handlers.items(), key=lambda item: _by_place(item)):
            effects = {a.effect for a in answers if where in a.on_error}
            if "allow" in effects:
                outcome = "allow"
            elif None in effects:
                outcome = "unknown"
            elif effects:
                outcome = "deny"
            elif raises:
                outcome = "raise"
            else:
                continue  # the code goes on after it: what it answers then is judged where it answers
            paths.append(ErrorPath(where, catches, outcome))
        return tuple(paths)

    @staticmethod
    def env_shown(name: str) -> str:
        return f"os.environ[{name!r}]"

    def location(self, module: Module, node: ast.AST) -> Location:
        return Location(module.file.shown, module.file.line - 1 + getattr(node, "lineno", 1), "code")

    def tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise TooBig(f"takes more than {MAX_STEPS} steps to analyse")

    # -- calls --------------------------------------------------------------------------------------------------

    def call(self, function: Function, arguments: list[Value], keywords: dict[str, Value],
             bound: Value | None) -> Value:
        node = function.node
        if self.depth >= MAX_CALL_DEPTH or any(f.function is function for f in self.frames):
            return tagged(*_union(arguments, keywords), what=f"a value returned by {_name(node)} (recursive)")
        key = (id(node), tuple(arguments), tuple(sorted(keywords.items())), bound)
        if key in self.memo:
            return self.memo[key]
        variables = dict(self.bind(node.args, arguments, keywords, bound, function.module))
        state = State(variables)
        frame = Frame(function)
        self.frames.append(frame)
        self.depth += 1
        try:
            if isinstance(node, ast.Lambda):
                frame.returns.append(self.expr(node.body, state, function.module))
                end = None
            else:
                end = self.block(node.body, state, function.module)
        finally:
            self.depth -= 1
            self.frames.pop()
        result = self.memo[key] = returned(frame, end)
        return result

    def bind(self, args: ast.arguments, arguments: list[Value], keywords: dict[str, Value],
             bound: Value | None, module: Module) -> Iterator[tuple[str, Value]]:
        positional = [a.arg for a in args.posonlyargs + args.args]
        given = ([bound] if bound is not None else []) + list(arguments)
        defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        for index, name in enumerate(positional):
            if index < len(given):
                yield name, given[index]
            elif name in keywords:
                yield name, keywords[name]
            elif defaults[index] is not None:
                yield name, self.expr(defaults[index], State(dict(self.globals_of(module))), module)
            else:
                yield name, OPAQUE
        for name, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
            if name.arg in keywords:
                yield name.arg, keywords[name.arg]
            elif default is not None:
                yield name.arg, self.expr(default, State(dict(self.globals_of(module))), module)
            else:
                yield name.arg, OPAQUE
        extra = given[len(positional):]
        if args.vararg is not None:
            yield args.vararg.arg, Value(items=tuple(extra))
        if args.kwarg is not None:
            rest = {k: v for k, v in keywords.items() if k not in positional}
            yield args.kwarg.arg, Value(dicts=(Dict(self.location(module, args), tuple(rest.items())),))

    # -- statements ---------------------------------------------------------------------------------------------

    def block(self, body: list[ast.stmt], state: State | None, module: Module) -> State | None:
        for index, node in enumerate(body):
            if state is None:
                return None
            if isinstance(node, ast.Try | ast.TryStar) and node.handlers:
                self.tick()
                # The code after a try goes on from each way out of it apart: an except clause that sets
                # `allowed = False` answers Deny below, not "Allow or Deny" merged with the normal path.
                ends = [end for end in self.attempt_paths(node, state, module) if end is not None]
                rest = body[index + 1:]
                if rest and 1 < len(ends) <= MAX_PATHS:
                    return merge(*(self.block(rest, end, module) for end in ends))
                state = merge(*ends)
                continue
            state = self.statement(node, state, module)
        return state

    def statement(self, node: ast.stmt, state: State, module: Module) -> State | None:
        self.tick()
        frame = self.frames[-1] if self.frames else None
        if isinstance(node, ast.Return):
            value = self.expr(node.value, state, module) if node.value is not None else const(None)
            if frame is not None:
                frame.returns.append(_with_errors(value, state.errors))
            return None
        if isinstance(node, ast.Expr):
            self.expr(node.value, state, module)
        elif isinstance(node, ast.Assign):
            value = self.expr(node.value, state, module)
            for target in node.targets:
                self.assign(target, value, state, module)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self.assign(node.target, self.expr(node.value, state, module), state, module)
        elif isinstance(node, ast.AugAssign):
            current = self.expr(node.target, state, module) if isinstance(node.target, ast.Name) else OPAQUE
            self.assign(node.target, keeping(current, self.expr(node.value, state, module)), state, module)
        elif isinstance(node, ast.If):
            truth = self.expr(node.test, state, module).truth()
            if truth is True:
                return self.block(node.body, state, module)
            if truth is False:
                return self.block(node.orelse, state, module)
            return merge(self.block(node.body, state.copy(), module), self.block(node.orelse, state.copy(), module))
        elif isinstance(node, ast.For | ast.AsyncFor | ast.While):
            return self.loop(node, state, module)
        elif isinstance(node, ast.Try | ast.TryStar):
            return self.attempt(node, state, module)
        elif isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                value = self.expr(item.context_expr, state, module)
                if item.optional_vars is not None:
                    self.assign(item.optional_vars, keeping(value), state, module)
            return self.block(node.body, state, module)
        elif isinstance(node, ast.Raise):
            if node.exc is not None:
                raised = self.expr(node.exc, state, module)
                if self.raised:
                    self.raised[-1].append(raised)
            return None
        elif isinstance(node, ast.Break | ast.Continue):
            if frame is not None:
                frame.breaks.append(state)
            return None
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = (module.functions.get(node.name) if not self.frames else None) or Function(node, module)
            state.variables[node.name] = Value(names=frozenset([self.register(module, function)]))
        elif isinstance(node, ast.ClassDef):
            state.variables[node.name] = Value(names=frozenset([f"class:{module.name}:{node.name}"]))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    state.variables[alias.asname] = self.imported(alias.name, module)
                else:
                    top = alias.name.split(".")[0]
                    state.variables[top] = self.imported(top, module)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module)
            for alias in node.names:
                if alias.name == "*":
                    continue
                state.variables[alias.asname or alias.name] = self.imported_from(base, alias.name, module)
        elif isinstance(node, ast.Match):
            subject = self.expr(node.subject, state, module)
            ends = []
            for case in node.cases:
                branch = state.copy()
                for name in _pattern_names(case.pattern):
                    branch.variables[name] = keeping(subject)
                ends.append(self.block(case.body, branch, module))
            return merge(state, *ends)
        elif isinstance(node, ast.Delete | ast.Pass | ast.Global | ast.Nonlocal | ast.Assert):
            pass
        return state

    def loop(self, node: ast.For | ast.AsyncFor | ast.While, state: State, module: Module) -> State | None:
        frame = self.frames[-1] if self.frames else None
        if isinstance(node, ast.While):
            truth = self.expr(node.test, state, module).truth()
            if truth is False:
                return self.block(node.orelse, state, module)
        else:
            element = self.element(self.expr(node.iter, state, module))
        breaks_before = len(frame.breaks) if frame else 0
        entry = state.copy()
        end = state.copy()
        for _ in range(2):  # a second pass sees what the first bound
            if not isinstance(node, ast.While):
                self.assign(node.target, element, end, module)
            end = merge(entry, self.block(node.body, end, module))
            if end is None:
                break
        breaks = frame.breaks[breaks_before:] if frame else []
        if frame:
            del frame.breaks[breaks_before:]
        after = self.block(node.orelse, end.copy(), module) if end is not None else None
        return merge(entry, after, *breaks)

    def attempt(self, node: ast.Try, state: State, module: Module) -> State | None:
        return merge(*self.attempt_paths(node, state, module))

    def attempt_paths(self, node: ast.Try, state: State, module: Module) -> list[State | None]:
        """The state at each way out of a try statement: its body (and else), then each except clause."""
        entry = state.copy()
        self.raised.append([])
        try:
            body_end = self.block(node.body, state.copy(), module)
        finally:
            # What an `except ... as error` holds: what the `raise` statements the body reached put in exceptions.
            raised = keeping(tagged(), *self.raised.pop(), what="an exception")
        ends = [self.block(node.orelse, body_end, module) if body_end is not None else None]
        for handler in node.handlers:
            where = self.location(module, handler)
            start = merge(entry, body_end) or entry.copy()
            start.errors = start.errors | {where}
            if handler.name:
                start.variables[handler.name] = replace(raised, names=frozenset(["exception"]))
            end = self.block(handler.body, start, module)
            self.facts.handlers.setdefault(where, (_catches(handler), end is None and not self._returns(handler)))
            ends.append(end)
        if not node.finalbody:
            return ends
        if all(end is None for end in ends):  # finally runs, and the error or return goes on
            self.block(node.finalbody, entry.copy(), module)
            return ends
        return [self.block(node.finalbody, end, module) if end is not None else None for end in ends]

    @staticmethod
    def _returns(handler: ast.ExceptHandler) -> bool:
        return any(isinstance(n, ast.Return) for n in ast.walk(handler))

    def assign(self, target: ast.expr, value: Value, state: State, module: Module) -> None:
        if isinstance(target, ast.Name):
            state.variables[target.id] = value
        elif isinstance(target, ast.Tuple | ast.List):
            names = target.elts
            for index, element in enumerate(names):
                if isinstance(element, ast.Starred):
                    self.assign(element.value, keeping(value), state, module)
                elif value.items is not None and len(value.items) == len(names) and not value.opaque:
                    self.assign(element, value.items[index], state, module)
                else:
                    self.assign(element, self.element(value) if value.items is None else keeping(value), state, module)
        elif isinstance(target, ast.Subscript | ast.Attribute):
            self.expr(target.value, state, module)
            if isinstance(target, ast.Subscript):
                self.expr(target.slice, state, module)
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                holder = state.variables.get(target.value.id)
                if holder is not None and holder.fields is not None:
                    fields = dict(holder.fields)
                    fields[target.attr] = value
                    state.variables[target.value.id] = replace(holder, fields=tuple(fields.items()))

    # -- imports ------------------------------------------------------------------------------------------------

    def imported(self, name: str, module: Module) -> Value:
        found = self.module(name)
        if found is not None:
            return Value(names=frozenset([f"module:{name}"]))
        return Value(names=frozenset([name]))

    def imported_from(self, base: str, name: str, module: Module) -> Value:
        found = self.module(base) if base else None
        if found is not None:
            members = self.globals_of(found)
            if name in members:
                return members[name]
            if self.module(f"{base}.{name}") is not None:
                return Value(names=frozenset([f"module:{base}.{name}"]))
            return OPAQUE
        if not base and self.module(name) is not None:
            return Value(names=frozenset([f"module:{name}"]))
        if base and self.module(f"{base}.{name}") is not None:
            return Value(names=frozenset([f"module:{base}.{name}"]))
        return Value(names=frozenset([f"{base}.{name}" if base else name]))

    # -- expressions --------------------------------------------------------------------------------------------

    def expr(self, node: ast.expr | None, state: State, module: Module) -> Value:
        if node is None:
            return const(None)
        self.tick()
        if isinstance(node, ast.Constant):
            return const(node.value) if _hashable(node.value) else OPAQUE
        if isinstance(node, ast.Name):
            return self.name(node.id, state, module)
        if isinstance(node, ast.JoinedStr):
            parts = [self.expr(v.value if isinstance(v, ast.FormattedValue) else v, state, module) for v in node.values]
            return keeping(*parts, what="an f-string") if parts else const("")
        if isinstance(node, ast.Dict):
            entries, extra = [], []
            for key, value in zip(node.keys, node.values, strict=True):
                held = self.expr(value, state, module)
                if key is None:  # **spread: its literal entries are this dict's too
                    entries += [entry for found in held.dicts for entry in found.entries]
                    extra.append(held)
                    continue
                named = self.expr(key, state, module)
                if len(named.consts) == 1 and not named.opaque and isinstance(next(iter(named.consts)), str):
                    entries.append((next(iter(named.consts)), held))
                else:
                    extra.append(keeping(named, held))
            literal = Dict(self.location(module, node), tuple(entries))
            return Value(dicts=(literal,), tags=frozenset().union(*(e.carried() for e in extra)))
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            items = tuple(self.expr(e.value if isinstance(e, ast.Starred) else e, state, module) for e in node.elts)
            if any(isinstance(e, ast.Starred) for e in node.elts):
                return keeping(*items)
            value = Value(items=items)
            if isinstance(node, ast.Tuple) and all(len(i.consts) == 1 and not i.opaque and not i.dicts for i in items):
                value = replace(value, consts=frozenset([tuple(next(iter(i.consts)) for i in items)]))
            return value
        if isinstance(node, ast.Attribute):
            return self.attribute(self.expr(node.value, state, module), node.attr, module)
        if isinstance(node, ast.Subscript):
            return self.subscript(node, state, module)
        if isinstance(node, ast.Call):
            return self.call_expr(node, state, module)
        if isinstance(node, ast.Compare):
            return self.compare(node, state, module)
        if isinstance(node, ast.BoolOp):
            return self.boolean(node, state, module)
        if isinstance(node, ast.UnaryOp):
            operand = self.expr(node.operand, state, module)
            if isinstance(node.op, ast.Not):
                truth = operand.truth()
                return const(not truth) if truth is not None else tagged(what="a test")
            return keeping(operand)
        if isinstance(node, ast.BinOp):
            left, right = self.expr(node.left, state, module), self.expr(node.right, state, module)
            if isinstance(node.op, ast.Add) and len(left.consts) == 1 == len(right.consts) \
                    and not left.opaque and not right.opaque:
                a, b = next(iter(left.consts)), next(iter(right.consts))
                if isinstance(a, str) and isinstance(b, str) and len(a) + len(b) < 10_000:
                    return const(a + b)
            return keeping(left, right, what="a computed value")
        if isinstance(node, ast.IfExp):
            truth = self.expr(node.test, state, module).truth()
            if truth is True:
                return self.expr(node.body, state, module)
            if truth is False:
                return self.expr(node.orelse, state, module)
            return join(self.expr(node.body, state, module), self.expr(node.orelse, state, module))
        if isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
            return self.comprehension(node, state, module)
        if isinstance(node, ast.Lambda):
            function = Function(node, module)
            return Value(names=frozenset([self.register(module, function)]))
        if isinstance(node, ast.NamedExpr):
            value = self.expr(node.value, state, module)
            self.assign(node.target, value, state, module)
            return value
        if isinstance(node, ast.Starred | ast.Await | ast.FormattedValue):
            return self.expr(node.value, state, module)
        if isinstance(node, ast.Yield | ast.YieldFrom):
            return keeping(self.expr(node.value, state, module))
        children = [child for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr)]
        values = [self.expr(child, state, module) for child in children]
        return keeping(*values) if values else OPAQUE

    def name(self, name: str, state: State, module: Module) -> Value:
        if name in state.variables:
            return state.variables[name]
        members = self.globals_of(module)
        if name in members:
            return members[name]
        if name in module.functions:
            return Value(names=frozenset([self.register(module, module.functions[name])]))
        return Value(names=frozenset([f"builtins.{name}"]))

    def attribute(self, value: Value, attribute: str, module: Module) -> Value:
        found = []
        for name in value.names:
            if name.startswith("module:"):
                target = self.module(name[7:])
                if target is not None:
                    members = self.globals_of(target)
                    if attribute in members:
                        found.append(members[attribute])
                    elif attribute in target.functions:
                        found.append(Value(names=frozenset([self.register(target, target.functions[attribute])])))
                    elif self.module(f"{name[7:]}.{attribute}") is not None:
                        found.append(Value(names=frozenset([f"module:{name[7:]}.{attribute}"])))
                    else:
                        found.append(OPAQUE)
            elif name.startswith("obj:"):
                held = value.field(attribute)
                _, owner_module, owner = name.split(":", 2)
                target = self.modules.get(owner_module)
                method = target.functions.get(f"{owner}.{attribute}") if target else None
                if held is not None:
                    found.append(held)
                elif method is not None:
                    found.append(Value(names=frozenset([self.register(target, method)]), fields=(("self", value),)))
                else:
                    found.append(keeping(value))
            elif name.startswith(("fn:", "class:")):
                found.append(OPAQUE)
            else:
                found.append(Value(names=frozenset([f"{name}.{attribute}"]), tags=value.tags))
        if value.opaque or value.consts or value.dicts or value.items is not None:
            if attribute in SECRET_READERS:
                found.append(Value(names=frozenset([f"secret-reader.{attribute}"])))
            elif attribute in LOG_LEVELS and (value.names & {"logger"}):
                found.append(Value(names=frozenset([f"logger.{attribute}"])))
            else:
                found.append(Value(names=frozenset([f"method.{attribute}"]), fields=(("self", value),),
                                   tags=value.tags))
        return join(*found) if found else OPAQUE

    def subscript(self, node: ast.Subscript, state: State, module: Module) -> Value:
        value = self.expr(node.value, state, module)
        index = self.expr(node.slice, state, module)
        return self.lookup(value, index, self.location(module, node), default=None)

    def lookup(self, value: Value, index: Value, where: Location, default: Value | None) -> Value:
        """`value[index]`, or `value.get(index, default)` when `default` is given (None: `.get` without one)."""
        if "os.environ" in value.names:
            return self.environment([index], {} if default is None else {"default": default}, required=default is None)
        key = next(iter(index.consts)) if len(index.consts) == 1 and not index.opaque else None
        if KEY in index.carried():
            self.compared(where, "a dict lookup", value, index, literal_from=value)
        found = []
        if EVENT in value.tags and isinstance(key, str):
            if key in EVENT_HEADERS:
                found.append(tagged(HEADERS, what=f"event[{key!r}]"))
            elif key in EVENT_QUERY:
                found.append(tagged(HEADERS, "query", what=f"event[{key!r}]"))
            elif key in EVENT_KEYS:
                self.facts.reads_token = self.facts.reads_token or key == "authorizationToken"
                found.append(tagged(KEY, what=f"event[{key!r}]"))
            elif key == "requestContext":
                found.append(tagged("context", what="the request context"))
            else:
                found.append(tagged(what=f"event[{key!r}]"))
        elif HEADERS in value.tags:
            if isinstance(key, str):
                found.append(self.header(value, key, where, default))
            else:
                found.append(tagged(KEY, what="a header value"))
        if value.dicts and isinstance(key, str):
            for literal in value.dicts:
                held = literal.get(key)
                found.append(held if held is not None else (default or OPAQUE))
        if value.items is not None and isinstance(key, int) and -len(value.items) <= key < len(value.items):
            found.append(value.items[key])
        if not found:
            found.append(keeping(value, what=f"an item of {value.what or 'a value'}"))
        result = join(*found)
        if default is not None:
            result = join(result, default)
        return result

    def header(self, headers: Value, name: str, where: Location, default: Value | None) -> Value:
        lowered = LOWERED in headers.tags
        query = "query" in headers.tags
        if not query and name.lower() == self.key_header:
            how = f"headers[{name!r}]" if default is None else f"headers.get({name!r})"
            how += " on a copy of the headers with lowered names" if lowered else ""
            self.facts.header_reads.setdefault((where, name), HeaderRead(where, name, lowered, how))
        secret = name.lower() in (self.key_header, "authorization") or (query and ("key" in name.lower()
                                                                                   or "token" in name.lower()))
        value = tagged(KEY, what=f"the {name} header") if secret else tagged(what=f"the {name} header")
        return value

    def element(self, value: Value) -> Value:
        """What iterating over a value gives."""
        if value.items is not None and not value.opaque:
            return join(*value.items) if value.items else NOTHING
        if value.element is not None:
            return value.element
        if HEADERS in value.tags:
            return tagged(HEADER_NAME, what="a header name")
        if "items-of-headers" in value.tags:
            return Value(items=(tagged(HEADER_NAME, what="a header name"), tagged(KEY, what="a header value")))
        return keeping(value, what=value.what)

    def comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp, state: State,
                      module: Module) -> Value:
        inner = state.copy()
        for generator in node.generators:
            self.assign(generator.target, self.element(self.expr(generator.iter, inner, module)), inner, module)
            for condition in generator.ifs:
                self.expr(condition, inner, module)
        if isinstance(node, ast.DictComp):
            key, value = self.expr(node.key, inner, module), self.expr(node.value, inner, module)
            tags = set(value.carried())
            if KEY in tags:
                tags.add(HEADERS)
                if FOLDED_NAME in key.tags:
                    tags.add(LOWERED)
            return Value(opaque=True, tags=frozenset(tags), what="a dict built by a comprehension")
        element = self.expr(node.elt, inner, module)
        return Value(opaque=True, tags=element.carried(), what="a list built by a comprehension")

    def boolean(self, node: ast.BoolOp, state: State, module: Module) -> Value:
        values = []
        for operand in node.values:
            value = self.expr(operand, state, module)
            truth = value.truth()
            stops = truth is True if isinstance(node.op, ast.Or) else truth is False
            if truth is None:
                values.append(value)
                continue
            if stops:
                values.append(value)
                return join(*values) if len(values) > 1 else value
            # decided the other way: `a or b` with a falsy `a` is `b`, so `a` is not among the results
        return join(*values) if values else const(isinstance(node.op, ast.And))

    def compare(self, node: ast.Compare, state: State, module: Module) -> Value:
        left = self.expr(node.left, state, module)
        results = []
        for operator, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.expr(right_node, state, module)
            results.append(self.compared_values(operator, left, right, node, module))
            left = right
        if all(r is not None for r in results):
            return const(all(results))
        return tagged(what="a comparison")

    def compared_values(self, operator: ast.cmpop, left: Value, right: Value, node: ast.Compare,
                        module: Module) -> bool | None:
        where = self.location(module, node)
        symbol = _OPERATORS.get(type(operator), "a comparison")
        for side, other in ((left, right), (right, left)):
            if FOLDED_NAME in side.tags or HEADER_NAME in side.tags:
                names = {c.lower() for c in _strings(other)}
                if self.key_header in names:
                    folded = FOLDED_NAME in side.tags
                    how = "a header name compared whatever its case" if folded else "a header name compared as sent"
                    spelled = next(c for c in _strings(other) if c.lower() == self.key_header)
                    self.facts.header_reads.setdefault((where, spelled), HeaderRead(where, spelled, folded, how))
        presented = left if KEY in left.carried() else right if KEY in right.carried() else None
        if presented is not None and not isinstance(operator, ast.Is | ast.IsNot):
            other = right if presented is left else left
            if not (other.consts and not other.opaque and all(c in (None, "", b"") or not isinstance(c, str | bytes)
                                                              for c in other.consts)
                    and not other.items and not other.dicts):
                self.compared(where, symbol, other, presented, literal_from=other)
        if left.opaque or right.opaque or left.names or right.names or left.dicts or right.dicts \
                or (left.items is not None and not left.consts) or (right.items is not None and not right.consts):
            return None
        if len(left.consts) == 1 and len(right.consts) == 1:
            a, b = next(iter(left.consts)), next(iter(right.consts))
            try:
                return _decide(operator, a, b)
            except TypeError:
                return None
        if isinstance(operator, ast.Eq | ast.Is) and left.consts and right.consts and not left.consts & right.consts:
            return False
        if isinstance(operator, ast.NotEq | ast.IsNot) and left.consts and right.consts \
                and not left.consts & right.consts:
            return True
        return None

    def compared(self, where: Location, how: str, other: Value, presented: Value, literal_from: Value) -> None:
        """Record the presented key compared with `other`."""
        literal = next((c for c in sorted(_strings(literal_from), key=str) if c), None)
        if literal is None:
            literal = next((k for d in literal_from.dicts for k, _ in d.entries), None) if how == "a dict lookup" \
                else None
        env = next((t[len(ENV):] for t in sorted(other.carried()) if t.startswith(ENV)), None)
        if env is not None:
            self.key_env.add(env)
        against = ("a literal" if literal is not None else self.env_shown(env) if env is not None
                   else "the secret's value" if SECRET in other.carried() else other.what or "a value")
        both_none = None in presented.consts and None in other.consts
        constant_time = how in self.constant_time
        found = KeyComparison(where, how, constant_time, literal, against, env, both_none)
        self.facts.comparisons.setdefault((where, how), found)

    def call_expr(self, node: ast.Call, state: State, module: Module) -> Value:
        callee = self.expr(node.func, state, module)
        arguments = [self.expr(a.value if isinstance(a, ast.Starred) else a, state, module) for a in node.args]
        keywords = {k.arg: self.expr(k.value, state, module) for k in node.keywords if k.arg is not None}
        spread = [self.expr(k.value, state, module) for k in node.keywords if k.arg is None]
        where = self.location(module, node)
        text = _name(node.func)
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in MUTATORS and isinstance(func.value, ast.Name) \
                and func.value.id in state.variables:
            # list.append(x) and the like: the container now holds what x carries
            held = state.variables[node.func.value.id]
            added = [self.element(a) for a in arguments] if node.func.attr in ("extend", "update") else arguments[-1:]
            state.variables[node.func.value.id] = Value(opaque=True, tags=held.tags, what=held.what,
                                                        element=join(self.element(held), *added))
        results = []
        for name in sorted(callee.names):
            results.append(self.call_named(name, callee, arguments, keywords, spread, where, text, module))
        if callee.opaque or callee.consts or callee.dicts or not callee.names:
            everything = arguments + list(keywords.values()) + spread
            if KEY in set().union(*(v.carried() for v in everything)) if everything else False:
                self.facts.escapes.setdefault((where, "key"), CodeEscape(where, "the presented key", f"{text}()"))
            results.append(replace(keeping(callee, *everything, what=f"the value returned by {text}()"), at=where))
        return join(*results)

    def call_named(self, name: str, callee: Value, arguments: list[Value], keywords: dict[str, Value],
                   spread: list[Value], where: Location, text: str, module: Module) -> Value:
        everything = arguments + list(keywords.values()) + spread
        if name.startswith("fn:"):
            function = self.functions[name]
            if spread:
                keywords = dict(keywords)
                for extra in spread:
                    for literal in extra.dicts:
                        keywords.update(dict(literal.entries))
            return self.call(function, arguments, keywords, callee.field("self"))
        if name.startswith("class:"):
            _, owner_module, owner = name.split(":", 2)
            target = self.modules.get(owner_module)
            node = target.classes.get(owner) if target else None
            fields = dict(keywords)
            if node is not None:
                annotated = [s.target.id for s in node.body if isinstance(s, ast.AnnAssign)
                             and isinstance(s.target, ast.Name)]
                fields.update(zip(annotated, arguments, strict=False))
            instance = Value(names=frozenset([f"obj:{owner_module}:{owner}"]), fields=tuple(fields.items()))
            init = target.functions.get(f"{owner}.__init__") if target else None
            if init is not None:
                self.call(init, arguments, keywords, instance)
            if owner and target is not None and _is_exception(node):
                return replace(instance, tags=frozenset().union(*(v.carried() for v in everything)))
            return instance
        if name in CONSTANT_TIME:
            return self.compared_by(name, everything, where)
        sink = _sink(name)
        if sink is not None:
            self.logs(sink, everything, where)
            return OPAQUE
        if name in LOGGER_MAKERS or name.endswith((".getLogger", ".get_logger")):
            return Value(names=frozenset(["logger"]))
        if name.startswith("logger."):
            level = name.split(".", 1)[1]
            if level in LOG_LEVELS:
                self.logs(f"logger.{level}", everything, where)
            return OPAQUE
        if name.startswith("secret-reader."):
            return tagged(SECRET, what="the secret's value")
        if name in ("os.environ.get", "os.getenv", "os.environ.__getitem__"):
            return self.environment(arguments, keywords)
        if name == "builtins.getattr" and len(arguments) >= 2:
            attribute = next(iter(arguments[1].consts), None) if len(arguments[1].consts) == 1 else None
            if isinstance(attribute, str):
                return join(self.attribute(arguments[0], attribute, module), *arguments[2:3])
            return keeping(arguments[0])
        if name.startswith("builtins."):
            builtin = name[9:]
            if builtin in CLEAN_BUILTINS:
                return tagged(what=f"{builtin}()")
            if builtin in ("str", "repr", "format") and arguments and "exception" in arguments[0].names:
                return keeping(*arguments, what="an exception's message")
            if builtin == "dict" and arguments:
                return keeping(*arguments)
            if builtin in ("list", "tuple", "set", "frozenset", "sorted", "reversed") and arguments:
                return Value(opaque=True, element=self.element(arguments[0]), tags=arguments[0].tags,
                             what=arguments[0].what)
            return keeping(*everything, what=f"{builtin}()")
        if name.startswith("method."):
            return self.method(name[7:], callee.field("self") or OPAQUE, arguments, keywords, where, text)
        if name == "json.loads" and arguments and arguments[0].field("json") is not None:
            return arguments[0].field("json")  # json.loads(json.dumps(x)) is x again
        if name in ("json.dumps", "json.loads", "copy.copy", "copy.deepcopy"):
            made = replace(keeping(*everything, what=f"the value {name}() returns"), at=where)
            if name == "json.dumps" and arguments:
                made = replace(made, fields=(("json", arguments[0]),))
            return made
        if KEY in set().union(*(v.carried() for v in everything)) if everything else False:
            self.facts.escapes.setdefault((where, "key"), CodeEscape(where, "the presented key", f"{text}()"))
        return replace(keeping(*everything, what=f"the value returned by {text}()"), at=where)

    def compared_by(self, how: str, values: list[Value], where: Location) -> Value:
        """A comparison function (`hmac.compare_digest`) called with these: the presented key, if among them."""
        if any(KEY in v.carried() for v in values):
            other = next((v for v in values if KEY not in v.carried()), OPAQUE)
            presented = next(v for v in values if KEY in v.carried())
            self.compared(where, how, other, presented, literal_from=other)
        return tagged(what="a comparison")

    def method(self, method: str, receiver: Value, arguments: list[Value], keywords: dict[str, Value],
               where: Location, text: str) -> Value:
        everything = arguments + list(keywords.values())
        if method == "get" and arguments and (receiver.tags & {EVENT, HEADERS} or receiver.dicts):
            default = arguments[1] if len(arguments) > 1 else keywords.get("default", const(None))
            return self.lookup(receiver, arguments[0], where, default)
        if method == "get" and arguments and KEY in arguments[0].carried():
            self.compared(where, "a dict lookup", receiver, arguments[0], literal_from=receiver)
            return keeping(receiver, what=receiver.what)
        if method in ("items",) and HEADERS in receiver.tags:
            return tagged("items-of-headers", what="the headers' items")
        if method in ("keys",) and HEADERS in receiver.tags:
            return tagged(HEADERS, what="the headers' names")
        if method in ("values",) and HEADERS in receiver.tags:
            return tagged(KEY, what="the headers' values")
        if method in ("startswith", "endswith"):
            presented = receiver if KEY in receiver.carried() else next(
                (a for a in arguments if KEY in a.carried()), None)
            if presented is not None:
                other = arguments[0] if presented is receiver and arguments else receiver
                self.compared(where, method, other, presented, literal_from=other)
            return tagged(what="a test")
        if method in FOLDING and HEADER_NAME in receiver.tags:
            return tagged(FOLDED_NAME, what="a header name")
        if method in STR_METHODS and receiver.consts and not receiver.opaque and not arguments:
            strings = [c for c in receiver.consts if isinstance(c, str)]
            if len(strings) == len(receiver.consts):
                return Value(consts=frozenset(STR_METHODS[method](s) for s in strings))
        if method in ("encode", "decode", "strip", "lstrip", "rstrip", "split", "lower", "upper", "casefold", "replace",
                      "format", "join", "copy", "title"):
            return keeping(receiver, *everything, what=receiver.what)
        if KEY in set().union(*(v.carried() for v in everything)) if everything else False:
            self.facts.escapes.setdefault((where, "key"), CodeEscape(where, "the presented key", f"{text}()"))
        return replace(keeping(receiver, *everything, what=f"the value returned by {text}()"), at=where)

    def environment(self, arguments: list[Value], keywords: dict[str, Value], required: bool = False) -> Value:
        """`os.environ.get(name, default)`, `os.getenv`, or `os.environ[name]` (`required`: no default, no None)."""
        name = next(iter(arguments[0].consts), None) if arguments and len(arguments[0].consts) == 1 else None
        tags = [f"{ENV}{name}"] if isinstance(name, str) else []
        read = tagged(*tags, what=f"os.environ[{name!r}]" if isinstance(name, str) else "an environment variable")
        if required:
            return read
        default = arguments[1] if len(arguments) > 1 else keywords.get("default", const(None))
        return join(read, default)

    def logs(self, sink: str, values: list[Value], where: Location) -> None:
        for value in values:
            carried = value.carried()
            for tag, what in SECRETS_SHOWN:
                if tag in carried:
                    self.facts.logged.setdefault((where, sink), LoggedSecret(where, what, sink))
                    break
            for tag in carried:
                if tag.startswith(ENV):
                    self.facts.env_logged.append((where, tag[len(ENV):], sink))


_OPERATORS = {ast.Eq: "==", ast.NotEq: "!=", ast.In: "in", ast.NotIn: "not in", ast.Lt: "<", ast.Gt: ">",
              ast.LtE: "<=", ast.GtE: ">=", ast.Is: "is", ast.IsNot: "is not"}


def _decide(operator: ast.cmpop, a: object, b: object) -> bool | None:
    if isinstance(operator, ast.Eq):
        return a == b
    if isinstance(operator, ast.NotEq):
        return a != b
    if isinstance(operator, ast.Is):
        return a is b if a is None or b is None else None
    if isinstance(operator, ast.IsNot):
        return a is not b if a is None or b is None else None
    if isinstance(operator, ast.In) and isinstance(b, tuple | str | frozenset):
        return a in b
    if isinstance(operator, ast.NotIn) and isinstance(b, tuple | str | frozenset):
        return a not in b
    return None


def _strings(value: Value) -> set[str]:
    """The literal strings (bytes too) a value may be or hold as an item."""
    constants = set(value.consts)
    for item in value.items or ():
        constants |= item.consts
    for held in value.consts:
        if isinstance(held, tuple):
            constants |= set(held)
    return {c.decode("latin-1") if isinstance(c, bytes) else c for c in constants if isinstance(c, str | bytes)}


def _effect(literal: Dict) -> str | None:
    authorized = literal.get("isAuthorized")
    if authorized is not None:
        if authorized.opaque or not authorized.consts:
            return None
        truths = {bool(c) for c in authorized.consts}
        return None if len(truths) > 1 else "allow" if truths.pop() else "deny"
    document = literal.get("policyDocument")
    if document is None:
        return None
    effects: set[str | None] = set()
    for found in document.dicts:
        statements = found.get("Statement") or found.get("statement")
        if statements is None:
            return None
        listed = [d for item in (statements.items or ()) for d in item.dicts] + list(statements.dicts)
        if statements.opaque or not listed:
            return None
        for statement in listed:
            effect = statement.get("Effect")
            if effect is None or effect.opaque or not effect.consts:
                return None
            effects |= {str(c).lower() for c in effect.consts}
    if document.opaque or not effects:
        return None
    if effects == {"deny"}:
        return "deny"
    if effects == {"allow"}:
        return "allow"
    return None


def returned(frame: Frame, end: State | None) -> Value:
    """What a call returns: its `return` values, and None where the body runs to its end (`end`)."""
    returns = list(frame.returns)
    if end is not None:
        returns.append(_with_errors(const(None), end.errors))
    return join(*returns) if returns else NOTHING


def _with_errors(value: Value, errors: frozenset[Location]) -> Value:
    if not errors:
        return value
    return replace(value, dicts=tuple(replace(d, on_error=d.on_error | errors) for d in value.dicts),
                   on_error=value.on_error | errors)


def _places(errors: Iterable[Location]) -> tuple[Location, ...]:
    return tuple(sorted(errors, key=lambda where: (where.file, where.line)))


def _by_place(fact: object) -> tuple:
    where = fact[0] if isinstance(fact, tuple) else fact.location
    return (where.file, where.line)


def _union(arguments: list[Value], keywords: dict[str, Value]) -> frozenset[str]:
    return frozenset().union(*(v.carried() for v in [*arguments, *keywords.values()]))


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_name(node.value)}.{node.attr}"
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return node.name
    if isinstance(node, ast.Call):
        return f"{_name(node.func)}()"
    return "an expression"


def _sink(name: str) -> str | None:
    if name == "builtins.print":
        return "print"
    if name in ("sys.stdout.write", "sys.stderr.write", "sys.stdout.writelines", "sys.stderr.writelines"):
        return name
    if name.startswith("logging.") and name.split(".")[-1] in LOG_LEVELS and name.count(".") == 1:
        return name
    return None


def _catches(handler: ast.ExceptHandler) -> str:
    if handler.type is None:
        return "every exception (a bare except)"
    return ast.unparse(handler.type)


def _absolute(node: ast.ImportFrom, module: Module) -> str:
    if not node.level:
        return node.module or ""
    package = module.name.split(".")
    is_package = module.file.name.endswith("__init__.py")
    parts = package if is_package else package[:-1]
    parts = parts[:len(parts) - (node.level - 1)] if node.level > 1 else parts
    return ".".join([*parts, *([node.module] if node.module else [])])


def _pattern_names(pattern: ast.pattern) -> Iterator[str]:
    for node in ast.walk(pattern):
        name = getattr(node, "name", None)
        if isinstance(name, str):
            yield name


def _is_exception(node: ast.ClassDef) -> bool:
    return any(isinstance(base, ast.Name) and base.id.endswith(("Exception", "Error")) for base in node.bases)


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def comments_and_statements(file: SourceFile) -> tuple[list[tuple[int, str]], list[tuple[int, int]]]:
    """A Python file's comments (line, text) and the lines of each statement (a compound one's header only), for
    inline suppressions written in the code: `# gateaudit:ignore GA108 reason="..."` above the line it accepts."""
    offset = file.line - 1
    try:
        tree = ast.parse(file.text)
        comments = [(token.start[0] + offset, token.string)
                    for token in tokenize.generate_tokens(io.StringIO(file.text).readline)
                    if token.type == tokenize.COMMENT]
    except (SyntaxError, ValueError, RecursionError, MemoryError, tokenize.TokenError):
        return [], []
    statements = []
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt):
            body = getattr(node, "body", None)
            end = body[0].lineno - 1 if isinstance(body, list) and body and isinstance(body[0], ast.stmt) \
                else node.end_lineno or node.lineno
            statements.append((node.lineno + offset, max(node.lineno, end) + offset))
    return comments, sorted(statements, key=lambda span: (span[1] - span[0], span[0]))
