"""What a Node.js Lambda authorizer does, read from its JavaScript or TypeScript code with tree-sitter (issue 17):
the same `gateaudit.model.CodeBehaviour` facts, with the same meaning, as `gateaudit.python_code` finds.

The interpreter is python_code's, taught JavaScript: the same values (constants, object literals as dicts, names
of what was imported, tags saying where a value came from), the same joins at branches, the same recording of
comparisons, logs and error paths (its `Interpreter` is the base class here). It walks the handler and every
function of the package it calls (`require('./lib/policy')`, `import { generatePolicy } from './policy.js'`),
binding arguments; a function written inside another sees and writes the variables around it (a
`forEach` callback filling an object declared outside it). The older `(event, context, callback)` handler
answers through `callback(null, policy)`; `callback(error)` ends the path as a `throw` does (API Gateway answers
401/500).

The code is the hostile tree's: a parse with errors, more steps than MAX_STEPS or nesting deeper than Python's
recursion allows make the whole behaviour an Unknown, never a partial pass.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from . import python_code
from .model import CodeBehaviour, CodeEscape, FunctionCode, HeaderRead, Location, LoggedSecret, SourceFile, Unknown
from .python_code import (
    ENV,
    EVENT,
    EVENT_HEADERS,
    EVENT_KEYS,
    EVENT_QUERY,
    FOLDED_NAME,
    HEADER_NAME,
    HEADERS,
    KEY,
    LOWERED,
    NOTHING,
    OPAQUE,
    SECRET,
    Dict,
    Frame,
    State,
    TooBig,
    Value,
    _strings,
    _with_errors,
    const,
    join,
    keeping,
    merge,
    returned,
    tagged,
)

try:
    import tree_sitter
    import tree_sitter_javascript
    import tree_sitter_typescript
except ImportError:  # an install without the parser: every Node.js handler is then an Unknown saying so
    tree_sitter = None

MAX_STEPS = python_code.MAX_STEPS
MAX_CALL_DEPTH = python_code.MAX_CALL_DEPTH
MAX_VALUE_PARTS = 200  # values an object written to piece by piece may hold before it is followed no further
MAX_PATHS = 4  # ways out of one try statement followed apart; more are merged
MAX_VARIANTS = 4  # object literals written at one place a variable may hold, before they are merged into one
SUFFIXES = (".js", ".mjs", ".cjs", ".ts")

CONSTANT_TIME = frozenset({"crypto.timingSafeEqual"})
CONSOLE = {"log", "info", "warn", "error", "debug", "trace", "dir", "table"}
STREAMS = {"process.stdout.write", "process.stderr.write"}
LOG_LEVELS = python_code.LOG_LEVELS | {"trace", "verbose", "silly"}
# Calls that give a logger: pino(), winston.createLogger(), new Logger() of Powertools, bunyan, log4js, .child()
LOGGER_MAKERS = {"pino", "winston.createLogger", "@aws-lambda-powertools/logger.Logger", "bunyan.createLogger",
                 "log4js.getLogger", "loglevel.getLogger", "logger.child", "logger.createChild"}
SECRET_READERS = {"getSecretValue", "getParameter", "getParameters", "getSecret", "getParametersByPath",
                  "getParameterValue"}
SECRET_COMMANDS = ("GetSecretValueCommand", "GetParameterCommand", "GetParametersCommand",
                   "GetParametersByPathCommand")
SECRET_REQUEST = "secret-request"  # an SDK v3 command that reads a secret, before `client.send` sends it
FOLDING = {"toLowerCase", "toUpperCase", "toLocaleLowerCase", "toLocaleUpperCase"}
STRING_METHODS = {"toLowerCase": str.lower, "toUpperCase": str.upper, "toLocaleLowerCase": str.lower,
                  "toLocaleUpperCase": str.upper, "trim": str.strip, "trimStart": str.lstrip, "trimEnd": str.rstrip}
ITERATING = {"map", "flatMap", "filter", "find", "findLast", "some", "every", "forEach", "reduce"}
CLEAN = {"Array.isArray", "Number", "parseInt", "parseFloat", "Boolean", "Date.now", "Math.floor", "Math.random",
         "isNaN", "Number.isInteger", "setTimeout"}
NORMALIZER = "middleware:header-normalizer"
MIDDLEWARE = {"use", "before", "after", "onError"}  # middy's: they return the wrapped handler
OBJECT_METHODS = {"hasOwnProperty", "propertyIsEnumerable", "then", "catch", "finally"}  # and a promise's
EQUALITY = {"===", "==", "!==", "!="}
SKIPPED = {"comment", "html_comment", "hash_bang_line", "empty_statement", "type_alias_declaration",
           "interface_declaration", "ambient_declaration", "abstract_class_declaration",
           "module", "internal_module", "import_alias", "debugger_statement"}
WRAPPERS = {"parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression",
            "type_assertion"}
FUNCTIONS = {"arrow_function", "function_expression", "function", "generator_function", "function_declaration",
             "generator_function_declaration", "method_definition"}
# Present in every event of a REST or HTTP API authorizer: a test of them is true (the classic generatePolicy's
# `if (effect && resource)`), so the answer without a policy document is not taken for one the code may return.
ALWAYS_SET = {"methodArn", "routeArn"}


class NotParsed(Exception):
    """A file tree-sitter could not parse without errors: `where` is its first error's file:line."""

    def __init__(self, where: str, language: str):
        super().__init__(where)
        self.where, self.language = where, language


def analyse(code: FunctionCode, key_header: str) -> CodeBehaviour | Unknown:
    """What the handler of a Node.js package does, or why it cannot be told."""
    entry, name = code.entry()
    if entry is None:
        module = code.handler.rpartition(".")[0]
        return Unknown(f"the handler {code.handler} is not in {code.read_from}: no {module}.js, .mjs, .cjs or .ts")
    if tree_sitter is None:
        return Unknown("tree-sitter (with its JavaScript and TypeScript grammars) is not installed, so "
                       f"gateaudit cannot read the Node.js code of {code.handler}")
    try:
        return Interpreter(code, key_header.lower()).start(entry, name)
    except NotParsed as error:
        return Unknown(f"{error.where} is not valid {error.language}")
    except (TooBig, RecursionError, MemoryError) as error:
        reason = str(error) if isinstance(error, TooBig) else "is nested too deeply to analyse"
        return Unknown(f"the code of {code.handler} {reason}")


_GRAMMARS: dict[str, Any] = {}  # a grammar is loaded once; a parser, which holds state, is made per file


def parse(file: SourceFile) -> Any:
    """The syntax tree of a file (TypeScript for `.ts`, else JavaScript); NotParsed at its first error."""
    typescript = file.name.endswith(".ts")
    language = "TypeScript" if typescript else "JavaScript"
    if language not in _GRAMMARS:
        grammar = tree_sitter_typescript.language_typescript() if typescript else tree_sitter_javascript.language()
        _GRAMMARS[language] = tree_sitter.Language(grammar)
    tree = tree_sitter.Parser(_GRAMMARS[language]).parse(file.text.encode("utf-8", "surrogatepass"))
    if tree.root_node.has_error:
        raise NotParsed(f"{file.shown}:{file.line - 1 + _first_error(tree.root_node)}", language)
    return tree.root_node


def _first_error(root: Any) -> int:
    pending = [root]
    while pending:
        node = pending.pop()
        if node.is_error or node.is_missing:
            return node.start_point[0] + 1
        pending.extend(reversed([c for c in node.children if c.has_error or c.is_missing]))
    return root.start_point[0] + 1


@dataclass
class Function:
    node: Any
    module: Module
    scopes: tuple[dict[str, Value], ...] = ()  # the variables of the functions around it, innermost first

    @property
    def parameters(self) -> list[Any]:
        single = self.node.child_by_field_name("parameter")
        if single is not None:
            return [single]
        found = self.node.child_by_field_name("parameters")
        return _named(found) if found is not None else []

    @property
    def is_async(self) -> bool:
        return any(child.type == "async" for child in self.node.children)


@dataclass
class Module:
    name: str  # its path in the package: lib/policy.js
    file: SourceFile
    root: Any
    globals: dict[str, Value] = field(default_factory=dict)
    exports: dict[str, Value] = field(default_factory=dict)  # `exports.x = ...`, `export const x`
    replaced: Value | None = None  # `module.exports = ...`
    ready: bool = False


