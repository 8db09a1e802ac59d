"""gateaudit: policy-as-code compliance checks for API Gateway stacks guarded by Lambda authorizers."""

__version__ = "0.1.0"  # the one place the version is written; pyproject.toml reads it from here
