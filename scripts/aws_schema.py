"""Regenerate checker/data/aws_schema.json from the hashicorp/aws provider's schema.

Usage: terraform providers schema -json > schema.json  (in any folder initialised with hashicorp/aws)
       python scripts/aws_schema.py schema.json 5.100.0

It keeps two facts per type: that the type exists (so a misspelt type is caught) and which of its
arguments are nested blocks (so `.tf.json`, which cannot tell blocks from objects, is read right); and, in
checker/data/aws_sensitive.json, which arguments the provider marks sensitive (the secret rules judge them).
"""

import json
import sys
from pathlib import Path


def nested_blocks(block: dict) -> dict | int:
    """{block name: its own nested blocks}, with 0 for a type or block that has none."""
    types = block.get("block_types", {})
    return {name: nested_blocks(spec["block"]) for name, spec in sorted(types.items())} or 0


def main(schema_file: str) -> None:
    schemas = json.loads(Path(schema_file).read_text())["provider_schemas"]
    aws = schemas["registry.terraform.io/hashicorp/aws"]
    out = {"provider_version": sys.argv[2] if len(sys.argv) > 2 else None, "resource": {}, "data": {}, "ephemeral": {}}
    for kind, key in (("resource", "resource_schemas"), ("data", "data_source_schemas"),
                      ("ephemeral", "ephemeral_resource_schemas")):
        for name, spec in sorted(aws.get(key, {}).items()):
            out[kind][name] = nested_blocks(spec["block"])
    target = Path(__file__).resolve().parent.parent / "checker" / "data" / "aws_schema.json"
    target.write_text(json.dumps(out, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"wrote {target}: {len(out['resource'])} resources, {len(out['data'])} data sources")
    write_type_names(out)
    write_sensitive(aws, out["provider_version"])


def sensitive_arguments(block: dict, prefix: str = "") -> list[str]:
    """The paths (`auth_parameters.basic.password`) of the arguments a user may write (required or optional,
    write-only included) that the schema marks sensitive; computed-only attributes are never written."""
    found = [prefix + name for name, spec in block.get("attributes", {}).items()
             if spec.get("sensitive") and (spec.get("required") or spec.get("optional"))]
    for name, spec in block.get("block_types", {}).items():
        found += sensitive_arguments(spec["block"], f"{prefix}{name}.")
    return sorted(found)


def write_sensitive(aws: dict, version: str | None) -> None:
    """checker/data/aws_sensitive.json: {"resource": {type: [sensitive argument paths]}}, types with one only."""
    resources = {name: paths for name, spec in sorted(aws.get("resource_schemas", {}).items())
                 if (paths := sensitive_arguments(spec["block"]))}
    target = Path(__file__).resolve().parent.parent / "checker" / "data" / "aws_sensitive.json"
    target.write_text(json.dumps({"provider_version": version, "resource": resources}, indent=0) + "\n")


def write_type_names(schema: dict) -> None:
    """checker/data/aws_types.json: the type names alone, which every scan needs (a fiftieth of the size)."""
    names = {kind: sorted(schema[kind]) for kind in ("resource", "data", "ephemeral")}
    target = Path(__file__).resolve().parent.parent / "checker" / "data" / "aws_types.json"
    target.write_text(json.dumps({"provider_version": schema["provider_version"], **names}, indent=0) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
