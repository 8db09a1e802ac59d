"""The code rules' one question of the model: what does a Lambda function's handler do? (issue 17)

`behaviour(function, key_header)` finds the function's code (`gateaudit.function_code`) and reads it with the
analysis of its language; rules get `gateaudit.model.CodeBehaviour` facts, or an Unknown saying why the code
could not be read, never a syntax tree. Each function is analysed once per scan and key header.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from weakref import WeakKeyDictionary

from .function_code import LANGUAGES, locate
from .model import Block, CodeBehaviour, FunctionCode, Unknown

_ANALYSED: WeakKeyDictionary[Block, dict[str, CodeBehaviour | Unknown]] = WeakKeyDictionary()


def behaviour(function: Block, key_header: str) -> CodeBehaviour | Unknown:
    """What the handler of an `aws_lambda_function` does, judged for the key in `key_header`; else why not."""
    known = _ANALYSED.setdefault(function, {})
    if key_header not in known:
        known[key_header] = _analyse(function, key_header)
    return known[key_header]


def _analyse(function: Block, key_header: str) -> CodeBehaviour | Unknown:
    code = locate(function)
    if isinstance(code, Unknown):
        return Unknown(f"the code of {function.address} cannot be read: {code.reason}", code.refs)
    found = _analysis(code.language).analyse(code, key_header)
    if isinstance(found, CodeBehaviour):
        _mark_keys(function, found)
        _read_comments(function, code)
    return found


def _read_comments(function: Block, code: FunctionCode) -> None:
    """The code's comments and statements, where inline suppressions are looked for, as a .tf file's are."""
    files = function.module.budget.files
    stack = files.loader.stack if files is not None else None
    if stack is None:
        return
    read = _analysis(code.language).comments_and_statements
    for file in code.files:
        if file.name.endswith(LANGUAGES[code.language][1]) and file.shown not in stack.comments:  # not a .tf file's
            stack.comments[file.shown], stack.spans[file.shown] = read(file)


def _mark_keys(function: Block, found: CodeBehaviour) -> None:
    """Every key the code compares the presented key with, as a literal in the code or in the environment
    Terraform gives the function, is masked in every report, as a plan's sensitive values are."""
    files = function.module.budget.files
    if files is None:
        return
    keys = {c.literal for c in found.comparisons if c.literal}
    environments = function.blocks("environment")
    variables = environments[0].value("variables") if environments else None
    if isinstance(variables, dict):
        keys |= {variables[c.env] for c in found.comparisons
                 if c.env is not None and isinstance(variables.get(c.env), str) and variables[c.env]}
    files.loader.stack.sensitive_values.update(keys)


def _analysis(language: str) -> ModuleType:
    """The module that reads a language's code, imported when a function of that language is met: a scan of a
    stack with no authorizer code, or a warm scan, never loads the interpreters or the Node.js parser."""
    return importlib.import_module(f"gateaudit.{_ANALYSES[language]}")


_ANALYSES = {"python": "python_code", "node": "node_code"}
