"""The code rules' one question of the model: what does a Lambda function's handler do? (issue 17)

`behaviour(function, key_header)` finds the function's code (`gateaudit.function_code`) and reads it with the
analysis of its language; rules get `gateaudit.model.CodeBehaviour` facts, or an Unknown saying why the code
could not be read, never a syntax tree. Each function is analysed once per scan and key header.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from . import node_code, python_code
from .function_code import locate
from .model import Block, CodeBehaviour, Unknown

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
    return _ANALYSES[code.language](code, key_header)


_ANALYSES = {"python": python_code.analyse, "node": node_code.analyse}
