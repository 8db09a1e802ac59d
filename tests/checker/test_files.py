"""file() and templatefile() read the repository's own files, as Terraform would from the root module's folder,
through the loader's reader: the text, a rendered template, or an unknown saying why not."""

from __future__ import annotations

from pathlib import Path

from gateaudit.model import Unknown
from gateaudit.modules import load_with_inputs

CALL = '''module "api" {{
  source = "./modules/api"
}}

locals {{
  probe = {expression}
}}
'''


def probe(tmp_path: Path, expression: str, files: dict[str, str | bytes], in_module: bool = False):
    """The value of `expression` as a local of the root module (or of the module it calls), and the loader."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    infra = root / "infra"
    (infra / "modules" / "api").mkdir(parents=True)
    text = CALL.format(expression=expression)
    if in_module:
        (infra / "main.tf").write_text(CALL.format(expression='"unused"'))
        (infra / "modules" / "api" / "main.tf").write_text(text.split("\n", 3)[3])
    else:
        (infra / "main.tf").write_text(text)
        (infra / "modules" / "api" / "main.tf").write_text("")
    for name, content in files.items():
        (infra / name).parent.mkdir(parents=True, exist_ok=True)
        (infra / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    loader = load_with_inputs([infra], repository=root)
    assert not loader.errors, [str(e) for e in loader.errors]
    module = loader.stack.modules[1 if in_module else 0]
    return module.locals["probe"].value, loader


def test_file_gives_the_text_of_a_file_of_the_module(tmp_path):
    value, _ = probe(tmp_path, 'file("${path.module}/spec.yaml")', {"spec.yaml": "openapi: 3.0.1\n"})
    assert value == "openapi: 3.0.1\n"


def test_path_module_is_the_module_folder_from_where_terraform_runs(tmp_path):
    value, _ = probe(tmp_path, 'file("${path.module}/spec.yaml")', {"modules/api/spec.yaml": "in the module\n"},
                     in_module=True)
    assert value == "in the module\n"
    value, _ = probe(tmp_path / "again", '"${path.module}|${path.root}"', {}, in_module=True)
    assert value == "modules/api|."


def test_a_read_is_evidence_for_the_scan_cache_and_reports(tmp_path):
    _, loader = probe(tmp_path, 'file("spec.yaml")', {"spec.yaml": "openapi: 3.0.1\n"})
    read = [path for question, path, _, _ in loader.inputs.answers if question == "read"]
    assert any(path.endswith("spec.yaml") for path in read)  # reread() compares its digest next time
    assert "spec.yaml" in loader.digests and loader.stack.sources["spec.yaml"] == "openapi: 3.0.1\n"


def test_outside_the_repository_is_unknown_and_says_so(tmp_path):
    (tmp_path / "passwd").write_text("root:x:0:0\n")
    value, loader = probe(tmp_path, 'file("../../passwd")', {})
    assert isinstance(value, Unknown)
    assert value.reason == 'file("../../passwd") is outside the repository: not read'
    assert "passwd" not in loader.stack.sources and "../../passwd" not in loader.digests


def test_a_missing_file_or_one_not_in_utf8_is_unknown(tmp_path):
    value, _ = probe(tmp_path, 'file("${path.module}/generated.json")', {})
    assert isinstance(value, Unknown)
    assert value.reason == ('file("./generated.json") does not exist in the repository (written before apply?): '
                            "not read")
    value, _ = probe(tmp_path / "latin", 'file("latin1.txt")', {"latin1.txt": b"caf\xe9"})
    assert isinstance(value, Unknown)
    assert value.reason == 'file("latin1.txt") is not valid UTF-8 (byte 0xe9): Terraform refuses it'


def test_templatefile_renders_the_given_variables(tmp_path):
    value, _ = probe(tmp_path, 'templatefile("${path.module}/spec.tpl", { title = "fitness", n = 2 })',
                     {"spec.tpl": "title: ${title}\ncount: ${n + 1}\nliteral: $${kept}\n"})
    assert value == "title: fitness\ncount: 3\nliteral: ${kept}\n"


def test_templatefile_with_an_unknown_variable_keeps_the_known_text(tmp_path):
    value, _ = probe(tmp_path, 'templatefile("spec.tpl", { uri = aws_lambda_function.f.invoke_arn })',
                     {"spec.tpl": "title: api\nuri: ${uri}\n", "lambda.tf": LAMBDA})
    assert isinstance(value, Unknown)
    assert value.partial == "title: api\nuri: ${aws_lambda_function.f.invoke_arn}\n"
    assert value.refs == ("aws_lambda_function.f.invoke_arn",)


def test_a_template_directive_is_unknown_with_the_known_text(tmp_path):
    value, _ = probe(tmp_path, 'templatefile("spec.tpl", { on = true })',
                     {"spec.tpl": "title: api\n%{ if on }debug: true%{ endif }\n"})
    assert isinstance(value, Unknown) and "template directive" in value.reason
    assert value.partial.startswith("title: api\n")


def test_a_variable_the_template_is_not_given_is_unknown(tmp_path):
    value, _ = probe(tmp_path, 'templatefile("spec.tpl", {})', {"spec.tpl": "title: ${title}\n"})
    assert isinstance(value, Unknown) and value.partial == "title: ${?}\n"


def test_templatefile_inside_a_template_is_not_evaluated(tmp_path):
    value, _ = probe(tmp_path, 'templatefile("outer.tpl", {})',
                     {"outer.tpl": 'x: ${file("inner.txt")}\n', "inner.txt": "secret\n"})
    assert isinstance(value, Unknown) and "inside a template file is not evaluated" in value.reason


LAMBDA = '''resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::123456789012:role/f"
  runtime       = "python3.12"
  handler       = "h.h"
  filename      = "f.zip"
}
'''


def test_a_template_sees_only_the_variables_it_is_given(tmp_path):
    value, _ = probe(tmp_path, 'templatefile("spec.tpl", { title = "api" })',
                     {"spec.tpl": "title: ${title}\nstage: ${var.stage}\n", "variables.tf": STAGE})
    assert isinstance(value, Unknown) and value.partial.startswith("title: api\nstage: ")
    assert value.reason == "var.stage is not among the variables templatefile() gives the template"


STAGE = 'variable "stage" {\n  default = "prod"\n}\n'
