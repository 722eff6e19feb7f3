"""REST API of exchange rates: GET /api/v1/exchange-rates (public: rates are public reference
data) and PUT (platform administrators) with the ECB's CSV or a JSON list of rates."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Request

from tessera.errors import FieldProblem, InvalidInput
from tessera.exchange import services
from tessera.exchange.schemas import ExchangeRateIn, ExchangeRatePublic, RatesImportSummary
from tessera.web.deps import DB, ApiActor
from tessera.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1", tags=["exchange rates"])

MAX_BODY = 64 * 1024  # the ECB's daily file is under 1 kB
CSV_TYPES = ("text/csv", "text/plain")


def _too_large() -> InvalidInput:
    return InvalidInput("Body too large", [FieldProblem("body", "at most 64 KiB")])


async def _bounded_body(request: Request) -> bytes:
    """The body, read no further than MAX_BODY (a huge upload is refused, never buffered)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise _too_large()
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise _too_large()
    return bytes(body)


@router.get("/exchange-rates", response_model=list[ExchangeRatePublic])
def list_rates(db: DB) -> list[ExchangeRatePublic]:
    """Every rate held: units of the currency one euro buys (EUR itself is always 1)."""
    return services.current_rates(db)


@router.put(
    "/exchange-rates",
    response_model=RatesImportSummary,
    responses=PROBLEM_RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {
                    "schema": {"type": "array", "items": ExchangeRateIn.model_json_schema()}
                },
            },
        }
    },
)
async def put_rates(request: Request, db: DB, actor: ApiActor) -> RatesImportSummary:
    """Set rates: the ECB's reference-rates file (`eurofxref.csv`) as `text/csv`, or a JSON
    list of `{currency, per_euro, as_of, source?}`. Rates not named are kept; a rate older
    than the one held is not applied. Any problem: 422, nothing written."""
    services.require_rates_admin(actor)  # before reading the body: 401/403 first
    body = await _bounded_body(request)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type in CSV_TYPES:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput(
                "Body is not UTF-8 text", [FieldProblem("body", "not UTF-8")]
            ) from None
        return services.import_ecb_csv(db, actor, text, file="body")
    try:
        items = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise InvalidInput(
            "Body is neither JSON nor text/csv",
            [FieldProblem("body", "send a JSON list of rates, or the ECB CSV as text/csv")],
        ) from None
    return services.set_rates(db, actor, items)