class Interpreter(python_code.Interpreter):
    """python_code's interpreter (its values, facts, answers and error paths), walking JavaScript."""

    constant_time = CONSTANT_TIME

    def __init__(self, code: FunctionCode, key_header: str):
        super().__init__(code, key_header)
        self.files = {f.name: f for f in code.files if f.name.endswith(SUFFIXES)}
        self.node_modules: dict[str, Module] = {}
        self.callback_answers: list[Value] = []  # what callback(null, answer) or context.succeed(answer) gave
        self.ended = False  # the last call ended its path: callback() or context.fail()
        self.errors_now: frozenset[Location] = frozenset()  # the catch clauses the call being made is in
        self.classes: dict[str, tuple[Any, Module]] = {}  # "class:<file>:<offset>" -> its declaration
        self.thrown: list[list[Value]] = []  # per `try` being interpreted: what its body threw
        self.headers_lowered = False  # the handler is wrapped by middleware that lowers the headers' names
        self.this: Value | None = None  # what `this` holds where the last method called ran to its end
        self.this_written: Value | None = None  # the object a method last wrote on `this`
        self.prototypes: dict[str, Value] = {}  # "fn:..." -> what `F.prototype = ...` wrote

    @staticmethod
    def env_shown(name: str) -> str:
        return f"process.env.{name}"

    # -- modules ------------------------------------------------------------------------------------------------

    def load(self, name: str) -> Module | None:
        if name in self.node_modules:
            return self.node_modules[name]
        file = self.files.get(name)
        if file is None:
            return None
        module = self.node_modules[name] = Module(name, file, parse(file))
        return module

    def resolve(self, spec: str, module: Module) -> str | None:
        """The package's file a relative `require`/`import` names, if it is one of the package's."""
        if not spec.startswith("."):
            return None
        path = posixpath.normpath(posixpath.join(posixpath.dirname(module.name), spec))
        stem = path[: -len(posixpath.splitext(path)[1])] if path.endswith(SUFFIXES) else path
        candidates = [path, *(stem + s for s in SUFFIXES), *(f"{path}/index{s}" for s in SUFFIXES)]
        return next((c for c in candidates if c in self.files), None)

    def globals_of(self, module: Module) -> dict[str, Value]:
        if not module.ready:
            module.ready = True  # a require cycle sees what is bound so far
            state = State(module.globals)
            # A module first required inside a function runs on its own: none of that function's variables
            frames, self.frames = self.frames, []
            try:
                self.hoist(module.root, state, module)
                end = self.block(_named(module.root), state, module)
            finally:
                self.frames = frames
            if end is not None:
                module.globals.update(end.variables)
        return module.globals

    def module_value(self, module: Module) -> Value:
        return Value(names=frozenset([f"module:{module.name}"]))

    def exported(self, module: Module, name: str) -> Value:
        self.globals_of(module)
        if module.replaced is not None:
            return self.member(module.replaced, name, None, module)
        if name in module.exports:
            return module.exports[name]
        return OPAQUE

    def default_export(self, module: Module) -> Value:
        self.globals_of(module)
        if module.replaced is not None:
            return module.replaced
        return module.exports.get("default", self.module_value(module))

    def imported(self, spec: str, module: Module) -> Value:
        """What `require(spec)` gives: a module of the package, or the name of a library."""
        found = self.resolve(spec, module)
        target = self.load(found) if found is not None else None
        if target is not None:
            return self.default_export(target)
        if spec.startswith("."):
            return tagged(what=f"require({spec!r}) (not in the package)")
        return Value(names=frozenset([spec.removeprefix("node:")]))

    # -- the handler --------------------------------------------------------------------------------------------

    def start(self, entry: SourceFile, name: str) -> CodeBehaviour | Unknown:
        module = self.load(entry.name)
        handler = self.exported(module, name)
        functions = [self.functions[n] for n in sorted(handler.names) if n.startswith("fn:")]
        if not functions and handler.what:
            return Unknown(f"{entry.shown} exports {name} as {handler.what}, not a function of the package the "
                           f"analysis can follow (the handler {self.code.handler})")
        if not functions:
            return Unknown(f"{entry.shown} exports no function {name} (the handler {self.code.handler})")
        function = functions[0]
        count = len(function.parameters)
        self.callback_answers = []
        arguments = [tagged(EVENT, what="the event"), Value(names=frozenset(["context"])),
                     Value(names=frozenset(["callback"]))][:count]
        result = self.call(function, arguments, {}, handler.field("this"))
        # A handler that is not async answers through callback() or context.succeed(): what it returns is ignored
        if not function.is_async and (count >= 3 or self.callback_answers):
            result = join(*self.callback_answers) if self.callback_answers else NOTHING
        where = self.where(function.module, function.node)
        return self.behaviour(result, where)

    def class_value(self, node: Any, module: Module) -> Value:
        name = f"class:{module.name}:{node.start_byte}"
        self.classes[name] = (node, module)
        return Value(names=frozenset([name]), what=f"the class {_text(node.child_by_field_name('name'))}")

    def class_member(self, name: str, member: str) -> Any:
        """The method `member` of a class (static or not: both are looked up by name)."""
        node, _ = self.classes[name]
        body = node.child_by_field_name("body")
        return next((m for m in _named(body) if m.type == "method_definition"
                     and _text(m.child_by_field_name("name")) == member), None)

    def construct(self, name: str, arguments: list[Value], where: Location) -> Value:
        """`new C(...)`: an object whose fields its field definitions and constructor write on `this`."""
        node, module = self.classes[name]
        instance = Value(names=frozenset([f"obj:{name}"]), dicts=(Dict(where, ()),))
        state = State({"this": instance})
        for field_node in _named(node.child_by_field_name("body")):
            if field_node.type in ("field_definition", "public_field_definition"):
                key = field_node.child_by_field_name("property") or field_node.child_by_field_name("name")
                value = field_node.child_by_field_name("value")
                if key is not None and value is not None:
                    state.variables["this"] = _updated(state.variables["this"], [_text(key)],
                                                       self.expr(value, state, module))
        instance = state.variables["this"]
        constructor = self.class_member(name, "constructor")
        if constructor is not None:
            self.this = None
            self.call(Function(constructor, module), arguments, {}, instance)
            instance = self.this or instance
        return instance

    def construct_function(self, name: str, arguments: list[Value], where: Location) -> Value:
        instance = Value(names=frozenset([f"instance:{name}"]), dicts=(Dict(where, ()),))
        self.this = None
        self.call(self.functions[name], arguments, {}, instance)
        return self.this or instance

    def register(self, module: Module, function: Function) -> str:
        scope = id(function.scopes[0]) if function.scopes else 0
        name = f"fn:{module.name}:{function.node.start_byte}:{scope}"
        self.functions.setdefault(name, function)
        return name

    def function_value(self, node: Any, state: State | None, module: Module) -> Value:
        scopes = (state.variables, *self.scopes()) if state is not None and self.frames else ()
        return Value(names=frozenset([self.register(module, Function(node, module, scopes))]))

    def scopes(self) -> tuple[dict[str, Value], ...]:
        """The variables of the functions around the one being interpreted."""
        return self.frames[-1].function.scopes if self.frames else ()

    def rebind(self, name: str, change: Any, state: State, module: Module) -> None:
        """Change a variable where it lives: this function's, one around it (a callback's write may happen or not:
        both are kept), or the module's (a cache a function fills)."""
        if name in state.variables:
            state.variables[name] = _bounded(change(state.variables[name]))
            if name == "this":
                self.this_written = state.variables[name]
            return
        for scope in (*self.scopes(), module.globals):
            if name in scope:
                scope[name] = _bounded(_few(join(scope[name], change(scope[name]))))
                return
        state.variables[name] = _bounded(change(OPAQUE))

    def call(self, function: Function, arguments: list[Value], keywords: dict[str, Value],
             bound: Value | None) -> Value:
        # `generatePolicy(user, ok ? "Allow" : "Deny", arn)`: one call per constant, so each answer has its effect
        for index, argument in enumerate(arguments):
            if 1 < len(argument.consts) <= 4 and argument == Value(consts=argument.consts):
                return join(*(self.call(function, [*arguments[:index], const(c), *arguments[index + 1:]], keywords,
                                        bound) for c in sorted(argument.consts, key=repr)))
        # policy.build() on an object that is one of a few (allow() on one path, deny() on another): once each
        if bound is not None and 1 < len(bound.dicts) <= MAX_VARIANTS:
            return join(*(self.call(function, arguments, keywords, replace(bound, dicts=(literal,)))
                          for literal in bound.dicts))
        node = function.node
        if self.depth >= MAX_CALL_DEPTH or any(f.function is function for f in self.frames):
            tags = frozenset().union(*(v.carried() for v in arguments)) if arguments else frozenset()
            return tagged(*tags, what=f"a value returned by {_function_name(node)} (recursive)")
        key = (id(node), id(function.scopes[0]) if function.scopes else 0, tuple(arguments), bound)
        if key in self.memo:
            return self.memo[key]
        state = State({})
        if bound is not None:
            state.variables["this"] = bound
        for index, parameter in enumerate(function.parameters):
            self.bind(parameter, arguments[index] if index < len(arguments) else const(None), state,
                      function.module, arguments[index:])
        frame = Frame(function)
        self.frames.append(frame)
        self.depth += 1
        try:
            body = node.child_by_field_name("body")
            if body is None:
                end = None
            elif body.type == "statement_block":
                self.hoist(body, state, function.module)
                end = self.block(_named(body), state, function.module)
            else:  # an arrow function's expression body
                frame.returns.append(_with_errors(self.expr(body, state, function.module), state.errors))
                end = None
        finally:
            self.depth -= 1
            self.frames.pop()
        if bound is not None and end is not None:
            self.this = end.variables.get("this")
        result = self.memo[key] = returned(frame, end)
        return result

    def bind(self, parameter: Any, value: Value, state: State, module: Module, rest: list[Value]) -> None:
        kind = parameter.type
        if kind in ("required_parameter", "optional_parameter"):
            pattern = parameter.child_by_field_name("pattern")
            default = parameter.child_by_field_name("value")
            if default is not None and None in value.consts:
                value = join(replace(value, consts=value.consts - {None}), self.expr(default, state, module))
            if pattern is not None:
                self.bind(pattern, value, state, module, rest)
        elif kind == "rest_pattern":
            self.pattern(_named(parameter)[0], Value(items=tuple(rest)), state, module)
        else:
            self.pattern(parameter, value, state, module)

    def hoist(self, body: Any, state: State, module: Module) -> None:
        """Function declarations are bound before the body runs."""
        for node in _named(body):
            declaration = node.child_by_field_name("declaration") if node.type == "export_statement" else node
            if declaration is not None and declaration.type in ("function_declaration",
                                                                 "generator_function_declaration"):
                name = declaration.child_by_field_name("name")
                state.variables[_text(name)] = self.function_value(declaration, state, module)

    # -- statements ---------------------------------------------------------------------------------------------

    def block(self, body: list[Any], state: State | None, module: Module) -> State | None:
        for index, node in enumerate(body):
            if state is None:
                return None
            if node.type == "try_statement" and node.child_by_field_name("handler") is not None:
                self.tick()
                # The code after a try goes on from each way out of it apart (as in python_code): a catch that
                # sets `allowed = false` answers Deny below, not "Allow or Deny" merged with the normal path.
                ends = [end for end in self.attempt_paths(node, state, module) if end is not None]
                rest = body[index + 1:]
                if rest and 1 < len(ends) <= MAX_PATHS:
                    return merged(*(self.block(rest, end, module) for end in ends))
                state = merged(*ends)
                continue
            state = self.statement(node, state, module)
        return state

    def statement(self, node: Any, state: State, module: Module) -> State | None:
        self.tick()
        kind = node.type
        frame = self.frames[-1] if self.frames else None
        if kind in SKIPPED:
            return state
        if kind == "expression_statement":
            for child in _named(node):
                self.expr(child, state, module)
            return self.after_call(state)
        if kind == "return_statement":
            children = _named(node)
            value = self.expr(children[0], state, module) if children else const(None)
            if self.ended:
                self.ended = False
                return None
            if frame is not None:
                frame.returns.append(_with_errors(value, state.errors))
            return None
        if kind in ("lexical_declaration", "variable_declaration"):
            for declarator in _named(node):
                if declarator.type != "variable_declarator":
                    continue
                value_node = declarator.child_by_field_name("value")
                value = self.expr(value_node, state, module) if value_node is not None else const(None)
                self.pattern(declarator.child_by_field_name("name"), value, state, module)
            return self.after_call(state)
        if kind == "statement_block":
            return self.block(_named(node), state, module)
        if kind == "if_statement":
            truth = self.expr(node.child_by_field_name("condition"), state, module).truth()
            if self.ended:
                self.ended = False
                return None
            alternative = node.child_by_field_name("alternative")
            otherwise = _named(alternative) if alternative is not None else []
            consequence = [node.child_by_field_name("consequence")]
            if truth is True:
                return self.block(consequence, state, module)
            if truth is False:
                return self.block(otherwise, state, module)
            return merged(self.block(consequence, state.copy(), module), self.block(otherwise, state.copy(), module))
        if kind in ("for_statement", "for_in_statement", "while_statement", "do_statement"):
            return self.loop(node, state, module)
        if kind == "switch_statement":
            return self.switch(node, state, module)
        if kind == "try_statement":
            return self.attempt(node, state, module)
        if kind == "throw_statement":
            for child in _named(node):
                thrown = self.expr(child, state, module)
                if self.thrown:
                    self.thrown[-1].append(thrown)
            return None
        if kind in ("break_statement", "continue_statement"):
            if frame is not None:
                frame.breaks.append(state)
            return None
        if kind in ("function_declaration", "generator_function_declaration"):
            name = _text(node.child_by_field_name("name"))
            if name not in state.variables:
                state.variables[name] = self.function_value(node, state, module)
            return state
        if kind == "enum_declaration":  # TypeScript: `enum Effect { Allow = "Allow" }` is an object of its members
            entries, index = [], 0
            for member in _named(node.child_by_field_name("body")):
                named = member.child_by_field_name("name") if member.type == "enum_assignment" else member
                given = member.child_by_field_name("value") if member.type == "enum_assignment" else None
                value = self.expr(given, state, module) if given is not None else const(index)
                index = next(iter(value.consts)) + 1 if value.consts and isinstance(next(iter(value.consts)), int) \
                    else index + 1
                entries.append((_text(named), value))
            state.variables[_text(node.child_by_field_name("name"))] = Value(
                dicts=(Dict(self.where(module, node), tuple(entries)),))
            return state
        if kind == "class_declaration":
            state.variables[_text(node.child_by_field_name("name"))] = self.class_value(node, module)
            return state
        if kind == "import_statement":
            self.import_statement(node, state, module)
            return state
        if kind == "export_statement":
            return self.export_statement(node, state, module)
        if kind == "labeled_statement":
            return self.block([node.child_by_field_name("body")], state, module)
        for child in _named(node):  # what else there is: read its expressions for what they do
            if not child.type.endswith(("statement", "declaration")):
                self.expr(child, state, module)
        return state

    def after_call(self, state: State) -> State | None:
        if self.ended:  # callback(...) or context.fail(...): the answer is given, the path ends
            self.ended = False
            return None
        return state

    def loop(self, node: Any, state: State, module: Module) -> State | None:
        frame = self.frames[-1] if self.frames else None
        kind = node.type
        element = None
        if kind == "for_statement":
            initializer = node.child_by_field_name("initializer")
            if initializer is not None:
                state = self.statement(initializer, state, module) if initializer.type.endswith("declaration") \
                    else self._expression(initializer, state, module)
        elif kind == "for_in_statement":
            iterated = self.expr(node.child_by_field_name("right"), state, module)
            operator = node.child_by_field_name("operator")
            element = self.element(iterated) if operator is not None and operator.type == "of" \
                else self.keys_of(iterated)
        elif kind == "while_statement":
            truth = self.expr(node.child_by_field_name("condition"), state, module).truth()
            if truth is False:
                return state
        breaks_before = len(frame.breaks) if frame else 0
        entry = state.copy()
        end = state.copy()
        body = node.child_by_field_name("body")
        for _ in range(2):  # a second pass sees what the first bound
            if element is not None:
                self.pattern(node.child_by_field_name("left"), element, end, module)
            end = merged(entry, self.block([body], end, module))
            if end is None:
                break
            for part in ("condition", "increment"):
                expression = node.child_by_field_name(part)
                if expression is not None and end is not None:
                    end = self._expression(expression, end, module)
        breaks = frame.breaks[breaks_before:] if frame else []
        if frame:
            del frame.breaks[breaks_before:]
        return merged(entry, end, *breaks)

    def _expression(self, node: Any, state: State, module: Module) -> State:
        if node.type == "expression_statement":
            for child in _named(node):
                self.expr(child, state, module)
        else:
            self.expr(node, state, module)
        return state

    def switch(self, node: Any, state: State, module: Module) -> State | None:
        frame = self.frames[-1] if self.frames else None
        subject = self.expr(node.child_by_field_name("value"), state, module)
        breaks_before = len(frame.breaks) if frame else 0
        ends = []
        has_default = False
        for case in _named(node.child_by_field_name("body")):
            has_default = has_default or case.type == "switch_default"
            if case.type == "switch_case":  # `case "k1":` compares the subject with === (a key with a literal)
                tested = self.expr(case.child_by_field_name("value"), state, module)
                self.equality("===", subject, tested, self.where(module, case))
            ends.append(self.block(case.children_by_field_name("body"), state.copy(), module))
        breaks = frame.breaks[breaks_before:] if frame else []
        if frame:
            del frame.breaks[breaks_before:]
        return merged(*([] if has_default else [state]), *ends, *breaks)

    def attempt(self, node: Any, state: State, module: Module) -> State | None:
        return merged(*self.attempt_paths(node, state, module))

    def attempt_paths(self, node: Any, state: State, module: Module) -> list[State | None]:
        """The state at each way out of a try statement: its body, then its catch clause."""
        entry = state.copy()
        body = node.child_by_field_name("body")
        self.thrown.append([])
        try:
            body_end = self.block([body], state.copy(), module)
        finally:
            # What `catch (error)` holds: what the `throw` statements the body reached threw, in functions it called
            raised = keeping(tagged(), *self.thrown.pop(), what="an error")
        ends = [body_end]
        handler = node.child_by_field_name("handler")
        if handler is not None:
            where = self.where(module, handler)
            start = merged(entry, body_end) or entry.copy()
            start.errors = start.errors | {where}
            parameter = handler.child_by_field_name("parameter")
            if parameter is not None:
                self.pattern(parameter, replace(raised, names=frozenset(["exception"])), start, module)
            end = self.block([handler.child_by_field_name("body")], start, module)
            returns = any(r.type == "return_statement" and not self._ends_with_error(r, start, module)
                          for r in _walk(handler))
            catches = f"every error (catch ({_text(parameter)}))" if parameter is not None else "every error (catch)"
            self.facts.handlers.setdefault(where, (catches, end is None and not returns))
            ends.append(end)
        finalizer = node.child_by_field_name("finalizer")
        if finalizer is None:
            return ends
        if all(end is None for end in ends):  # finally runs, and the error or the return goes on
            self.block(_named(finalizer), entry.copy(), module)
            return ends
        return [self.block(_named(finalizer), end, module) if end is not None else None for end in ends]

    def _ends_with_error(self, node: Any, state: State, module: Module) -> bool:
        """`return callback('Unauthorized')` or `return context.fail(...)`: an error answer, not a return."""
        children = _named(node)
        if not children or children[0].type != "call_expression":
            return not children  # a bare `return;` in a callback handler answers nothing either
        callee = self.expr(children[0].child_by_field_name("function"), state.copy(), module)
        return bool(callee.names & {"callback", "context.fail", "context.done"})

    # -- bindings -----------------------------------------------------------------------------------------------

    def pattern(self, target: Any, value: Value, state: State, module: Module) -> None:
        """Bind a declaration's or parameter's name, or each name of a destructuring pattern."""
        if target is None:
            return
        kind = target.type
        if kind in ("identifier", "shorthand_property_identifier_pattern"):
            state.variables[_text(target)] = value
        elif kind == "object_pattern":
            for part in _named(target):
                if part.type == "shorthand_property_identifier_pattern":
                    self.pattern(part, self.member(value, _text(part), None, module), state, module)
                elif part.type == "pair_pattern":
                    key = self.property_name(part.child_by_field_name("key"), state, module)
                    held = self.member(value, key, None, module) if key is not None else keeping(value)
                    self.pattern(part.child_by_field_name("value"), held, state, module)
                elif part.type == "object_assignment_pattern":
                    left = part.child_by_field_name("left")
                    held = self.member(value, _text(left), None, module)
                    default = self.expr(part.child_by_field_name("right"), state, module)
                    self.pattern(left, join(replace(held, consts=held.consts - {None}), default), state, module)
                elif part.type == "rest_pattern":
                    self.pattern(_named(part)[0], keeping(value), state, module)
        elif kind == "array_pattern":
            for index, part in enumerate(_named(target)):
                if part.type == "rest_pattern":
                    self.pattern(_named(part)[0], keeping(value), state, module)
                elif value.items is not None and index < len(value.items) and not value.opaque:
                    self.pattern(part, value.items[index], state, module)
                else:
                    self.pattern(part, self.element(value), state, module)
        elif kind == "assignment_pattern":
            default = self.expr(target.child_by_field_name("right"), state, module)
            held = join(replace(value, consts=value.consts - {None}), default) if None in value.consts else value
            self.pattern(target.child_by_field_name("left"), held, state, module)
        elif kind in ("required_parameter", "optional_parameter", "rest_pattern"):
            self.bind(target, value, state, module, [value])

    def assign(self, target: Any, value: Value, state: State, module: Module) -> None:
        """`name = v`, `exports.x = v`, `module.exports = v`, `obj.a.b = v`, `arr[0] = v`."""
        target = _unwrap(target)
        if target.type == "identifier":
            self.rebind(_text(target), lambda _: value, state, module)
            return
        if target.type in ("object_pattern", "array_pattern"):
            self.pattern(target, value, state, module)
            return
        if target.type not in ("member_expression", "subscript_expression"):
            return
        path = self.path(target, state, module)
        if path is None:
            return
        root, keys, index = path
        if index & {HEADER_NAME, FOLDED_NAME} and KEY in value.carried():
            # all[name.toLowerCase()] = headers[name]: a copy of the headers, lowered when the names were
            value = replace(value, tags=value.tags | {HEADERS} | ({LOWERED} if FOLDED_NAME in index else set()))
            keys = keys[:-1]
            if not keys:
                self.rebind(root, lambda held: replace(held, tags=held.tags | value.tags, opaque=True), state, module)
                return
        if keys[:1] == ["prototype"]:
            held = self.name(root, state, module)
            for name in sorted(n for n in held.names if n.startswith("fn:")):
                start = self.prototypes.get(name, Value(dicts=(Dict(self.where(module, target), ()),)))
                self.prototypes[name] = _bounded(_updated(start, keys[1:], value))
            if any(n.startswith("fn:") for n in held.names):
                return
        if root == "exports" and "exports" not in state.variables:
            if len(keys) == 1:
                module.exports[keys[0]] = value
            return
        if root == "module" and keys[:1] == ["exports"] and "module" not in state.variables:
            if len(keys) == 1:
                module.replaced = value
            elif len(keys) == 2 and module.replaced is not None:
                module.replaced = _updated(module.replaced, keys[1:], value)
            elif len(keys) == 2:
                module.exports[keys[1]] = value
            return
        if root == "this" or root in state.variables or root in module.globals \
                or any(root in scope for scope in self.scopes()):
            self.rebind(root, lambda held: _updated(held, keys, value), state, module)

    def path(self, target: Any, state: State, module: Module) \
            -> tuple[str, list[str | int | None], frozenset[str]] | None:
        """`a.b[0].c` as ("a", ["b", 0, "c"]), with what the last index carries; a key not known is None."""
        keys: list[str | int | None] = []
        last: frozenset[str] | None = None
        node = target
        while node.type in ("member_expression", "subscript_expression") or node.type in WRAPPERS:
            if node.type in WRAPPERS:
                node = _unwrap(node)
                continue
            if node.type == "member_expression":
                last = frozenset() if last is None else last
                keys.append(_text(node.child_by_field_name("property")))
                node = node.child_by_field_name("object")
            else:
                index = self.expr(node.child_by_field_name("index"), state, module)
                last = index.carried() if last is None else last
                found = next(iter(index.consts)) if len(index.consts) == 1 and not index.opaque else None
                keys.append(found if isinstance(found, str | int) and not isinstance(found, bool) else None)
                if KEY in index.carried():
                    holder = self.expr(node.child_by_field_name("object"), state, module)
                    self.compared(self.where(module, node), "a dict lookup", holder, index, literal_from=holder)
                node = node.child_by_field_name("object")
        if node.type == "this":
            return "this", list(reversed(keys)), last or frozenset()
        if node.type != "identifier":
            self.expr(node, state, module)
            return None
        return _text(node), list(reversed(keys)), last or frozenset()

    # -- imports and exports ------------------------------------------------------------------------------------

    def import_statement(self, node: Any, state: State, module: Module) -> None:
        required = next((c for c in _named(node) if c.type == "import_require_clause"), None)
        if required is not None:  # TypeScript's `import policy = require("./policy")`
            spec = _string(required.child_by_field_name("source"))
            state.variables[_text(_named(required)[0])] = self.imported(spec, module) if spec else OPAQUE
            return
        source = node.child_by_field_name("source")
        spec = _string(source) if source is not None else None
        if spec is None:
            return
        found = self.resolve(spec, module)
        target = self.load(found) if found is not None else None
        library = spec.removeprefix("node:")
        clause = next((c for c in _named(node) if c.type == "import_clause"), None)
        for part in _named(clause) if clause is not None else []:
            if part.type == "identifier":  # import x from '...': the default export
                state.variables[_text(part)] = self.default_export(target) if target is not None \
                    else Value(names=frozenset([library]))
            elif part.type == "namespace_import":
                state.variables[_text(_named(part)[0])] = self.module_value(target) if target is not None \
                    else Value(names=frozenset([library]))
            elif part.type == "named_imports":
                for specifier in _named(part):
                    if specifier.type != "import_specifier":
                        continue
                    name = _text(specifier.child_by_field_name("name"))
                    alias = specifier.child_by_field_name("alias")
                    value = self.exported(target, name) if target is not None \
                        else Value(names=frozenset([f"{library}.{name}"]))
                    state.variables[_text(alias or specifier.child_by_field_name("name"))] = value

    def export_statement(self, node: Any, state: State, module: Module) -> State | None:
        declaration = node.child_by_field_name("declaration")
        if declaration is not None:
            state = self.statement(declaration, state, module)
            for name in _declared(declaration):
                if state is not None and name in state.variables:
                    module.exports[name] = state.variables[name]
            return state
        value = node.child_by_field_name("value")
        if value is not None:  # export default ...
            module.exports["default"] = self.expr(value, state, module)
            return state
        assigned = next((c for c in _named(node) if c.type not in ("export_clause", "string", "comment")), None)
        if assigned is not None:  # TypeScript's `export = { handler }`: module.exports
            module.replaced = self.expr(assigned, state, module)
            return state
        source = node.child_by_field_name("source")
        origin = None
        if source is not None:
            found = self.resolve(_string(source) or "", module)
            origin = self.load(found) if found is not None else None
        clause = next((c for c in _named(node) if c.type == "export_clause"), None)
        for specifier in _named(clause) if clause is not None else []:
            name = _text(specifier.child_by_field_name("name"))
            alias = specifier.child_by_field_name("alias")
            if source is not None:
                held = self.exported(origin, name) if origin is not None else OPAQUE
            else:
                held = self.name(name, state, module)
            module.exports[_text(alias) if alias is not None else name] = held
        return state

    # -- expressions --------------------------------------------------------------------------------------------

    def where(self, module: Module, node: Any) -> Location:
        return Location(module.file.shown, module.file.line - 1 + _line(node), "code")

    def expr(self, node: Any, state: State, module: Module) -> Value:
        if node is None:
            return const(None)
        self.tick()
        kind = node.type
        if kind in WRAPPERS or kind in ("await_expression", "spread_element"):
            children = _named(node)
            return self.expr(children[0], state, module) if children else OPAQUE
        if kind == "identifier":
            return self.name(_text(node), state, module)
        if kind in ("string", "template_string"):
            return self.string(node, state, module)
        if kind == "number":
            return const(_number(_text(node)))
        if kind == "true":
            return const(True)
        if kind == "false":
            return const(False)
        if kind in ("null", "undefined"):
            return const(None)
        if kind == "object":
            return self.object(node, state, module)
        if kind == "array":
            items = tuple(self.expr(e, state, module) for e in _named(node))
            if any(e.type == "spread_element" for e in _named(node)):
                return keeping(*items)
            return Value(items=items)
        if kind in FUNCTIONS:
            return self.function_value(node, state, module)
        if kind == "class":
            return self.class_value(node, module)
        if kind == "this":
            return state.variables.get("this", OPAQUE)
        if kind == "member_expression":
            holder = self.expr(node.child_by_field_name("object"), state, module)
            return self.member(holder, _text(node.child_by_field_name("property")), self.where(module, node), module)
        if kind == "subscript_expression":
            return self.subscript(node, state, module)
        if kind == "call_expression":
            return self.call_expression(node, state, module)
        if kind == "new_expression":
            return self.new_expression(node, state, module)
        if kind == "binary_expression":
            return self.binary(node, state, module)
        if kind == "unary_expression":
            operator = _text(node.child_by_field_name("operator"))
            operand = self.expr(node.child_by_field_name("argument"), state, module)
            if operator == "!":
                truth = operand.truth()
                return const(not truth) if truth is not None else tagged(what="a test")
            if operator in ("typeof", "void", "delete"):
                return tagged(what=f"{operator} a value")
            return keeping(operand)
        if kind == "ternary_expression":
            truth = self.expr(node.child_by_field_name("condition"), state, module).truth()
            consequence, alternative = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
            if truth is True:
                return self.expr(consequence, state, module)
            if truth is False:
                return self.expr(alternative, state, module)
            return join(self.expr(consequence, state, module), self.expr(alternative, state, module))
        if kind == "assignment_expression":
            value = self.expr(node.child_by_field_name("right"), state, module)
            self.assign(node.child_by_field_name("left"), value, state, module)
            return value
        if kind == "augmented_assignment_expression":
            left = node.child_by_field_name("left")
            right = self.expr(node.child_by_field_name("right"), state, module)
            operator = _text(node.child_by_field_name("operator"))
            current = self.expr(left, state, module)
            value = join(current, right) if operator in ("??=", "||=", "&&=") else keeping(current, right)
            self.assign(left, value, state, module)
            return value
        if kind == "sequence_expression":
            values = [self.expr(child, state, module) for child in _named(node)]
            return values[-1] if values else OPAQUE
        if kind in ("super", "regex", "meta_property"):
            return OPAQUE
        values = [self.expr(child, state, module) for child in _named(node)]
        return keeping(*values) if values else OPAQUE

    def name(self, name: str, state: State, module: Module) -> Value:
        if name in state.variables:
            return state.variables[name]
        for scope in self.scopes():
            if name in scope:
                return scope[name]
        members = self.globals_of(module)
        if name in members:
            return members[name]
        if name == "undefined":
            return const(None)
        if name == "exports":
            return self.module_value(module)
        if name == "module":
            return Value(names=frozenset([f"module-object:{module.name}"]))
        return Value(names=frozenset([name]))

    def string(self, node: Any, state: State, module: Module) -> Value:
        parts: list[Value] = []
        for child in _named(node):
            if child.type == "string_fragment":
                parts.append(const(_text(child)))
            elif child.type == "escape_sequence":
                parts.append(const(_unescape(_text(child))))
            elif child.type == "template_substitution":
                parts.append(join(*(self.expr(c, state, module) for c in _named(child))))
        if all(len(p.consts) == 1 and not p.opaque and isinstance(next(iter(p.consts)), str) for p in parts):
            return const("".join(next(iter(p.consts)) for p in parts))
        return keeping(*parts, what="a template literal")

    def object(self, node: Any, state: State, module: Module) -> Value:
        entries: list[tuple[str, Value]] = []
        extra: list[Value] = []
        for part in _named(node):
            if part.type == "pair":
                key = self.property_name(part.child_by_field_name("key"), state, module)
                held = self.expr(part.child_by_field_name("value"), state, module)
                if key is None:
                    extra.append(held)
                else:
                    entries.append((key, held))
            elif part.type == "shorthand_property_identifier":
                entries.append((_text(part), self.name(_text(part), state, module)))
            elif part.type == "spread_element":
                held = self.expr(part, state, module)
                entries += [entry for found in held.dicts for entry in found.entries]
                extra.append(held)
            elif part.type == "method_definition":
                entries.append((_text(part.child_by_field_name("name")), self.function_value(part, state, module)))
        # A later key replaces an earlier one, as in JavaScript.
        latest = dict(entries)
        literal = Dict(self.where(module, node), tuple(latest.items()))
        return Value(dicts=(literal,), tags=frozenset().union(*(e.carried() for e in extra)))

    def property_name(self, key: Any, state: State, module: Module) -> str | None:
        if key is None:
            return None
        if key.type in ("property_identifier", "shorthand_property_identifier_pattern", "identifier",
                        "private_property_identifier"):
            return _text(key)
        if key.type == "string":
            return _string(key)
        if key.type == "number":
            return _text(key)
        named = self.expr(_named(key)[0], state, module) if _named(key) else OPAQUE  # [computed]
        found = next(iter(named.consts)) if len(named.consts) == 1 and not named.opaque else None
        return found if isinstance(found, str) else None

    def member(self, value: Value, name: str, where: Location | None, module: Module) -> Value:
        """`value.name`: a module's export, an environment variable, a part of the event, an object's entry."""
        if name in ("length", "byteLength") and not value.dicts and not value.names:
            return tagged(what="a length")  # a key's length tells nothing of the key (as len() in Python)
        found: list[Value] = []
        for held in sorted(value.names):
            if held.startswith("module:"):
                target = self.load(held[7:])
                found.append(self.exported(target, name) if target is not None else OPAQUE)
            elif held.startswith("module-object:"):
                target = self.load(held[14:])
                found.append(self.default_export(target) if name == "exports" and target is not None else OPAQUE)
            elif held == "process.env":
                found.append(self.environment_read(name))
            elif held.startswith(("class:", "obj:")):
                method = self.class_member(held.removeprefix("obj:"), name)
                if method is not None:
                    function = Function(method, self.classes[held.removeprefix("obj:")][1])
                    bound = (("this", value),) if held.startswith("obj:") else ()
                    return Value(names=frozenset([self.register(function.module, function)]), fields=bound)
                if not value.dicts:
                    found.append(OPAQUE)
            elif held.startswith("instance:"):  # its own properties are its dict's; its methods, its prototype's
                own = any(literal.get(name) is not None for literal in value.dicts)
                if not own and held[9:] in self.prototypes:
                    method = self.member(self.prototypes[held[9:]], name, where, module)
                    return replace(method, fields=(("this", value),)) if method.names else method
            elif held.startswith("fn:") and (name in MIDDLEWARE or name in ("bind", "call", "apply")):
                found.append(Value(names=frozenset([f"method.{name}"]), fields=(("self", value),)))
            elif held.startswith("method."):  # a property read of a value: data, whose own methods are called
                found.append(Value(names=frozenset([f"method.{name}"]), fields=(("self", value),), tags=value.tags,
                                   what=value.what))
            elif held.startswith(("fn:", "exception")):
                found.append(keeping(value, what=f"{name} of {value.what or 'a value'}"))
            else:
                found.append(Value(names=frozenset([f"{held}.{name}"]), tags=value.tags))
        if EVENT in value.tags:
            found.append(self.event_part(name))
        elif HEADERS in value.tags and where is not None:
            found.append(self.header(value, name, where, None))
        if value.dicts:
            for literal in value.dicts:
                held = literal.get(name)
                if held is not None or name not in OBJECT_METHODS:
                    found.append(held if held is not None else OPAQUE if value.tags else const(None))
        if value.opaque or value.consts or value.items is not None or value.element is not None \
                or (value.dicts and name in OBJECT_METHODS):
            if name in SECRET_READERS:
                found.append(Value(names=frozenset([f"secret-reader.{name}"])))
            elif not value.names and not ({EVENT, HEADERS} & value.tags):
                found.append(Value(names=frozenset([f"method.{name}"]), fields=(("self", value),), tags=value.tags,
                                   what=value.what))
        return join(*found) if found else OPAQUE

    def environment_read(self, name: str) -> Value:
        # An unset variable reads undefined: a missing header and a missing key then compare equal.
        return join(tagged(f"{ENV}{name}", what=f"process.env.{name}"), const(None))

    def event_part(self, name: str) -> Value:
        if name in EVENT_HEADERS:
            return tagged(HEADERS, *([LOWERED] if self.headers_lowered else []), what=f"event.{name}")
        if name in EVENT_QUERY:
            return tagged(HEADERS, "query", what=f"event.{name}")
        if name in EVENT_KEYS:
            self.facts.reads_token = self.facts.reads_token or name == "authorizationToken"
            return tagged(KEY, what=f"event.{name}")
        if name == "requestContext":
            return tagged("context", what="the request context")
        if name in ALWAYS_SET:
            return Value(consts=frozenset([f"<event.{name}>"]), what=f"event.{name}")
        return tagged(what=f"event.{name}")

    def header(self, headers: Value, name: str, where: Location, default: Value | None) -> Value:
        lowered = LOWERED in headers.tags
        query = "query" in headers.tags
        if not query and name.lower() == self.key_header:
            how = f"headers[{json.dumps(name)}]" + (" on a copy of the headers with lowered names" if lowered else "")
            self.facts.header_reads.setdefault((where, name), HeaderRead(where, name, lowered, how))
        secret = name.lower() in (self.key_header, "authorization") or (query and ("key" in name.lower()
                                                                                   or "token" in name.lower()))
        read = tagged(KEY, what=f"the {name} header") if secret else tagged(what=f"the {name} header")
        return join(read, const(None))  # a header that is not sent is undefined

    def subscript(self, node: Any, state: State, module: Module) -> Value:
        holder = self.expr(node.child_by_field_name("object"), state, module)
        index = self.expr(node.child_by_field_name("index"), state, module)
        where = self.where(module, node)
        key = next(iter(index.consts)) if len(index.consts) == 1 and not index.opaque else None
        if KEY in index.carried():
            self.compared(where, "a dict lookup", holder, index, literal_from=holder)
        if isinstance(key, str):
            return self.member(holder, key, where, module)
        found = []
        if HEADERS in holder.tags:
            # a header whose name is not a constant (found by a loop, or read from process.env): as python_code,
            # taken for the key, which is what an authorizer reads
            found.append(join(tagged(KEY, what="a header value"), const(None)))
        if holder.items is not None and isinstance(key, int) and not isinstance(key, bool) \
                and 0 <= key < len(holder.items):
            found.append(holder.items[key])
        elif holder.items is not None or holder.element is not None:
            found.append(self.element(holder))
        if "process.env" in holder.names:
            found.append(tagged(what="an environment variable"))
        if not found:
            found.append(keeping(holder, what=f"an item of {holder.what or 'a value'}"))
        return join(*found)

    def keys_of(self, value: Value) -> Value:
        if HEADERS in value.tags:
            return tagged(HEADER_NAME, what="a header name")
        if value.dicts:
            return Value(consts=frozenset(k for d in value.dicts for k, _ in d.entries), opaque=value.opaque)
        return keeping(value)

    def binary(self, node: Any, state: State, module: Module) -> Value:
        operator = _text(node.child_by_field_name("operator"))
        left = self.expr(node.child_by_field_name("left"), state, module)
        if operator in ("&&", "||", "??"):
            truth = left.truth() if operator != "??" else (
                False if left.consts == frozenset([None]) and not left.opaque else
                True if None not in left.consts and not left.opaque else None)
            if operator == "??":
                if truth is True:
                    return left
                right = self.expr(node.child_by_field_name("right"), state, module)
                return right if truth is False else join(replace(left, consts=left.consts - {None}), right)
            stops = truth is True if operator == "||" else truth is False
            if stops:
                return left
            right = self.expr(node.child_by_field_name("right"), state, module)
            if truth is not None:
                return right
            if operator == "||":  # `a || b` is `a` where `a` is truthy, else `b`
                return join(replace(left, consts=frozenset(c for c in left.consts if c)), right)
            return join(left, right)
        right = self.expr(node.child_by_field_name("right"), state, module)
        where = self.where(module, node)
        if operator in EQUALITY:
            return self.equality(operator, left, right, where)
        if operator == "in" and KEY in left.carried():
            self.compared(where, "a dict lookup", right, left, literal_from=right)
            return tagged(what="a test")
        if operator == "+" and len(left.consts) == 1 == len(right.consts) and not left.opaque and not right.opaque:
            a, b = next(iter(left.consts)), next(iter(right.consts))
            if isinstance(a, str) and isinstance(b, str) and len(a) + len(b) < 10_000:
                return const(a + b)
        if operator in ("+", "-", "*", "/", "%", "**", "|", "&", "^", "<<", ">>", ">>>"):
            return keeping(left, right, what="a computed value")
        return tagged(what="a test")

    def equality(self, operator: str, left: Value, right: Value, where: Location) -> Value:
        for side, other in ((left, right), (right, left)):
            if FOLDED_NAME in side.tags or HEADER_NAME in side.tags:
                spelled = next((c for c in _strings(other) if c.lower() == self.key_header), None)
                if spelled is not None:
                    folded = FOLDED_NAME in side.tags
                    how = "a header name compared whatever its case" if folded else "a header name compared as sent"
                    self.facts.header_reads.setdefault((where, spelled), HeaderRead(where, spelled, folded, how))
        presented = left if KEY in left.carried() else right if KEY in right.carried() else None
        if presented is not None:
            other = right if presented is left else left
            # A test for a missing key (`key === undefined`, `!== ''`) compares nothing with it.
            only_constants = not (other.opaque or other.names or other.tags or other.items or other.dicts)
            if not (other.consts and only_constants and all(c in (None, "") or not isinstance(c, str)
                                                             for c in other.consts)):
                self.compared(where, operator, other, presented, literal_from=other)
        if left.opaque or right.opaque or left.names or right.names or left.dicts or right.dicts \
                or left.items is not None or right.items is not None:
            return tagged(what="a comparison")
        negated = operator.startswith("!")
        if len(left.consts) == 1 == len(right.consts):
            same = next(iter(left.consts)) == next(iter(right.consts))
            return const(same != negated)
        if left.consts and right.consts and not left.consts & right.consts:
            return const(negated)
        return tagged(what="a comparison")

    # -- calls --------------------------------------------------------------------------------------------------

    def call_expression(self, node: Any, state: State, module: Module) -> Value:
        function = node.child_by_field_name("function")
        arguments_node = node.child_by_field_name("arguments")
        arguments = [self.expr(a, state, module) for a in _named(arguments_node)] \
            if arguments_node is not None and arguments_node.type == "arguments" else []
        where = self.where(module, node)
        if function.type == "import":  # import('./x'): a module's namespace
            return OPAQUE
        text = _callee_text(function)
        unwrapped = _unwrap(function)
        if unwrapped.type == "member_expression":
            receiver = self.expr(unwrapped.child_by_field_name("object"), state, module)
            method = _text(unwrapped.child_by_field_name("property"))
            # in a chain written over lines (`promise\n  .then(...)\n  .catch(...)`), the method's own line
            where = self.where(module, unwrapped.child_by_field_name("property"))
            callee = self.member(receiver, method, where, module)
            if method in ("push", "unshift") and arguments and (receiver.items is not None or receiver.element
                                                                 is not None):
                # policy.Statement.push(statement): the list holds it now (at its end, as far as an answer cares)
                grown = Value(items=(*receiver.items, *arguments)) if receiver.items is not None \
                    and not receiver.opaque else replace(receiver, element=join(self.element(receiver), *arguments))
                self.assign(unwrapped.child_by_field_name("object"), grown, state, module)
        else:
            callee = self.expr(function, state, module)
            return self.apply(callee, arguments, where, text, state, module)
        before = self.this_written
        result = self.apply(callee, arguments, where, text, state, module)
        written = self.this_written if self.this_written is not before else None
        if written is not None and written.names & receiver.names and any(
                n.startswith(("instance:", "obj:")) for n in receiver.names):
            # policy.allowMethod(...) wrote on `this`: the object the caller holds is that one now
            self.assign(unwrapped.child_by_field_name("object"), written, state, module)
        return result

    def new_expression(self, node: Any, state: State, module: Module) -> Value:
        constructor = node.child_by_field_name("constructor")
        arguments_node = node.child_by_field_name("arguments")
        arguments = [self.expr(a, state, module) for a in _named(arguments_node)] if arguments_node else []
        callee = self.expr(constructor, state, module)
        if any(n.endswith(SECRET_COMMANDS) for n in callee.names) or _text(constructor).endswith(SECRET_COMMANDS):
            return tagged(SECRET_REQUEST, what=f"a {_text(constructor)}")
        if callee.names & {"Error", "TypeError", "RangeError"}:
            return keeping(*arguments, what="an error")
        constructors = sorted(n for n in callee.names if n.startswith("fn:"))
        if constructors:  # new AuthPolicy(...): a function of the package that writes the object on `this`
            where = self.where(module, node)
            return join(*(self.construct_function(n, arguments, where) for n in constructors))
        return self.apply(callee, arguments, self.where(module, node), f"new {_callee_text(constructor)}",
                          state, module)

    def apply(self, callee: Value, arguments: list[Value], where: Location, text: str, state: State,
              module: Module) -> Value:
        self.errors_now = state.errors
        results = [self.call_named(name, callee, arguments, where, text, module) for name in sorted(callee.names)]
        if callee.opaque or callee.consts or callee.dicts or not callee.names:
            results.append(self.outside(callee, arguments, where, text))
        return join(*results)

    def call_named(self, name: str, callee: Value, arguments: list[Value], where: Location, text: str,
                   module: Module) -> Value:
        everything = list(arguments)
        if name.startswith("fn:"):
            return self.call(self.functions[name], arguments, {}, callee.field("this"))
        if name.startswith("class:"):
            return self.construct(name, arguments, where)
        if name == "require" and arguments and len(arguments[0].consts) == 1:
            spec = next(iter(arguments[0].consts))
            return self.imported(spec, module) if isinstance(spec, str) else OPAQUE
        if name == "callback" or name in ("context.succeed", "context.fail", "context.done"):
            return self.answered(name, arguments)
        if name in CONSTANT_TIME:
            return self.compared_by(name, everything, where)
        if (name.startswith("console.") and name[8:] in CONSOLE) or name in STREAMS:
            self.logs(name, everything, where)
            return OPAQUE
        if name in LOGGER_MAKERS or name.endswith((".createLogger", ".getLogger")):
            return Value(names=frozenset(["logger"]))
        if name.startswith("logger."):
            level = name.split(".", 1)[1]
            if level in LOG_LEVELS:
                self.logs(f"logger.{level}", everything, where)
            return OPAQUE
        if name.startswith("secret-reader.") or name.rpartition(".")[2] in SECRET_READERS:
            secret = tagged(SECRET, what="the secret's value")
            self.call_back(arguments, [tagged(what="an error"), secret])
            return secret
        if name == "method.send" and any(SECRET_REQUEST in a.carried() for a in arguments):
            return tagged(SECRET, what="the secret's value")
        if name.startswith("method."):
            return self.method(name[7:], callee.field("self") or OPAQUE, arguments, {}, where, text)
        if name.endswith("injectLambdaContext") and any(
                True in (literal.get("logEvent") or NOTHING).consts for a in arguments for literal in a.dicts):
            # Powertools' middleware with logEvent: true writes every event, its key included, to the log
            sink = "injectLambdaContext({ logEvent: true })"
            self.facts.logged.setdefault((where, sink), LoggedSecret(where, "the event", sink))
            return OPAQUE
        if name == "@middy/http-header-normalizer":
            return Value(names=frozenset([NORMALIZER]))
        if name == "Promise.reject":
            self.ended = True  # `return Promise.reject(error)`: an error, as `throw` is
            return OPAQUE
        if name == "Buffer.from" and arguments:  # Buffer.from(undefined) throws: a buffer is never undefined
            return replace(arguments[0], consts=arguments[0].consts - {None})
        if name in ("String", "Promise.resolve", "middy", "@middy/core") and arguments:
            return arguments[0]  # the same content, as bytes or a string; the same answer, resolved; the handler
        if name in ("JSON.stringify", "JSON.parse", "Object.assign", "structuredClone", "encodeURIComponent",
                    "decodeURIComponent", "atob", "btoa"):
            return keeping(*everything, what=f"{name}()")
        if name in CLEAN:
            return tagged(what=f"{name}()")
        if name in ("Object.entries", "Object.keys", "Object.values") and arguments:
            return self.entries(name[7:], arguments[0])
        if name == "Object.fromEntries" and arguments:
            return self.from_entries(arguments[0])
        return self.outside(callee, arguments, where, text)

    def outside(self, callee: Value, arguments: list[Value], where: Location, text: str) -> Value:
        """A call into code the analysis does not read: what is passed keeps its tags; callbacks still run."""
        if any(KEY in v.carried() for v in arguments):
            self.facts.escapes.setdefault((where, "key"), CodeEscape(where, "the presented key", f"{text}()"))
        self.call_back(arguments, [])
        return replace(keeping(callee, *arguments, what=f"the value returned by {text}()"), at=where)

    def call_back(self, arguments: list[Value], given: list[Value]) -> None:
        """Functions passed to code not read (`jwt.verify(token, key, (err, decoded) => ...)`) run too."""
        for argument in arguments:
            for name in sorted(argument.names):
                if name.startswith("fn:"):
                    self.call(self.functions[name], given, {}, None)
                    self.ended = False

    def answered(self, name: str, arguments: list[Value]) -> Value:
        """`callback(null, answer)`, `context.succeed(answer)`: an answer; `callback(error)`, `context.fail`: an
        error, which API Gateway answers with 401 (`"Unauthorized"`) or 500."""
        self.ended = True
        if name == "context.succeed" and arguments:
            answer = arguments[0]
        elif name in ("callback", "context.done") and len(arguments) >= 2 and arguments[0].consts == {None} \
                and not arguments[0].opaque:
            answer = arguments[1]
        else:
            answer = None
        if answer is not None:
            self.callback_answers.append(_with_errors(answer, self.errors_now))
        return const(None)

    def method(self, method: str, receiver: Value, arguments: list[Value], keywords: dict[str, Value],
               where: Location, text: str) -> Value:
        presented = next((a for a in arguments if KEY in a.carried()), None)
        if method in ("includes", "startsWith", "endsWith", "indexOf", "localeCompare"):
            if KEY in receiver.carried() and arguments:
                self.compared(where, method, arguments[0], receiver, literal_from=arguments[0])
            elif presented is not None:
                self.compared(where, method, receiver, presented, literal_from=receiver)
            return tagged(what="a test")
        if method in ("get", "has", "hasOwnProperty") and presented is not None:
            self.compared(where, "a dict lookup", receiver, presented, literal_from=receiver)
            return keeping(receiver, what="a value looked up by the presented key")
        if method in FOLDING and HEADER_NAME in receiver.tags:
            return tagged(FOLDED_NAME, what="a header name")
        if method in STRING_METHODS and receiver.consts and not receiver.opaque and not arguments:
            strings = [c for c in receiver.consts if isinstance(c, str)]
            if len(strings) == len(receiver.consts):
                return Value(consts=frozenset(STRING_METHODS[method](s) for s in strings))
        if method in ("call", "apply") and receiver.names and arguments:  # f.call(this, ...), f.apply(this, [...])
            given = arguments[1:] if method == "call" else list(arguments[1].items or ()) if len(arguments) > 1 else []
            functions = [self.functions[n] for n in sorted(receiver.names) if n.startswith("fn:")]
            return join(*(self.call(f, given, {}, arguments[0]) for f in functions)) if functions else OPAQUE
        if method == "bind" and receiver.names:  # handler.bind(instance): the method, with `this` bound
            return replace(receiver, fields=(("this", arguments[0]),)) if arguments else receiver
        if method in MIDDLEWARE and receiver.names:
            # middy(handler).use(...): the handler; httpHeaderNormalizer() lowers the names of the event's headers
            self.headers_lowered |= any(NORMALIZER in a.names for a in arguments)
            return receiver
        if method in ITERATING:
            return self.iterate(method, receiver, arguments)
        functions = [self.functions[n] for n in sorted(arguments[0].names) if n.startswith("fn:")] if arguments else []
        if method == "then" and functions:  # promise.then(value => answer): what the function returns
            return join(*(self.call(f, [receiver], {}, None) for f in functions))
        if method == "catch" and functions:  # promise.catch(error => answer): an error path, as a catch clause is
            error = tagged(what="an error")
            results = [_with_errors(self.call(f, [error], {}, None), frozenset([where])) for f in functions]
            self.facts.handlers.setdefault(where, ("every error (.catch)", all(r == NOTHING for r in results)))
            return join(receiver, *results)
        if method == "promise":
            return receiver
        if method == "toString" and not arguments:
            return keeping(receiver, what=receiver.what)
        if presented is not None and method not in ("concat", "split", "replace", "slice", "padStart", "join", "test",
                                                    "match", "exec", "search"):
            self.facts.escapes.setdefault((where, "key"), CodeEscape(where, "the presented key", f"{text}()"))
        return replace(keeping(receiver, *arguments, what=f"the value returned by {text}()"), at=where)

    def iterate(self, method: str, receiver: Value, arguments: list[Value]) -> Value:
        """`.map(fn)`, `.find(fn)`, `.reduce(fn, start)`...: the function runs on what the receiver holds."""
        element = self.element(receiver)
        if not arguments:
            return keeping(receiver)
        function = arguments[0]
        if method == "reduce":
            start = arguments[1] if len(arguments) > 1 else element
            results = [self.call(self.functions[n], [start, element], {}, None)
                       for n in sorted(function.names) if n.startswith("fn:")]
            return join(start, *results)
        results = [self.call(self.functions[n], [element, tagged(what="an index")], {}, None)
                   for n in sorted(function.names) if n.startswith("fn:")]
        if method in ("find", "findLast"):
            return join(element, const(None))
        if method == "filter":
            return Value(opaque=True, element=element, tags=receiver.tags, what=receiver.what)
        if method in ("map", "flatMap"):
            return Value(opaque=True, element=join(*results) if results else OPAQUE, what="a mapped list")
        return tagged(what=f"{method}()")

    def entries(self, which: str, value: Value) -> Value:
        if HEADERS in value.tags:
            if which == "entries":
                return tagged("items-of-headers", what="the headers' entries")
            if which == "keys":
                return Value(opaque=True, element=tagged(HEADER_NAME, what="a header name"), what="the headers' names")
            return tagged(KEY, what="the headers' values")
        if which == "keys" and value.dicts and not value.opaque:
            return Value(items=tuple(const(k) for d in value.dicts for k, _ in d.entries))
        if which == "values" and value.dicts:
            return Value(opaque=True, element=join(*(v for d in value.dicts for _, v in d.entries)),
                         tags=value.tags)
        return keeping(value, what=f"Object.{which}()")

    def from_entries(self, value: Value) -> Value:
        """`Object.fromEntries(...)`: headers again, lowered when the names were folded on the way."""
        element = self.element(value)
        tags = set(element.carried())
        if element.items is not None and len(element.items) == 2:
            name, held = element.items
            if KEY in held.carried():
                tags.add(HEADERS)
                if FOLDED_NAME in name.tags:
                    tags.add(LOWERED)
        return Value(opaque=True, tags=frozenset(tags), what="an object built from entries")


