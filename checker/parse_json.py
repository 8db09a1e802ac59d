"""Terraform's JSON configuration syntax (`.tf.json`) in, syntax blocks with lines out: the same
`gateaudit.parse` blocks an HCL file gives, read through gateaudit.jsonpos, which keeps the line of every key."""

from __future__ import annotations

from . import jsonpos
from .expr import Expr, Literal, ObjectExpr, TupleExpr, Unsupported
from .parse import ParseError, SyntaxAttribute, SyntaxBlock, SyntaxFile, parse_template

# Terraform's JSON syntax: https://developer.hashicorp.com/terraform/language/syntax/json
_LABEL_DEPTH = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1,
                "locals": 0, "terraform": 0, "ephemeral": 2, "check": 1, "moved": 0, "import": 0,
                "removed": 0}


def parse_json(text: str) -> SyntaxFile:
    """Parse Terraform JSON syntax (`.tf.json`)."""
    try:
        document = jsonpos.loads(text)
    except jsonpos.JSONError as error:
        raise ParseError(f"not valid JSON: {error.message}", error.line) from None
    if not isinstance(document.value, dict):
        raise ParseError("a .tf.json file must hold a JSON object", document.line)
    blocks: list[SyntaxBlock] = []
    for key, (key_line, node) in document.value.items():
        if key == "//":
            continue
        if key not in _LABEL_DEPTH:
            raise ParseError(f'"{key}" is not a Terraform top-level block type', key_line)
        depth = _LABEL_DEPTH[key]
        for labels, body, line in _json_labelled(node, depth, key_line, key):
            blocks.append(_json_block(key, tuple(labels), body, line))
    return SyntaxFile(blocks=blocks, attributes={}, comments=[])


def _json_labelled(node: jsonpos.Node, depth: int, line: int, where: str):
    if depth == 0:
        items = node.value if isinstance(node.value, list) else [node]
        for item in items:
            yield [], item, item.line
        return
    if not isinstance(node.value, dict):
        raise ParseError(f'"{where}" must be a JSON object keyed by name', node.line)
    for label, (label_line, child) in node.value.items():
        for rest, body, body_line in _json_labelled(child, depth - 1, label_line, label):
            yield [label, *rest], body, label_line if depth == 1 else body_line


def _json_block(block_type: str, labels: tuple[str, ...], body: jsonpos.Node, line: int,
                nested: dict | None = None) -> SyntaxBlock:
    """`nested` is the provider schema's tree of nested block names below this block, when known."""
    if not isinstance(body.value, dict):
        raise ParseError(f'the body of {block_type} "{".".join(labels)}" must be a JSON object', body.line)
    if nested is None and block_type in ("resource", "data", "ephemeral") and labels:
        from .schema import nested_blocks

        nested = nested_blocks(block_type, labels[0])
    block = SyntaxBlock(block_type, labels, line)
    for name, (name_line, value) in body.value.items():
        if name == "//":
            continue
        if not _is_nested_block_json(block_type, name, value, nested):
            block.attributes[name] = SyntaxAttribute(name, _json_expr(value, name_line), name_line)
            continue
        items = value.value if isinstance(value.value, list) else [value]
        for item in items:
            if not isinstance(item.value, dict):
                raise ParseError(f'"{name}" must be a JSON object (a block) here', item.line)
            if name == "dynamic":  # "dynamic": {"setting": {"for_each": ..., "content": {...}}}
                for label, (label_line, inner) in item.value.items():
                    inner_schema = _child_schema(nested, label)
                    dynamic = _json_block("dynamic", (label,), inner, label_line, {"content": inner_schema or 0})
                    block.blocks.append(dynamic)
                continue
            block.blocks.append(_json_block(name, (), item, name_line, _child_schema(nested, name)))
    return block


def _child_schema(nested: dict | None, name: str) -> dict | None:
    if nested is None:
        return None
    child = nested.get(name)
    return child if isinstance(child, dict) else {}


# Blocks Terraform itself defines inside resources, whatever the provider's schema says.
_META_BLOCKS = {"lifecycle", "provisioner", "connection", "dynamic", "precondition", "postcondition"}


def _is_nested_block_json(block_type: str, name: str, value: jsonpos.Node, nested: dict | None) -> bool:
    # JSON cannot tell a block from an object-valued argument; Terraform decides by the provider schema,
    # which gateaudit carries for hashicorp/aws (checker/data/aws_schema.json). For other providers,
    # objects (and lists of objects) are nested blocks unless the name is a known map argument.
    if block_type in _JSON_NESTED_ONLY:
        return name in _JSON_NESTED_ONLY[block_type]
    if nested is not None:
        return name in nested or name in _META_BLOCKS
    if name in _MAP_ARGUMENTS:
        return False
    if isinstance(value.value, dict):
        return True
    items = value.value
    return isinstance(items, list) and bool(items) and all(isinstance(i.value, dict) for i in items)


_JSON_NESTED_ONLY = {"variable": {"validation"}, "output": {"precondition"}, "locals": set(),
                     "module": set(), "terraform": {"required_providers", "backend", "cloud"}}
_MAP_ARGUMENTS = {"tags", "tags_all", "variables", "triggers", "request_parameters", "response_parameters",
                  "request_templates", "response_templates", "response_models", "request_models",
                  "stage_variables", "labels", "for_each", "default_tags", "environment_variables",
                  "policy", "assume_role_policy"}


def _json_expr(node: jsonpos.Node, line: int) -> Expr:
    value = node.value
    if isinstance(value, str):
        return parse_template(value, node.line) if ("${" in value or "%{" in value) else Literal(node.line, value)
    if isinstance(value, list):
        return TupleExpr(node.line, tuple(_json_expr(item, item.line) for item in value))
    if isinstance(value, dict):
        items = tuple((Literal(key_line, key), _json_expr(child, child.line))
                      for key, (key_line, child) in value.items())
        return ObjectExpr(node.line, items)
    if isinstance(value, jsonpos.LongNumber):
        return Unsupported(node.line, f"a number of {value.digits} digits")
    return Literal(node.line, value)
