"""`data "aws_iam_policy_document"` rendered as the provider does at plan time.

The provider builds the JSON from the block's arguments alone, so the document is as knowable as its
arguments: rules read the same JSON whether a policy is written inline or through this data source.
"""

from __future__ import annotations

import json
from typing import Any

from .model import Block, Unknown, contains_unknown

_LISTS = (("actions", "Action"), ("not_actions", "NotAction"),
          ("resources", "Resource"), ("not_resources", "NotResource"))


def render(block: Block) -> Any:
    statements: list[Any] = []
    for source in ("source_policy_documents", "source_json"):
        statements.extend(_statements_of(block.value(source)))
    for statement in block.blocks("statement"):
        statements.append(_statement(statement))
    for override in ("override_policy_documents", "override_json"):
        statements.extend(_statements_of(block.value(override)))
    document = {"Version": block.value("version", "2012-10-17"), "Statement": statements}
    if contains_unknown(document):
        first = next(_first_unknown(document))
        return Unknown(first.reason, first.refs, partial=document)
    return json.dumps(document, separators=(",", ":"))


def _first_unknown(value: Any):
    if isinstance(value, Unknown):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _first_unknown(item)
    elif isinstance(value, list):
        for item in value:
            yield from _first_unknown(item)


def _statements_of(documents: Any) -> list[Any]:
    if documents is None:
        return []
    if isinstance(documents, Unknown):
        return [documents]
    found: list[Any] = []
    for text in documents if isinstance(documents, list) else [documents]:
        if isinstance(text, Unknown):
            found.append(text)
            continue
        try:
            parsed = json.loads(text)
        except (TypeError, json.JSONDecodeError):
            found.append(Unknown("a source policy document is not JSON"))
            continue
        listed = parsed.get("Statement", []) if isinstance(parsed, dict) else []
        found.extend(listed if isinstance(listed, list) else [listed])
    return found


def _statement(block: Block) -> dict[str, Any]:
    statement: dict[str, Any] = {}
    if block.has("sid"):
        statement["Sid"] = block.value("sid")
    statement["Effect"] = block.value("effect", "Allow")
    for argument, key in _LISTS:
        if block.has(argument):
            statement[key] = block.value(argument)
    for kind, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        principals: dict[str, Any] = {}
        for principal in block.blocks(kind):
            principal_type = principal.value("type")
            if isinstance(principal_type, Unknown):
                return {"Unknown": principal_type}
            principals.setdefault(principal_type, []).extend(_as_list(principal.value("identifiers")))
        if principals:
            statement[key] = principals
    conditions: dict[str, Any] = {}
    for condition in block.blocks("condition"):
        test, variable = condition.value("test"), condition.value("variable")
        if isinstance(test, Unknown) or isinstance(variable, Unknown):
            conditions["?"] = test if isinstance(test, Unknown) else variable
            continue
        conditions.setdefault(test, {})[variable] = condition.value("values")
    if conditions:
        statement["Condition"] = conditions
    return statement


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    return [value]