def merged(*states: State | None) -> State | None:
    """python_code's merge, keeping few variants of an object literal: each branch that writes a property
    (`if (x) { this.a = 1 }`) would otherwise double them; past MAX_VARIANTS they become one literal."""
    state = merge(*states)
    if state is not None:
        for name, value in state.variables.items():
            state.variables[name] = _few(value)
    return state


def _few(value: Value) -> Value:
    return replace(value, dicts=_fewer(value.dicts)) if len(value.dicts) > MAX_VARIANTS else value


def _fewer(dicts: tuple[Dict, ...]) -> tuple[Dict, ...]:
    by_place: dict[Location, list[Dict]] = {}
    for literal in dicts:
        by_place.setdefault(literal.location, []).append(literal)
    fewer = []
    for where, variants in by_place.items():
        if len(variants) <= MAX_VARIANTS:
            fewer += variants
            continue
        keys = list(dict.fromkeys(key for literal in variants for key, _ in literal.entries))
        # a key some variants lack may be undefined
        entries = tuple((key, _few(join(*(literal.get(key) or const(None) for literal in variants)))) for key in keys)
        fewer.append(Dict(where, entries, frozenset().union(*(literal.on_error for literal in variants))))
    return tuple(fewer)


def _bounded(value: Value) -> Value:
    """The value, or an opaque one keeping its tags when it holds more than MAX_VALUE_PARTS values: an object
    a parser fills field by field would otherwise grow with every write (an answer is far smaller)."""
    pending, parts = [value], 0
    while pending:
        parts += 1
        if parts > MAX_VALUE_PARTS:
            return keeping(value, what=value.what or "a value too large to follow")
        current = pending.pop()
        pending.extend(held for literal in current.dicts for _, held in literal.entries)
        pending.extend(current.items or ())
        pending.extend(held for _, held in current.fields)
        if current.element is not None:
            pending.append(current.element)
    return value


