"""Money amounts in text ("EUR 12.5 million", "$30M", "5 M€", "2 billion kronor") and
their conversion to EUR by the profile's dated rate table."""

from __future__ import annotations

import bisect
import csv
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from scintel.nlp.datafiles import data_error

SYMBOLS = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "m€": "EUR", "k€": "EUR",
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
    "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "sterling": "GBP",
    "chf": "CHF", "swiss francs": "CHF", "francs": "CHF",
    "dkk": "DKK", "danish kroner": "DKK", "sek": "SEK", "swedish kronor": "SEK",
    "nok": "NOK", "norwegian kroner": "NOK", "jpy": "JPY", "yen": "JPY", "¥": "JPY",
    "cny": "CNY", "rmb": "CNY", "yuan": "CNY", "cad": "CAD", "c$": "CAD",
}  # fmt: skip
SCALES = {
    "k": 10**3, "thousand": 10**3, "m": 10**6, "mn": 10**6, "mio": 10**6, "million": 10**6,
    "millions": 10**6, "b": 10**9, "bn": 10**9, "billion": 10**9, "billions": 10**9,
}  # fmt: skip
_PRE = r"(?P<pre>us\$|c\$|€|\$|£|¥|eur|usd|gbp|chf|dkk|sek|nok|jpy|cny|rmb|cad)"
# Thousands grouped by commas, points or (as EU texts write them) spaces: "€9 000 000".
_NUM = r"(?P<num>\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
_SCALE = r"(?P<scale>k|thousand|mn|mio|million|millions|m|bn|billion|billions|b)"
_POST = (
    r"(?P<post>m€|k€|€|eur|euros?|usd|dollars?|gbp|pounds?|sterling|swiss francs|francs|chf|"
    r"danish kroner|dkk|swedish kronor|sek|norwegian kroner|nok|jpy|yen|cny|rmb|yuan|cad)"
)
# A range is one amount ("EUR 5 and 7 million", "$7 billion to $10 billion", "EUR 2-5 million"),
# valued at its upper end.
RANGED = re.compile(
    rf"(?<![\w$€£¥]){_PRE}\s?(?P<low>\d+(?:[.,]\d+)?)(?:\s?(?P<lowscale>k|thousand|mn|million|m|bn|billion|b))?"
    rf"\s?(?:-|–|to|and)\s?(?:(?P<pre2>us\$|c\$|€|\$|£|¥|eur|usd|gbp|chf|dkk|sek|nok|jpy|cny|rmb|cad)\s?)?"
    rf"{_NUM}\s?{_SCALE}(?!\w)",
    re.I,
)
# A scale word may be hyphenated to its number, as an adjective: "a $2.15-million grant".
PREFIXED = re.compile(
    rf"(?<![\w$€£¥]){_PRE}\s?{_NUM}(?:(?:\s?|-(?=[a-z]{{4}})){_SCALE})?(?!\w)", re.I
)
SUFFIXED = re.compile(rf"(?<![\w.,]){_NUM}(?:\s?{_SCALE})?\s?{_POST}(?!\w)", re.I)
# The symbol before its scale, as some EU texts write it: "135€ million".
SYMBOL_SCALED = re.compile(rf"(?<![\w.,]){_NUM}\s?(?P<post>€|\$|£)\s?{_SCALE}(?!\w)", re.I)
# A price's unit after its amount: "4.5 €/kg", "EUR 3/tonne". The unit is kept beside the
# amount, outside its span: the guide's MONEY is the amount with its currency ("$0.96" of
# "$0.96/L"), as annotators mark 9 of the corpus's 12 prices.
PER_UNIT = re.compile(
    r"\s?/\s?(?:kg|g|t|tonnes?|tons?|l|litres?|liters?|gal(?:lons?)?|lbs?|mwh|kwh|gj|year|yr|"
    r"month|day|dose|unit)(?![\w/])",
    re.I,
)


@dataclass(frozen=True)
class Amount:
    value: Decimal
    currency: str
    start: int
    end: int
    text: str
    unit: str = ""  # a price's unit ("kg" in "4.5 €/kg"): a price, not a sum of money


