"""gateaudit: policy-as-code compliance checks for API Gateway stacks guarded by Lambda authorizers."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("gateaudit")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