def _updated(holder: Value, keys: list[str | int | None], value: Value) -> Value:
    """`holder` with `value` written at `keys` (`a.b[0] = v`): object literals get the entry, lists the item."""
    if not keys:
        return value
    key, rest = keys[0], keys[1:]
    if holder.dicts and isinstance(key, str):
        dicts = []
        for literal in holder.dicts:
            entries = dict(literal.entries)
            entries[key] = _updated(entries.get(key, const(None)), rest, value)
            dicts.append(replace(literal, entries=tuple(entries.items())))
        return replace(holder, dicts=tuple(dicts))
    if holder.items is not None and isinstance(key, int) and not holder.opaque:
        items = list(holder.items)
        if 0 <= key < len(items):
            items[key] = _updated(items[key], rest, value)
            return replace(holder, items=tuple(items))
        if key == len(items):
            return replace(holder, items=(*items, _updated(NOTHING, rest, value)))
    # A value the analysis cannot write into: it now carries what was written.
    tags = set(holder.tags) | value.carried()
    return replace(holder, tags=frozenset(tags), opaque=True)


def _named(node: Any) -> list[Any]:
    return [c for c in node.named_children if c.type not in ("comment", "html_comment")] if node is not None else []


def _walk(node: Any) -> Iterator[Any]:
    """The node and what it holds, not looking inside functions written in it."""
    pending = [node]
    while pending:
        current = pending.pop()
        yield current
        pending.extend(c for c in current.named_children if c.type not in FUNCTIONS)


