"""Fixtures for the authorizer's tests: the handler module loaded from its file, fakes for Secrets Manager and the
clock, API Gateway events, and the JSON lines the handler logs."""

import copy
import importlib.util
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from botocore.exceptions import ClientError

ROOT = Path(__file__).resolve().parents[2]
HANDLER_PATH = ROOT / "stack" / "authorizer" / "handler.py"
EVENTS = Path(__file__).resolve().parent / "events"

SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:gateaudit-api-key-AbCdEf"
CURRENT_KEY = "current-key-4f1c9a7e2b8d6035"
PREVIOUS_KEY = "previous-key-8e3b5d0a6c2f9147"
# Every environment variable the handler or boto3's endpoint resolution reads, cleared before each test.
SETTINGS = ("API_KEY_SECRET_ARN", "SECRET_CACHE_TTL_SECONDS", "SECRET_REFRESH_MIN_INTERVAL_SECONDS",
            "RESPONSE_FORMAT", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SECRETS_MANAGER")


@pytest.fixture(scope="session")
def handler_module():
    """stack/authorizer/handler.py, imported from its path as Lambda would (not installed, not on sys.path)."""
    spec = importlib.util.spec_from_file_location("stack_authorizer_handler", HANDLER_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def authorizer(handler_module, monkeypatch):
    """The handler module as a fresh execution environment: nothing cached, no settings but the secret's ARN."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("API_KEY_SECRET_ARN", SECRET_ARN)
    handler_module.reset()
    yield handler_module
    handler_module.reset()


def not_found(stage: str) -> ClientError:
    message = f"Secrets Manager can't find the specified secret value for staging label: {stage}"
    return ClientError({"Error": {"Code": "ResourceNotFoundException", "Message": message}}, "GetSecretValue")


class FakeSecrets:
    """Stands in for a boto3 Secrets Manager client: GetSecretValue by version stage, every call recorded."""

    def __init__(self, current: Any = CURRENT_KEY, previous: Any = PREVIOUS_KEY):
        self.versions: dict[str, Any] = {"AWSCURRENT": current, "AWSPREVIOUS": previous}
        self.calls: list[tuple[str, str]] = []
        self.error: Exception | None = None  # raised by every call while set
        self.clients_built = 0  # how many times the handler built a client through its seam

    def rotate(self, new_key: str) -> None:
        """What PutSecretValue does: the new value becomes AWSCURRENT, the current one AWSPREVIOUS."""
        self.versions = {"AWSCURRENT": new_key, "AWSPREVIOUS": self.versions["AWSCURRENT"]}

    def get_secret_value(self, *, SecretId: str, VersionStage: str) -> dict[str, Any]:  # boto3's parameter names
        self.calls.append((SecretId, VersionStage))
        if self.error is not None:
            raise self.error
        value = self.versions.get(VersionStage)
        if value is None:
            raise not_found(VersionStage)
        field = "SecretBinary" if isinstance(value, bytes) else "SecretString"
        return {"ARN": SecretId, "Name": "gateaudit-api-key", field: value, "VersionStages": [VersionStage]}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeContext:
    aws_request_id = "5f0c2a9e-1d3b-4c7a-8e6f-0b9d2c4a6e8f"


@pytest.fixture
def secrets(authorizer, monkeypatch) -> FakeSecrets:
    """A fake Secrets Manager holding CURRENT_KEY and PREVIOUS_KEY, built through the handler's client seam."""
    fake = FakeSecrets()

    def build() -> FakeSecrets:
        fake.clients_built += 1
        return fake

    monkeypatch.setattr(authorizer, "new_secrets_client", build)
    return fake


@pytest.fixture
def clock(authorizer, monkeypatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(authorizer, "clock", fake)
    return fake


def load_event(name: str) -> dict[str, Any]:
    return json.loads((EVENTS / name).read_text())


def with_headers(event: dict[str, Any], headers: dict[str, Any]) -> dict[str, Any]:
    """The event with these headers, in the shape its API sends them (REST also sends multiValueHeaders)."""
    event = copy.deepcopy(event)
    event["headers"] = dict(headers)
    if "multiValueHeaders" in event:
        event["multiValueHeaders"] = {name: [value] for name, value in headers.items()}
    if event.get("version") == "2.0":
        event["identitySource"] = [v for k, v in headers.items() if isinstance(k, str) and k.lower() == "x-api-key"]
    return event


def with_key(event: dict[str, Any], key: str | None, header: str = "x-api-key") -> dict[str, Any]:
    """The event with its x-api-key header (whatever case the fixture uses) replaced by `header: key`, or removed."""
    headers = {k: v for k, v in event["headers"].items() if k.lower() != "x-api-key"}
    if key is not None:
        headers[header] = key
    return with_headers(event, headers)


@pytest.fixture(scope="session")
def rest_event() -> dict[str, Any]:
    return load_event("rest_request_authorizer.json")


@pytest.fixture(scope="session")
def http_event() -> dict[str, Any]:
    return load_event("http_v2_authorizer.json")


@pytest.fixture
def invoke(authorizer):
    def run(event: Any) -> Any:
        return authorizer.handler(event, FakeContext())

    return run


@pytest.fixture
def log_lines(capsys):
    """Read what the handler wrote to stdout since the last read: one JSON object per line, never a test key."""

    def read() -> list[dict[str, Any]]:
        out = capsys.readouterr().out
        assert CURRENT_KEY not in out and PREVIOUS_KEY not in out
        return [json.loads(line) for line in out.splitlines()]

    return read


@pytest.fixture(scope="session")
def support() -> SimpleNamespace:
    """This file's constants, fakes and helpers: test modules cannot import a conftest under --import-mode=importlib."""
    return SimpleNamespace(
        SECRET_ARN=SECRET_ARN, CURRENT_KEY=CURRENT_KEY, PREVIOUS_KEY=PREVIOUS_KEY, FakeSecrets=FakeSecrets,
        FakeClock=FakeClock, FakeContext=FakeContext, load_event=load_event, with_headers=with_headers,
        with_key=with_key, not_found=not_found,
    )