def _number(raw: str) -> Decimal | None:
    """'1,200,000' / '1.200.000' / '9 000 000' / '12,5' / '12.5' as a Decimal."""
    raw = re.sub(r"(?<=\d)[ \u00a0\u202f\u2009](?=\d{3})", "", raw)
    if re.fullmatch(r"\d{1,3}([.,])\d{3}(\1\d{3})*", raw):
        raw = re.sub(r"[.,]", "", raw)
    elif re.fullmatch(r"\d{1,3}(,\d{3})+\.\d+", raw):
        raw = raw.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+,\d+", raw):
        raw = raw.replace(".", "").replace(",", ".")
    else:
        raw = raw.replace(",", ".")
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def find_amounts(text: str) -> list[Amount]:
    """Every money amount in the text, with its currency and offsets."""
    found: list[Amount] = []
    matches = [
        *RANGED.finditer(text),
        *SYMBOL_SCALED.finditer(text),
        *PREFIXED.finditer(text),
        *SUFFIXED.finditer(text),
    ]
    taken: list[tuple[int, int]] = []
    for match in sorted(matches, key=lambda m: (m.start(), -m.end())):
        if any(match.start() < end and start < match.end() for start, end in taken):
            continue
        taken.append(match.span())
        number = _number(match.group("num") or "")
        groups = match.groupdict()
        marker = (groups.get("pre") or groups.get("post") or "").lower()
        currency = SYMBOLS.get(marker)
        if number is None or currency is None:
            continue
        scale = (match.group("scale") or "").lower()
        factor = SCALES.get(scale, 1)
        if marker == "m€":
            factor = 10**6
        elif marker == "k€":
            factor = 10**3
        per = PER_UNIT.match(text, match.end())
        unit = per.group(0).strip(" /") if per else ""
        found.append(
            Amount(number * factor, currency, match.start(), match.end(), match.group(0), unit)
        )
    return found


@dataclass(frozen=True)
class Conversion:
    eur: Decimal
    rate: Decimal
    rate_date: date


class RateTable:
    """EUR per unit of each currency on given dates; a conversion uses the last rate on
    or before the document's date, or the earliest one for older documents."""

    def __init__(self, rows: list[tuple[date, str, Decimal]]) -> None:
        self._rates: dict[str, list[tuple[date, Decimal]]] = {}
        for day, currency, rate in sorted(rows):
            self._rates.setdefault(currency, []).append((day, rate))
        self._rates.setdefault("EUR", [(date(1999, 1, 1), Decimal(1))])

    @property
    def currencies(self) -> list[str]:
        return sorted(self._rates)

    def to_eur(self, value: Decimal, currency: str, on: date | None) -> Conversion | None:
        series = self._rates.get(currency)
        if not series:
            return None
        day = on or series[-1][0]
        index = bisect.bisect_right([d for d, _ in series], day) - 1
        rate_date, rate = series[max(index, 0)]
        return Conversion((value * rate).quantize(Decimal("0.01")), rate, rate_date)


def load_rates(path: Path) -> RateTable:
    """Read `date,currency,eur_per_unit` rows, naming the line of any bad row."""
    if not path.is_file():
        raise data_error(path, "file not found")
    rows: list[tuple[date, str, Decimal]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"date", "currency", "eur_per_unit"} - set(reader.fieldnames or [])
        if missing:
            raise data_error(path, f"missing columns: {', '.join(sorted(missing))}", 1)
        for row in reader:
            line = reader.line_num
            try:
                day = date.fromisoformat(row["date"].strip())
                rate = Decimal(row["eur_per_unit"].strip())
            except (ValueError, InvalidOperation, AttributeError):
                raise data_error(
                    path, "date must be YYYY-MM-DD and eur_per_unit a number", line
                ) from None
            currency = (row["currency"] or "").strip().upper()
            if not re.fullmatch(r"[A-Z]{3}", currency) or rate <= 0:
                raise data_error(path, "currency must be an ISO 4217 code, rate > 0", line)
            rows.append((day, currency, rate))
    return RateTable(rows)