def _text(node: Any) -> str:
    return node.text.decode("utf-8", "surrogatepass") if node is not None else ""


def _line(node: Any) -> int:
    return node.start_point[0] + 1


def _unwrap(node: Any) -> Any:
    while node.type in WRAPPERS and _named(node):
        node = _named(node)[0]
    return node


def _string(node: Any) -> str | None:
    if node.type != "string":
        return None
    return "".join(_text(c) if c.type == "string_fragment" else _unescape(_text(c)) for c in _named(node))


def _unescape(text: str) -> str:
    try:
        return json.loads(f'"{text}"') if not text.startswith("\\'") else "'"
    except ValueError:
        return text[1:]


def _number(text: str) -> object:
    cleaned = text.replace("_", "")
    for parse in (int, float):
        try:
            return parse(cleaned, 0) if parse is int else parse(cleaned)
        except ValueError:
            continue
    return cleaned


def _declared(node: Any) -> list[str]:
    if node.type in ("lexical_declaration", "variable_declaration"):
        return [_text(d.child_by_field_name("name")) for d in _named(node) if d.type == "variable_declarator"
                and d.child_by_field_name("name").type == "identifier"]
    name = node.child_by_field_name("name")
    return [_text(name)] if name is not None else []


def _callee_text(node: Any) -> str:
    """How a call's callee is written, for messages: on one line, short (it is the scanned code's text)."""
    text = " ".join(_text(node).split())
    return text if len(text) <= 60 else text[:57] + "..."


