"""Whether the roots of a folder judged one at a time relate to each other (`gateaudit.relations`).

The engine judges a monorepo's root modules one at a time (issue 19), so that its memory is that of one root.
No reference crosses roots, but some rules, and the engine itself, relate blocks of a stack by value or by
address, whatever root they are in; judged apart, such roots would be judged differently. After every root is
judged, `Relations.why` says whether any two did relate, and how; the engine then judges the whole stack at once,
as before, so results never depend on how the stack was judged.

What it looks for, each from plain data kept of every root (never its model):
- masking (gateaudit.masking.secret_literals) hides the values of every block at a flagged address;
- a fingerprint (engine._fingerprinted) reads the first block at the result's address, in any root;
- GA405 matches a function to a log group by name, and doubts on any log group whose name is unknown, or any
  Lambda@Edge association that cannot be resolved;
- GA106 (rules/_authorizers.py `invoked_functions`) matches a function URL's or permission's function to the
  functions API Gateway invokes by name, and doubts on any integration whose function cannot be told;
- GA302 and GA303 (rules/_iam.py `role_targets`) match a role named by a literal to any role so named; GA302 doubts
  on every policy when any attachment's policy ARN cannot be resolved;
- GA202 and GA203 (rules/_secrets.py `declared_secret_names`) take a literal equal to any secret's name for a name;
- GA101 matches an open preflight method to any integration of the same API, resource and verb, and GA402 method
  settings to any stage of the same API and name: by value where they are not written as references;
- the scan's evaluation budget, spent in another order.
Each test is conservative: it may find a relation where judging apart would change nothing (the whole stack is
then judged, as before), never the other way.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from .baseline import evidence, fingerprint_with
from .model import Attribute, Block, Stack, Unknown, unknowns
from .result import Result, Status

Text = tuple[str, bool] | None  # as rules/_logging.text_of gives it
_SECRET_CONTROL = "secret-not-hardcoded"
_COVERAGE = ("GA100", "GA200", "GA300", "GA400")
_LAMBDA_PREFIXES = ("/aws/lambda/", "/aws/lambda/us-east-1.")


@dataclass
class _Named:
    """Texts some root asks for or provides: (root, text)."""

    asked: list[tuple[int, Text]] = field(default_factory=list)
    provided: list[tuple[int, Text]] = field(default_factory=list)

    def cross(self) -> tuple[Text, Text] | None:
        """An asked and a provided text of two different roots that may be the same (`same_text` not False)."""
        from gateaudit.rules._logging import same_text  # the rules' own comparison; imported when a root is judged

        known: dict[str, set[int]] = {}
        loose: list[tuple[int, Text]] = []
        for root, text in self.provided:
            if text is not None and text[1]:
                known.setdefault(text[0], set()).add(root)
            else:
                loose.append((root, text))
        for root, text in self.asked:
            if text is not None and text[1]:
                if known.get(text[0], set()) - {root}:
                    return text, text
                candidates = loose
            else:
                candidates = [(r, (t, True)) for t, roots in known.items() for r in roots] + loose
            for other, given in candidates:
                if other != root and same_text(text, given) is not False:
                    return text, given
        return None


@dataclass
class Relations:
    """What every root judged so far shows of itself to the others, and what the engine computed of it."""

    roots: int = 0
    # address -> the roots with a block at that address, in order; (address, file) -> the first. Keyed by the
    # texts themselves, not their hashes: two addresses must never be taken for one.
    address_roots: dict[str, list[int]] = field(default_factory=dict)
    first_at: dict[tuple[str, str], int] = field(default_factory=dict)
    first_file: dict[str, str] = field(default_factory=dict)  # address -> the file of its first block
    flags: dict[int, set[tuple[str, str | None]]] = field(default_factory=dict)  # root -> (address, path) masked
    # what a fingerprint reads (baseline.evidence) of the block a result judged, by (address, file, attribute):
    # (the first root judging it, the text)
    evidence: dict[tuple[str, str, str], tuple[int, str]] = field(default_factory=dict)
    log_groups: _Named = field(default_factory=_Named)
    invoked: _Named = field(default_factory=_Named)  # asked: what a URL or permission names; provided: invoked
    doubted: list[int] = field(default_factory=list)  # roots whose invocations cannot all be told
    entry_points: list[int] = field(default_factory=list)  # roots with a function URL or permission
    edge_doubts: list[int] = field(default_factory=list)
    role_names: _Named = field(default_factory=_Named)
    blind_attachments: list[int] = field(default_factory=list)
    policies: list[int] = field(default_factory=list)
    secret_names: _Named = field(default_factory=_Named)
    loose_open_methods: list[int] = field(default_factory=list)
    open_methods: list[int] = field(default_factory=list)
    loose_integrations: list[int] = field(default_factory=list)
    integrations: list[int] = field(default_factory=list)
    loose_settings: list[int] = field(default_factory=list)
    settings: list[int] = field(default_factory=list)
    loose_stages: list[int] = field(default_factory=list)
    stages: list[int] = field(default_factory=list)

    def add(self, stack: Stack, by_rule: list[list[Result]]) -> None:
        """Keep what one root, just judged (`by_rule`: its results), shows of itself."""
        root = self.roots
        self.roots += 1
        blocks: dict[str, list[Block]] = {}
        for block in stack.blocks():
            blocks.setdefault(block.address, []).append(block)
            key = block.address
            seen = self.address_roots.setdefault(key, [])
            if not seen:
                self.first_file[key] = block.location.file
            if not seen or seen[-1] != root:
                seen.append(root)
            self.first_at.setdefault((block.address, block.location.file), root)
        # A root's own blocks are in its own folder, which no other root reads: what a fingerprint reads of one is
        # needed for a result this root fails or leaves unknown, or, where this root is the first with a block at
        # its address, for another root's result in a file without one (`_evidence_of`). Most results pass.
        own = {id(block) for module in stack.modules if not module.key for block in module.blocks}
        flags = self.flags.setdefault(root, set())
        for results in by_rule:
            for result in results:
                if result.status in (Status.FAILED, Status.UNKNOWN) and result.control == _SECRET_CONTROL \
                        and result.rule_id not in _COVERAGE \
                        and not (result.attribute is None and result.block_file is not None):
                    flags.add((result.resource, result.attribute))
                if result.attribute is None:  # a fingerprint then reads nothing of the block
                    continue
                # Any status: a block of a shared module may pass in the first root that calls it and fail in the
                # next, and judging all at once fingerprints the second's failure with the first's block.
                candidates = blocks.get(result.resource, [])
                block = next((b for b in candidates if b.location.file == result.file),
                             candidates[0] if candidates else None)
                if block is not None and (id(block) not in own or result.status in (Status.FAILED, Status.UNKNOWN)
                                          or self.address_roots[block.address][0] == root):
                    key = (block.address, block.location.file, result.attribute)
                    if key not in self.evidence:
                        self.evidence[key] = (root, evidence(block, result.attribute))
        self._by_value(root, stack)

    def _by_value(self, root: int, stack: Stack) -> None:
        # What the rules relate by value, read with their own helpers (imported only when roots are judged apart;
        # a scan that reuses an earlier judgement loads no rule helper).
        from gateaudit.rules._authorizers import invoked_functions
        from gateaudit.rules._iam import ATTACHMENTS
        from gateaudit.rules._logging import text_of
        from gateaudit.rules._secrets import declared_secret_names

        functions = stack.resources("aws_lambda_function")
        for group in stack.resources("aws_cloudwatch_log_group"):
            self.log_groups.provided.append((root, text_of(group.get("name"))))
        for function in functions:
            config = function.blocks("logging_config")
            named = config[0].get("log_group") if config else None
            if named is not None and named.value is not None:
                if not named.referenced_blocks("aws_cloudwatch_log_group"):
                    self.log_groups.asked.append((root, text_of(named)))
                continue
            name = text_of(function.get("function_name"))
            for prefix in _LAMBDA_PREFIXES:
                self.log_groups.asked.append((root, (prefix + name[0], name[1]) if name else None))
        for distribution in stack.resources("aws_cloudfront_distribution"):
            for behaviour in ("default_cache_behavior", "ordered_cache_behavior"):
                for arn in distribution.attributes_at(f"{behaviour}.lambda_function_association.lambda_arn"):
                    if not arn.referenced_blocks("aws_lambda_function") and isinstance(arn.value, Unknown):
                        self.edge_doubts.append(root)

        invoked = invoked_functions(stack)
        if invoked.doubts:
            self.doubted.append(root)
        self.invoked.provided += [(root, (name, True)) for name in invoked.by_name]
        self.invoked.provided += [(root, text_of(function.get("function_name")))
                                  for function, _ in invoked.functions.values()]
        for entry in stack.resources("aws_lambda_function_url", "aws_lambda_permission"):
            self.entry_points.append(root)
            attribute = entry.get("function_name")
            named = _functions_named(attribute)
            if named:
                self.invoked.asked += [(root, text_of(f.get("function_name"))) for f in named]
            elif attribute is not None:
                self.invoked.asked.append((root, text_of(attribute)))
                self.invoked.asked.append((root, _arn_name(attribute)))

        for role in stack.resources("aws_iam_role"):
            name = role.value("name")
            if isinstance(name, str):
                self.role_names.provided.append((root, (name, True)))
        for holder in stack.resources("aws_iam_role_policy", *ATTACHMENTS):
            argument = "role" if holder.type == "aws_iam_role_policy" else ATTACHMENTS[holder.type][0]
            named = holder.get(argument)
            if named is not None and not named.referenced_blocks("aws_iam_role"):
                value = named.value
                self.role_names.asked += [(root, (name, True)) for name in (value if isinstance(value, list)
                                                                             else [value]) if isinstance(name, str)]
            if holder.type in ATTACHMENTS and _unresolved(holder.get(ATTACHMENTS[holder.type][1])):
                self.blind_attachments.append(root)
        if any(_unresolved(role.get("managed_policy_arns")) for role in stack.resources("aws_iam_role")):
            self.blind_attachments.append(root)
        if stack.resources("aws_iam_policy"):
            self.policies.append(root)

        self.secret_names.provided += [(root, (name, True)) for name in declared_secret_names(stack)]
        self.secret_names.asked += [(root, (text, True)) for text in _literals(stack)]

        for method in stack.resources("aws_api_gateway_method"):
            authorization = method.value("authorization")
            if isinstance(authorization, Unknown) or str(authorization).upper() == "NONE":
                self.open_methods.append(root)
                if _loose(method, ("rest_api_id", "resource_id")):
                    self.loose_open_methods.append(root)
        for integration in stack.resources("aws_api_gateway_integration"):
            self.integrations.append(root)
            if _loose(integration, ("rest_api_id", "resource_id")):
                self.loose_integrations.append(root)
        for settings in stack.resources("aws_api_gateway_method_settings"):
            name = settings.get("stage_name")
            if name is None or not name.referenced_blocks("aws_api_gateway_stage", "aws_api_gateway_deployment"):
                self.settings.append(root)
                if _loose(settings, ("rest_api_id",)):
                    self.loose_settings.append(root)
        for stage in stack.resources("aws_api_gateway_stage", "aws_api_gateway_deployment"):
            self.stages.append(root)
            if _loose(stage, ("rest_api_id",)):
                self.loose_stages.append(root)

    def why(self, results: list[Result]) -> str | None:
        """How two roots judged apart relate, given the merged `results`; None when none do."""
        flagged = {flag for flags in self.flags.values() for flag in flags}
        for address, path in flagged:
            for root in self.address_roots.get(address, []):
                if (address, path) not in self.flags.get(root, set()):
                    return f"the values of {address} are masked in another root"
        checks = (
            (self.log_groups.cross(), "a function's log group may be another root's (GA405)"),
            (_two(self.edge_doubts, range(self.roots)), "a Lambda@Edge association cannot be resolved (GA405)"),
            (_two(self.doubted, self.entry_points), "a function API Gateway invokes cannot be told (GA106)"),
            (self.invoked.cross(), "a function may be invoked by another root's API (GA106)"),
            (self.role_names.cross(), "a role is named as another root's role is (GA302, GA303)"),
            (_two(self.blind_attachments, self.policies), "an attached policy ARN cannot be resolved (GA302)"),
            (self.secret_names.cross(), "a literal is another root's secret name (GA202, GA203)"),
            (_two(self.loose_open_methods, self.integrations) or _two(self.open_methods, self.loose_integrations),
             "an open method may be another root's integration's (GA101)"),
            (_two(self.loose_settings, self.stages) or _two(self.settings, self.loose_stages),
             "method settings may be another root's stage's (GA402)"),
        )
        return next((why for found, why in checks if found), None)

    def fingerprinted(self, results: list[Result]) -> list[Result] | str:
        """The merged results, fingerprinted as judging the whole stack does (engine._fingerprinted): from the
        first block at the result's address in its file, else at its address, whatever root it is in. Or why
        that cannot be told: the root of that block did not judge it with that attribute."""
        marked = []
        for result in results:
            if result.status in (Status.FAILED, Status.UNKNOWN) and result.fingerprint is None:
                found = self._evidence_of(result)
                if found is None:
                    return f"the fingerprint of {result.resource} is read from a block its root did not judge"
                result = dataclasses.replace(result, fingerprint=fingerprint_with(result, found))
            marked.append(result)
        return marked

    def _evidence_of(self, result: Result) -> str | None:
        """What judging the whole stack fingerprints the result with; None when no root kept it."""
        if result.attribute is None:
            return ""
        first = self.first_at.get((result.resource, result.file))
        file = result.file
        if first is None:  # no block in the result's file: the first one at its address
            roots = self.address_roots.get(result.resource)
            if not roots:
                return ""  # no block at all
            first, file = roots[0], self.first_file[result.resource]
        found = self.evidence.get((result.resource, file, result.attribute))
        return found[1] if found is not None and found[0] == first else None


def _two(first: list[int], second) -> bool:
    """A root of `first` and another root of `second`."""
    roots = set(second)
    return any(roots - {root} for root in set(first))


def _loose(block: Block, arguments: tuple[str, ...]) -> bool:
    """One of the arguments is not written as a reference to a block (a literal id, a variable): matched by value."""
    return any((attribute := block.get(name)) is None or not attribute.references for name in arguments)


def _unresolved(arns: Attribute | None) -> bool:
    return (arns is not None and not arns.referenced_blocks("aws_iam_policy")
            and next(unknowns(arns.value), None) is not None)


def _functions_named(attribute: Attribute | None) -> list[Block]:
    if attribute is None:
        return []
    functions = attribute.referenced_blocks("aws_lambda_function")
    for alias in attribute.referenced_blocks("aws_lambda_alias"):
        name = alias.get("function_name")
        functions += name.referenced_blocks("aws_lambda_function") if name is not None else []
    return functions


def _arn_name(attribute: Attribute) -> Text:
    """The function name in a function ARN (`arn:aws:lambda:...:function:NAME`), as invoked_as reads it."""
    value = attribute.value
    if isinstance(value, str) and ":function:" in value:
        return value.split(":function:", 1)[1].split(":", 1)[0], True
    return None


def _literals(stack: Stack) -> list[str]:
    """The strings GA202 and GA203 may take for a secret's name: Lambda environments, variables' defaults and the
    values given to variables (tfvars, module calls)."""
    found: list[str] = []
    for function in stack.resources("aws_lambda_function"):
        for attribute in function.attributes_at("environment.variables"):
            found += _strings(attribute.value)
    for variable in stack.blocks(kind="variable"):
        default = variable.get("default")
        found += _strings(default.value) if default is not None else []
        call = variable.module.call
        given = call.get(variable.name) if call is not None else None
        found += _strings(given.value) if given is not None else []
        assigned = variable.module.variable_values.get(variable.name)
        if assigned is not None:
            found += _strings(getattr(assigned.attribute.expr, "value", None))
    return found


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Unknown):
        return _strings(value.partial)
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    return []
