"""GA402: REST API execution logging is on (ERROR or INFO), never set to OFF.

**What it checks**
Each `aws_api_gateway_method_settings` that sets `settings.logging_level` must set `ERROR` or `INFO`;
`OFF` fails, and so does stage-wide settings (`method_path = "*/*"`) that leave the level unset. Each
`aws_api_gateway_stage` with no stage-wide method settings fails on the stage itself: execution logging
is OFF until something turns it on. Method settings belong to a stage when `stage_name` refers to that
stage (`aws_api_gateway_stage.x.stage_name`), or when `rest_api_id` and `stage_name` are the same.

**Why it matters**
The execution log is where API Gateway records the Lambda authorizer's run: `Starting authorizer`,
`Unauthorized request`, `Authorizer error` (a misconfigured or crashing authorizer). A stage that never
turns it on, or a method that turns it OFF, answers 401/500 with no trace of why.

**Fails**
    resource "aws_api_gateway_rest_api" "api" {
      name = "fitness"
    }

    resource "aws_api_gateway_deployment" "api" {
      rest_api_id = aws_api_gateway_rest_api.api.id
    }

    resource "aws_api_gateway_stage" "prod" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      deployment_id = aws_api_gateway_deployment.api.id
      stage_name    = "prod"
    }

    resource "aws_api_gateway_method_settings" "all" {
      rest_api_id = aws_api_gateway_rest_api.api.id
      stage_name  = aws_api_gateway_stage.prod.stage_name
      method_path = "*/*"
      settings {
        logging_level = "OFF"
      }
    }

**Passes**
    resource "aws_api_gateway_rest_api" "api" {
      name = "fitness"
    }

    resource "aws_api_gateway_deployment" "api" {
      rest_api_id = aws_api_gateway_rest_api.api.id
    }

    resource "aws_api_gateway_stage" "prod" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      deployment_id = aws_api_gateway_deployment.api.id
      stage_name    = "prod"
    }

    resource "aws_api_gateway_method_settings" "all" {
      rest_api_id = aws_api_gateway_rest_api.api.id
      stage_name  = aws_api_gateway_stage.prod.stage_name
      method_path = "*/*"
      settings {
        logging_level = "ERROR"
      }
    }

**Fix**
Add one `aws_api_gateway_method_settings` per stage with `method_path = "*/*"` and
`settings { logging_level = "ERROR" }`, and no method override set to `"OFF"`.

**Limits**
A stage with no method settings fails, as in Security Hub APIGateway.1 and Checkov CKV2_AWS_4: "does not
set OFF" would otherwise pass every stage that never turned logging on. A stage logging through
per-method overrides only, without `"*/*"`, fails too: methods added later would not log. A
method override that leaves `logging_level` unset is not judged (it does not change the level). When
settings may or may not belong to a stage (unresolvable names), the stage is unknown.

**Stages a deployment creates**
An `aws_api_gateway_deployment` with `stage_name` (deprecated) creates that stage itself. Method settings
can still name it (`stage_name = aws_api_gateway_deployment.x.stage_name`, or the same API and name), so it
is judged as a declared stage: stage-wide settings that name it with logging on carry the verdict; without
them it fails on the deployment, naming `stage_name`. Fix: declare an `aws_api_gateway_stage` and drop
`stage_name` from the deployment (GA401 needs that stage for access logs anyway).
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Block, Stack, Unknown
from gateaudit.result import Result, Severity

from . import Rule
from ._logging import being_destroyed, implicit_stage, same_text, text_of
from ._references import points_at, same_target

RULE = Rule(
    id="GA402",
    control="logging-enabled",
    severity=Severity.MEDIUM,
    title="REST API stages have execution logging at ERROR or INFO, never OFF",
    rationale="The execution log records each authorizer run and failure; OFF, the default, records nothing.",
    remediation='Add aws_api_gateway_method_settings with method_path = "*/*" and settings { logging_level = '
                '"ERROR" } for each stage; never set "OFF".',
    mappings={
        "AWS Security Hub FSBP": ("APIGateway.1",),
        "NIST SP 800-53 rev 5": ("AU-2", "AU-12"),
    },
)


def check(stack: Stack) -> Iterator[Result]:
    all_settings = stack.resources("aws_api_gateway_method_settings")
    for settings in all_settings:
        result = _judge_settings(settings)
        if result is not None:
            yield result
    stages = [(stage, None) for stage in stack.resources("aws_api_gateway_stage")]
    # A deployment's stage_name creates a stage too; method settings may name it and turn logging on.
    stages += [(deployment, name) for deployment in stack.resources("aws_api_gateway_deployment")
               if (name := implicit_stage(deployment)) is not None]
    candidates = _Candidates(all_settings)
    for stage, implicit in stages:
        belongs = [(s, _belongs(s, stage)) for s in candidates.of(stage)]
        stage_wide = [(s, b) for s, b in belongs if b is not False and _path(s) is not False]
        if any(b is True and _path(s) is True for s, b in stage_wide):
            continue  # the stage-wide settings carry the verdict
        which = "this stage" if implicit is None else "the stage it creates"
        if implicit is not None and isinstance(implicit.value, Unknown):
            yield RULE.unknown(stage, f"stage_name cannot be resolved ({implicit.value.reason}): if it names a "
                               "stage, the deployment creates it, and whether method settings turn on its "
                               "execution logging cannot be told", implicit)
        elif stage_wide:
            other = stage_wide[0][0]
            yield RULE.unknown(stage, f"cannot tell whether {other.address} turns on execution logging for "
                               f"{which} (stage name, API or method_path unresolved)", implicit)
        elif implicit is None:
            gone = being_destroyed(stack, ("aws_api_gateway_method_settings",), "stage_name",
                                   stage.value("stage_name"))
            taken = f"{gone.address}, which set it, is being destroyed by this plan, and " if gone else ""
            yield RULE.failed(stage, f'{taken}no aws_api_gateway_method_settings with method_path "*/*" sets a '
                              "logging_level for this stage, so execution logging stays OFF; add one with "
                              'settings { logging_level = "ERROR" }')
        else:
            yield RULE.failed(stage, f'stage_name "{implicit.value}" makes the deployment create that stage, and '
                              'no aws_api_gateway_method_settings with method_path "*/*" sets a logging_level '
                              "for it, so execution logging stays OFF; declare an aws_api_gateway_stage instead "
                              "(drop stage_name from the deployment) and add method settings for it with "
                              'settings { logging_level = "ERROR" }', implicit)


def _judge_settings(settings: Block) -> Result | None:
    nested = settings.blocks("settings")
    attribute = nested[0].get("logging_level") if nested else None
    if attribute is None or attribute.value is None:
        if _path(settings) is True:
            return RULE.failed(settings, "stage-wide settings leave logging_level unset, so execution "
                               'logging stays OFF; set settings.logging_level = "ERROR" or "INFO"',
                               "settings")
        return None
    level = attribute.value
    if isinstance(level, Unknown):
        return RULE.unknown(settings, f"settings.logging_level cannot be resolved: {level.reason}", attribute)
    if level in ("ERROR", "INFO"):
        return RULE.passed(settings, f"execution logging at {level}", attribute)
    if level == "OFF":
        return RULE.failed(settings, 'settings.logging_level is "OFF": the authorizer\'s runs and failures '
                           'go unrecorded; set "ERROR" or "INFO"', attribute)
    return RULE.failed(settings, f'settings.logging_level is "{level}", which API Gateway does not accept; '
                       'set "ERROR" or "INFO"', attribute)


def _path(settings: Block) -> bool | Unknown:
    path = settings.value("method_path")
    return path if isinstance(path, Unknown) else path == "*/*"


class _Candidates:
    """The method settings that may belong to a stage, in the stack's order: all but those `_belongs` would
    find not to, certainly and cheaply told (a monorepo has thousands of stages and of settings, and comparing
    each stage with each settings block took seconds)."""

    def __init__(self, all_settings: list[Block]) -> None:
        self.settings = all_settings
        self.by_block: dict[int, list[int]] = {}  # a block stage_name refers to -> the positions of those settings
        self.by_name: dict[str, list[int]] = {}  # a stage_name known in full -> the positions of those settings
        self.others: list[int] = []  # the positions of settings whose stage_name is not known in full
        for position, settings in enumerate(all_settings):
            name = settings.get("stage_name")
            if name is not None and name.referenced_blocks("aws_api_gateway_stage", "aws_api_gateway_deployment"):
                for block in {id(ref.block) for ref in name.references}:  # `points_at`: any of them
                    self.by_block.setdefault(block, []).append(position)
                continue
            text = text_of(name)
            if text is not None and text[1]:
                self.by_name.setdefault(text[0], []).append(position)
            else:
                self.others.append(position)

    def of(self, stage: Block) -> list[Block]:
        text = text_of(stage.get("stage_name"))
        if text is not None and text[1]:  # two names known in full are the same, or the settings are not its
            found = [*self.by_name.get(text[0], ()), *self.others]
        else:
            found = [*(p for positions in self.by_name.values() for p in positions), *self.others]
        found += self.by_block.get(id(stage), ())
        return [self.settings[position] for position in sorted(found)]


def _belongs(settings: Block, stage: Block) -> bool | Unknown:
    name = settings.get("stage_name")
    if name is not None and name.referenced_blocks("aws_api_gateway_stage", "aws_api_gateway_deployment"):
        return points_at(name, stage)
    same_api = same_target(settings.get("rest_api_id"), stage.get("rest_api_id"), "aws_api_gateway_rest_api")
    same_name = same_text(text_of(settings.get("stage_name")), text_of(stage.get("stage_name")))
    if same_api is False or same_name is False:
        return False
    return True if same_api is True and same_name is True else Unknown("cannot match settings to stage")