def _function_name(node: Any) -> str:
    name = node.child_by_field_name("name")
    return _text(name) if name is not None else "a function"


def comments_and_statements(file: SourceFile) -> tuple[list[tuple[int, str]], list[tuple[int, int]]]:
    """A JavaScript or TypeScript file's comments (line, text) and the lines of each statement (a compound one's
    header only), for inline suppressions written in the code: `// gateaudit:ignore GA108 reason="..."` above the
    line it accepts (python_code.comments_and_statements, for Node.js)."""
    if tree_sitter is None:
        return [], []
    try:
        root = parse(file)
    except (NotParsed, RecursionError, MemoryError):
        return [], []
    offset = file.line - 1
    comments, statements = [], []
    pending = [root]
    while pending:
        node = pending.pop()
        pending.extend(node.named_children)
        if node.type == "comment":
            comments.append((_line(node) + offset, _text(node)))
        elif node.type.endswith(("_statement", "_declaration")):
            body = node.child_by_field_name("body") or node.child_by_field_name("consequence")
            end = body.start_point[0] + 1 if body is not None and body.type in ("statement_block", "class_body") \
                else node.end_point[0] + 1
            statements.append((_line(node) + offset, max(_line(node), end) + offset))
    return sorted(comments), sorted(statements, key=lambda span: (span[1] - span[0], span[0]))
