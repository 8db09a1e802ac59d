"""Every AWS call an audit makes, as botocore is about to send it: for the IAM policy test and the failure tests.

The recorder hooks the sessions `gateaudit.aws.session_for` gives (the `aws` fixture's, moto completed), so it
sees what the audit asks, once per call and once per page, never the HTTP retries below. The calls `complete_moto`
makes to answer the two calls moto lacks are its own, not the audit's: a call made while another is being
answered is not recorded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest


@dataclass(frozen=True)
class Call:
    """One call the audit made: enough to name the IAM action and the resource it needs."""

    prefix: str  # the IAM service prefix (botocore's signing name): "apigateway" for REST and HTTP APIs
    operation: str  # "GetRestApis"
    region: str
    http_method: str
    path: str  # the request path, without its query
    params: dict = field(compare=False)  # as the code passed them: FunctionName, RoleName, PolicyArn...

    @property
    def name(self) -> str:
        return f"{self.prefix}:{self.operation}"


Handler = Callable[..., Any]


def record(monkeypatch: pytest.MonkeyPatch, *handlers: tuple[str, Handler]) -> list[Call]:
    """Record every call of the audits that follow; `handlers` (event, handler) are registered on each audit
    session after the recorder, so a handler that answers or fails a call still sees it recorded."""
    from gateaudit import aws

    calls: list[Call] = []
    previous = aws.session_for

    def session_for(profile: str | None) -> Any:
        session = previous(profile)
        nesting = threading.local()  # a call answered by complete_moto makes calls of its own, on this thread

        def keep_params(params: dict, context: dict, **_: Any) -> None:
            context["recorded_params"] = dict(params)

        def before(model: Any, params: dict, request_signer: Any, context: dict, **_: Any) -> None:
            depth = getattr(nesting, "depth", 0)
            nesting.depth = depth + 1
            if depth == 0:
                calls.append(Call(model.service_model.signing_name, model.name, request_signer.region_name,
                                  params["method"], params["url_path"].split("?", 1)[0],
                                  context.get("recorded_params", {})))

        def after(**_: Any) -> None:
            nesting.depth -= 1

        session.events.register_first("before-parameter-build.*.*", keep_params)
        session.events.register_first("before-call.*.*", before)
        session.events.register_last("after-call.*.*", after)
        session.events.register_last("after-call-error.*.*", after)
        for event, handler in handlers:
            session.events.register(event, handler)
        return session

    monkeypatch.setattr(aws, "session_for", session_for)
    return calls
