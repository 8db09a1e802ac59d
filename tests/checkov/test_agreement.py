"""The disagreements with Checkov that docs/checkov-differences.md explains, pinned: a new one fails here.

bench/agreement.py runs both tools over Checkov's own fixtures for the checks that cover our controls
(../shared/peer/checkov/, read there) and over the reference stack and its seed. Each disagreement below is
explained in docs/checkov-differences.md; when this test fails, explain the new one there (or fix the rule
that is wrong) and update the list. The rule fixtures are compared too by `python bench/agreement.py`
(about 80 s); they are not run here.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

from .conftest import PEER, ROOT

A, P = "authorizer-attached", "scoped-permission"
METHODS = "peer/APIGatewayMethodWOAuth"
ROUTES = "peer/example_APIGatewayV2RouteDefinesAuthorizationType"
PERMISSIONS = "peer/example_LambdaServicePermission"

# (case, resource, control, gateaudit's verdict, Checkov's verdict)
PINNED = {
    # OPTIONS methods without a MOCK integration: Checkov credits a deny-all or private API, an API key, or
    # exempts OPTIONS outright; GA101 wants an authorizer unless the method is a MOCK preflight.
    (METHODS, "aws_api_gateway_method.pass_deny", A, "failed", "passed"),
    (METHODS, "aws_api_gateway_method.pass_deny2", A, "failed", "passed"),
    (METHODS, "aws_api_gateway_method.pass_passapikey", A, "failed", "passed"),
    (METHODS, "aws_api_gateway_method.pass_private", A, "failed", "passed"),
    (METHODS, "aws_api_gateway_method.skipped_noconnect1", A, "failed", "passed"),
    # $default routes with no authorization on an API outside the configuration: open on an HTTP API,
    # correct on a WebSocket API; gateaudit cannot tell which, so unknown (which blocks by default).
    (ROUTES, "aws_apigatewayv2_route.fail", A, "unknown", "failed"),
    (ROUTES, "aws_apigatewayv2_route.fail2", A, "unknown", "failed"),
    # JWT without authorizer_id: no authorizer runs; CKV_AWS_309 only reads authorization_type.
    (ROUTES, "aws_apigatewayv2_route.pass2", A, "failed", "passed"),
    # source_account admits every API of the account; source_arn names an API outside the configuration.
    (PERMISSIONS, "aws_lambda_permission.ckv_unittest_pass_source_account", P, "failed", "passed"),
    (PERMISSIONS, "aws_lambda_permission.ckv_unittest_pass_source_arn", P, "unknown", "passed"),
}


def _agreement_module():
    spec = importlib.util.spec_from_file_location("gateaudit_bench_agreement", ROOT / "bench" / "agreement.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def agreement():
    return _agreement_module()


def test_the_disagreements_over_checkovs_fixtures_and_the_stack_are_the_explained_ones(agreement, real_checkov):
    if not (PEER / "expected.json").is_file():
        pytest.skip(f"{PEER} is not there: the peer fixtures are read from ../shared/peer/checkov/")
    result = agreement.compare(agreement.cases(("peer", "stack"), PEER), real_checkov, PEER)
    found = {d.key() for d in result.disagreements}
    new = "\n".join(str(d) for d in result.disagreements if d.key() not in PINNED)
    assert found == PINNED, (f"new disagreements (explain them in docs/checkov-differences.md, then pin them):\n"
                             f"{new or '  none'}\nno longer found: {sorted(PINNED - found)}")
    assert result.peer_unexpected == [], "Checkov no longer gives its own fixtures the verdicts its tests expect"
    assert result.counts["logging-enabled"]["compared"] > 0 and result.counts[A]["agree"] > 0


def test_every_pinned_disagreement_is_explained_in_the_doc():
    text = (ROOT / "docs" / "checkov-differences.md").read_text(encoding="utf-8")
    for case, resource, *_ in sorted(PINNED):
        assert f"`{resource}`" in text and case.removeprefix("peer/") in text, resource


def test_batches_never_put_two_files_of_one_folder_or_two_folders_in_one_checkov_run(agreement):
    cases = agreement.cases(("fixtures",))
    batches = agreement.checkov_batches(cases)
    assert sorted(case.label for batch in batches for case in batch) == sorted(case.label for case in cases)
    for batch in batches:
        folders = [case for case in batch if case.path.is_dir()]
        assert len(folders) == 0 or len(batch) == 1
        parents = [case.path.parent for case in batch if case.path.is_file()]
        assert len(parents) == len(set(parents))
