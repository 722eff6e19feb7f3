"""Canonical N-Quads details that signatures depend on, and RFC 8785 (JCS)."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tessera.credentials.canonical import CanonicalizationError, jcs, jcs_reference, rdfc
from tessera.credentials.jsonld.rdf import canonical_double, literal_escape
from tessera.credentials.jsonld.rdfc import CanonicalizationLimitError, canonical_nquads

EXAMPLE = "https://www.w3.org/ns/credentials/examples/v2"
V2 = "https://www.w3.org/ns/credentials/v2"


def test_control_characters_are_escaped_as_rdfc_requires() -> None:
    # ECHAR for \b \t \n \f \r " \ ; UCHAR (uppercase hex) for the other C0 controls and DEL.
    text = "".join(chr(c) for c in range(0x20)) + '\x7f"\\é😀'
    expected = (
        "\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000B\\f\\r"
        "\\u000E\\u000F\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019"
        '\\u001A\\u001B\\u001C\\u001D\\u001E\\u001F\\u007F\\"\\\\é😀'
    )
    assert literal_escape(text) == expected
    document = {"@context": [V2, EXAMPLE], "id": "urn:x:1", "note": text}
    assert f'"{expected}"' in rdfc(document)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.5, "1.5E0"),
        (0.1, "1.0E-1"),
        (1e21, "1.0E21"),
        (-123.456, "-1.23456E2"),
        (5e-324, "4.940656458412465E-324"),
    ],
)
def test_doubles_are_written_as_jsonld_js_writes_them(value: float, expected: str) -> None:
    assert canonical_double(value) == expected


def test_number_literals_follow_javascript() -> None:
    document = {"@context": [V2, EXAMPLE], "id": "urn:x:1", "a": 5.0, "b": 7.5, "c": True}
    nquads = rdfc(document)
    assert '"5"^^<http://www.w3.org/2001/XMLSchema#integer>' in nquads
    assert '"7.5E0"^^<http://www.w3.org/2001/XMLSchema#double>' in nquads
    assert '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>' in nquads


def test_blank_nodes_are_labelled_independently_of_input_order() -> None:
    one = {"@context": [V2, EXAMPLE], "knows": [{"name": "a"}, {"name": "b"}]}
    two = {"@context": [V2, EXAMPLE], "knows": [{"name": "b"}, {"name": "a"}]}
    assert rdfc(one) == rdfc(two)
    assert "_:c14n0" in rdfc(one)


def test_symmetric_poison_graph_is_refused_not_hung() -> None:
    # A clique of blank nodes that all look alike: exponential work for Hash N-Degree Quads.
    nodes = [f"_:n{i}" for i in range(12)]
    quads = [(a, "<urn:p>", b, "") for a in nodes for b in nodes if a != b]
    with pytest.raises(CanonicalizationLimitError):
        canonical_nquads(quads)


# RFC 8785 --------------------------------------------------------------------------------


def test_jcs_rfc8785_examples() -> None:
    # RFC 8785 section 3.2.2 (sorting) and 3.2.3 (numbers, strings)
    value = {
        "numbers": [333333333.33333329, 1e30, 4.50, 2e-3, 0.000000000000000000000000001],
        "string": "\u20ac$\u000f\u000aA'\u0042\u0022\u005c\\\"/",
        "literals": [None, True, False],
    }
    assert jcs(value) == (
        b'{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        b'"string":"\xe2\x82\xac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )
    # keys sort by UTF-16 code units: U+1D11E (surrogates D834 DD1E) before U+FB33
    assert jcs({"\ufb33": 1, "\U0001d11e": 2, "\u00e9": 3}) == (
        '{"\u00e9":3,"\U0001d11e":2,"\ufb33":1}'.encode()
    )


def test_jcs_refuses_what_json_cannot_say() -> None:
    with pytest.raises(CanonicalizationError):
        jcs({"x": math.nan})
    with pytest.raises(CanonicalizationError):
        jcs({"x": 2**64})


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=5), children, max_size=4)
        ),
        max_leaves=12,
    )
)
def test_jcs_is_stable_json(value: Any) -> None:
    import json

    encoded = jcs(value)
    assert json.loads(encoded) == value
    assert jcs(json.loads(encoded)) == encoded


@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers(-(2**60), 2**60)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=5), children, max_size=4)
        ),
        max_leaves=12,
    )
)
def test_fast_jcs_path_equals_the_reference_library(value: Any) -> None:
    try:
        expected = jcs_reference(value)
    except Exception:
        with pytest.raises(CanonicalizationError):
            jcs(value)
        return
    assert jcs(value) == expected


def test_double_ties_round_up_as_in_javascript() -> None:
    # 953490997263794.25 has 17 significant digits ending in 5: JavaScript's toExponential(15)
    # rounds the tie up (…943), Python's format would round half to even (…942).
    assert canonical_double(953490997263794.25) == "9.534909972637943E14"
    assert canonical_double(-953490997263794.25) == "-9.534909972637943E14"
    assert canonical_double(1e23) == "9.999999999999999E22"  # 1e23 is not exact in binary
