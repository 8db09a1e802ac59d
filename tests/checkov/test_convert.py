"""Checkov's JSON in, gateaudit results out: shapes of its output, addresses, files, lines, statuses, severity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gateaudit.checkov import CheckovError, parse_output, place_of, terraform_address, to_results
from gateaudit.result import Severity, Status

EMPTY = {"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0, "resource_count": 0,
         "checkov_version": "3.3.30"}


def report(*checks: tuple[str, dict], parsing_errors: list[str] | None = None) -> dict:
    results = {"passed_checks": [], "failed_checks": [], "skipped_checks": [], "parsing_errors": parsing_errors or []}
    for key, check in checks:
        results[key].append(check)
    return {"check_type": "terraform", "results": results,
            "summary": {**EMPTY, "parsing_errors": len(parsing_errors or [])}}


def check(check_id: str, resource: str, file: Path, lines: tuple[int, int], header: str, **extra) -> dict:
    return {"check_id": check_id, "check_name": f"Ensure {check_id} holds", "resource": resource,
            "file_path": "/" + file.name, "file_abs_path": str(file), "file_line_range": list(lines),
            "code_block": [[lines[0], header + "\n"]], "severity": None, "guideline": None,
            "check_class": f"checkov.terraform.checks.resource.aws.{check_id}", "check_result": {}, **extra}


def test_one_report_a_list_of_reports_and_reports_one_after_another_all_parse():
    one = report()
    assert parse_output(json.dumps(one)) == [one]
    assert parse_output(json.dumps([one, EMPTY])) == [one, EMPTY]
    assert parse_output(json.dumps(one, indent=4) + "\n" + json.dumps(EMPTY, indent=4) + "\n") == [one, EMPTY]


@pytest.mark.parametrize(("output", "said"), [
    ("", "printed no report"),
    ("  \n", "printed no report"),
    ("Checkov crashed", "not its JSON report"),
    (json.dumps(report()) + "\nDone.", "not its JSON report: 'Done.'"),
    ("[1, 2]", "JSON that is not its report"),
    ('{"results": {"passed_checks": "all"}, "summary": {}}', "JSON that is not its report"),
])
def test_anything_else_is_an_error_that_quotes_it(output, said):
    with pytest.raises(CheckovError, match=said.replace("(", r"\(").replace(".", r"\.")):
        parse_output(output)


@pytest.mark.parametrize(("resource", "header", "address"), [
    ("aws_api_gateway_method.get", 'resource "aws_api_gateway_method" "get" {', "aws_api_gateway_method.get"),
    ("aws_iam_policy_document.x", 'data "aws_iam_policy_document" "x" {', "data.aws_iam_policy_document.x"),
    ("module.api.aws_iam_policy_document.x", 'data "aws_iam_policy_document" "x" {',
     "module.api.data.aws_iam_policy_document.x"),
    ("aws.default", 'provider "aws" {', "provider.aws"),
    ("aws.audit", 'provider "aws" {', "provider.aws.audit"),
    ('module.api["eu"].aws_lambda_permission.p[0]', 'resource "aws_lambda_permission" "p" {',
     'module.api["eu"].aws_lambda_permission.p[0]'),
    ('aws_apigatewayv2_route.items["GET /items"]', 'resource "aws_apigatewayv2_route" "items" {',
     'aws_apigatewayv2_route.items["GET /items"]'),
])
def test_addresses_are_written_as_terraform_writes_them(resource, header, address):
    assert terraform_address({"resource": resource, "code_block": [[1, header + "\n"]]}) == address


def test_a_data_check_without_code_is_told_by_its_class():
    found = {"resource": "aws_iam_policy_document.x", "check_class": "checkov.terraform.checks.data.aws.Admin"}
    assert terraform_address(found) == "data.aws_iam_policy_document.x"


def test_results_carry_check_id_control_status_file_line_message_and_source(tmp_path):
    main = tmp_path / "rest" / "main.tf"
    header = 'resource "aws_api_gateway_method" "get" {'
    documents = [report(("failed_checks", check("CKV_AWS_59", "aws_api_gateway_method.get", main, (12, 18), header)),
                        ("passed_checks", check("CKV_AWS_73", "aws_api_gateway_stage.prod", main, (30, 40),
                                                'resource "aws_api_gateway_stage" "prod" {', severity="HIGH",
                                                guideline="https://docs.example/ckv-aws-73")))]
    run = to_results(documents, place_of(tmp_path, several=False))
    by_id = {result.rule_id: result for result in run.results}
    failed, passed = by_id["CKV_AWS_59"], by_id["CKV_AWS_73"]
    assert (failed.rule_id, failed.control, failed.status, failed.severity) == (
        "CKV_AWS_59", "authorizer-attached", Status.FAILED, Severity.HIGH)  # gateaudit's default for it: GA101's
    assert (failed.resource, failed.file, failed.line) == ("aws_api_gateway_method.get", "rest/main.tf", 12)
    assert (failed.message, failed.source, failed.suppression) == ("Ensure CKV_AWS_59 holds", "checkov", None)
    assert (passed.control, passed.status, passed.severity) == ("other", Status.PASSED, Severity.HIGH)  # Checkov's
    infos = {info.id: info for info in run.rules}
    assert infos["CKV_AWS_59"].title == "Ensure CKV_AWS_59 holds"
    assert infos["CKV_AWS_59"].control == "authorizer-attached" and infos["CKV_AWS_59"].mappings == {}
    assert "GA101" in infos["CKV_AWS_59"].rationale
    assert infos["CKV_AWS_73"].remediation == "See https://docs.example/ckv-aws-73"
    assert infos["CKV_AWS_73"].origin == "checkov 3.3.30"


def test_a_skipped_check_is_suppressed_with_checkovs_reason(tmp_path):
    main = tmp_path / "main.tf"
    skipped = check("CKV_AWS_59", "aws_api_gateway_method.health", main, (3, 9),
                    'resource "aws_api_gateway_method" "health" {',
                    check_result={"result": "SKIPPED", "suppress_comment": "public health check"})
    [result] = to_results([report(("skipped_checks", skipped))], place_of(tmp_path, several=False)).results
    assert result.status == Status.SUPPRESSED
    assert result.suppression.source == "inline"
    assert result.suppression.reason == "checkov:skip: public health check"
    assert (result.suppression.file, result.suppression.line) == ("main.tf", None)


def test_several_scanned_paths_prefix_files_with_their_path(tmp_path):
    folder = tmp_path / "http"
    main = folder / "main.tf"
    found = check("CKV_AWS_309", "aws_apigatewayv2_route.r", main, (5, 9), 'resource "aws_apigatewayv2_route" "r" {')
    [result] = to_results([report(("failed_checks", found))], place_of(folder, several=True)).results
    assert result.file == f"{folder}/main.tf"


def test_a_parse_error_names_the_file_relative_to_the_scanned_path(tmp_path):
    run = to_results([report(parsing_errors=[str(tmp_path / "modules" / "bad.tf")])], place_of(tmp_path, False))
    [error] = run.errors
    assert (error.file, error.line) == ("modules/bad.tf", None)
    assert "Checkov could not parse this file" in error.message
