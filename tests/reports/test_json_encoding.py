"""The reports' JSON encoder writes exactly what `json.dumps(value, indent=2, ensure_ascii=False)` writes."""

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gateaudit.reports._json import dumps

SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                      | st.dictionaries(st.text() | st.integers() | st.booleans() | st.none() | st.floats(),
                                        inner, max_size=4), max_leaves=30)


@settings(max_examples=500, deadline=None)
@given(VALUES)
def test_the_same_text_as_the_standard_encoder(value):
    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("value", [{}, [], {"a": {}}, [[]], {"é\n\u2028": "\x00\"\\"}, math.nan, -math.inf,
                                   {1.5: 1, True: 2, None: 3}, ("a", ("b",))])
def test_edges(value):
    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("value", [{"a": object()}, {(1, 2): "tuple key"}, {1, 2}])
def test_what_json_refuses_is_refused(value):
    with pytest.raises(TypeError) as standard:
        json.dumps(value, indent=2, ensure_ascii=False)
    with pytest.raises(TypeError) as ours:
        dumps(value)
    assert str(ours.value) == str(standard.value)


@settings(max_examples=200, deadline=None)
@given(VALUES)
def test_a_value_inside_others_is_indented_as_the_standard_encoder_indents_it(value):
    assert dumps(value, depth=2) == json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n    ")


@settings(max_examples=300, deadline=None)
@given(st.text(), st.none() | st.text(), st.none() | st.text() | st.integers(), st.integers() | st.none(),
       st.none() | st.tuples(st.text(), st.none() | st.text()))
def test_a_result_is_written_as_the_standard_encoder_writes_its_fields(message, attribute, file, line, suppressed):
    """The JSON report writes results with a template of its own: the same text, whatever a field holds."""
    from gateaudit.reports.json_report import _RESULT_KEYS, _result
    from gateaudit.result import Result, Severity, Status, SuppressionRecord

    suppression = None if suppressed is None else SuppressionRecord("inline", suppressed[0], "main.tf", 3,
                                                                    suppressed[1])
    result = Result("GA101", "authorizer-attached", Severity.HIGH, Status.FAILED, "aws_x.y", file, line, message,
                    attribute=attribute, suppression=suppression)
    written = dict(zip(_RESULT_KEYS, (
        "GA101", "gateaudit", "authorizer-attached", "failed", "high", "aws_x.y", attribute, file, line, message,
        "fix it", None if suppression is None else {"source": "inline", "reason": suppressed[0], "file": "main.tf",
                                                   "line": 3, "until": suppressed[1]}), strict=True))
    assert _result(result, {"GA101": "fix it"}) == json.dumps(written, indent=2, ensure_ascii=False).replace(
        "\n", "\n    ")
