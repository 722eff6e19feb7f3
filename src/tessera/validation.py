"""Shared input rules: turning Pydantic errors into field problems, and common field types."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, StringConstraints, ValidationError

from tessera.errors import FieldProblem, InvalidInput

M = TypeVar("M", bound=BaseModel)

# ISO 3166-1 alpha-2 codes (officially assigned), so a typo never becomes a "country".
ISO_COUNTRIES = frozenset(
    """AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI
    BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN
    CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK
    FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
    HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK
    ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP
    NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
    SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF
    TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW""".split()
)

# ISO 4217 codes a price may be given in.
CURRENCIES = frozenset(
    """EUR USD GBP CHF SEK NOK DKK PLN CZK HUF RON BGN ISK
    CAD AUD NZD JPY CNY INR SGD ZAR BRL MXN""".split()
)


def _country(value: str) -> str:
    code = value.upper()
    if code not in ISO_COUNTRIES:
        raise ValueError(f"'{value}' is not an ISO 3166-1 alpha-2 country code")
    return code


def _currency(value: str) -> str:
    code = value.upper()
    if code not in CURRENCIES:
        raise ValueError(f"'{value}' is not a supported ISO 4217 currency code")
    return code


def _http_url(value: str) -> str:
    if not value.startswith(("https://", "http://")) or len(value) < 11 or " " in value:
        raise ValueError("must be an http(s) URL")
    return value


CountryCode = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_country)]
CurrencyCode = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_currency)]
HttpUrlStr = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(_http_url)
]
Slug = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        min_length=2,
        max_length=64,
        pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    ),
]


def _bounded(max_length: int, min_length: int = 1) -> Any:
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


# Text fields: trimmed and bounded, so over-long input is refused instead of stored.
Name = Annotated[str, _bounded(200)]
Line = Annotated[str, _bounded(500)]
Paragraph = Annotated[str, _bounded(5_000)]
ParagraphOrEmpty = Annotated[str, _bounded(5_000, min_length=0)]
LongText = Annotated[str, _bounded(20_000)]


def field_problems(error: ValidationError, root: str = "__root__") -> list[FieldProblem]:
    """One problem per error; `root` names a problem with the whole input."""
    problems = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or root
        message = item["msg"].removeprefix("Value error, ")
        problems.append(FieldProblem(field=field, message=message))
    return problems


def parse(model: type[M], data: Any) -> M:
    """Validate `data` into `model`, raising InvalidInput with one problem per bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = field_problems(error)
        summary = "; ".join(f"{p.field}: {p.message}" for p in problems[:5])
        raise InvalidInput(f"Invalid {model.__name__}: {summary}", problems) from None
