#!/usr/bin/env python3
"""Writes the demo's instrument master (config/examples/instruments/demo.csv).

The demo (config/examples/demo.yaml) trades a full SPY chain, SPY and QQQ shares, a QQQ chain and
the two nearest ES futures. Listed options and futures expire, so the chain is generated from a
date: the next MONTHS monthly expiries (third Fridays) on or after it, plus two fixed December
LEAPS expiries that the demo's native combos, scripted events and negotiation interests name (so
demo.yaml never needs rewriting while they last); the ES futures are the next two quarterly
contracts (third Friday of March, June, September, December).

  scripts/demo_instruments.py [--from YYYY-MM-DD] [--months N] [--out FILE]

--from defaults to today (UTC). The committed file was written with the date in its header;
regenerate it when its first expiries have passed (combo-routerd skips expired rows, logging how
many, so an old file still loads, with a thinner chain). Ids are stable: an instrument's id is
derived from its terms, so a regenerated file keeps the id of every contract it still lists
(the journal and FIX SecurityIDs refer to instruments by id).
"""

import argparse
import datetime
import os
import sys

# The LEAPS expiries the demo's YAML names (third Fridays of December).
LEAPS = [datetime.date(2028, 12, 15), datetime.date(2029, 12, 21)]
SPY_STRIKES = range(380, 521, 5)
QQQ_STRIKES = range(350, 451, 5)
# Listings: every venue that lists a contract, by product.
SPY_SHARES_VENUES = "OPT-C;STK;NEGO"
QQQ_SHARES_VENUES = "STK;NEGO"
FUTURE_VENUES = "FUT"
# Tick rules (docs/OPERATIONS.md "Tick rules"). Shares: 0.01, sub-penny 0.0001 below 1.00 (SEC
# Rule 612). Options: the Penny Interval Program's rule, 0.01 below 3.00 and 0.05 from 3.00 (the
# live SPY and QQQ classes quote in 0.01 at every price; the demo gives them the program's usual
# banded rule so that price-dependent ticks are exercised). ES: 0.25 index points.
SHARES_TICK = "0.0001<1.00;0.01"
OPTION_TICK = "0.01<3.00;0.05"
FUTURE_TICK = "0.25"


def third_friday(year, month):
    first = datetime.date(year, month, 1)
    # Friday is weekday 4.
    return first + datetime.timedelta(days=(4 - first.weekday()) % 7 + 14)


def monthly_expiries(start, count):
    out = []
    year, month = start.year, start.month
    while len(out) < count:
        day = third_friday(year, month)
        if day >= start:
            out.append(day)
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return out


def quarterly_futures(start, count):
    codes = {3: "H", 6: "M", 9: "U", 12: "Z"}
    out = []
    year, month = start.year, start.month
    while len(out) < count:
        if month in codes:
            day = third_friday(year, month)
            if day >= start:
                out.append((f"ES{codes[month]}{year % 10}", day))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return out


def option_id(base, expiry, right, strike):
    # Stable ids: root block + days since 2020 x 1000 + right x 500 + strike index.
    days = (expiry - datetime.date(2020, 1, 1)).days
    return base + days * 1000 + (0 if right == "C" else 500) + strike // 5


def spy_option_venues(strike):
    # OPT-C lists the strikes near the money only; the negotiation network lists every one.
    near = 420 <= strike <= 480
    return "OPT-A;OPT-B;OPT-C;NEGO" if near else "OPT-A;OPT-B;NEGO"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="start", default=None, help="YYYY-MM-DD (default today)")
    parser.add_argument("--months", type=int, default=4, help="monthly expiries (default 4)")
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    parser.add_argument("--out", default=os.path.join(root, "config/examples/instruments/demo.csv"))
    args = parser.parse_args()
    start = (datetime.date.fromisoformat(args.start) if args.start
             else datetime.datetime.now(datetime.timezone.utc).date())
    months = monthly_expiries(start, args.months)
    spy_expiries = sorted(set(months) | {d for d in LEAPS if d >= start})

    rows = []
    rows.append((1, "SPY", "etf", "", "", "", "", "1", SHARES_TICK, SPY_SHARES_VENUES))
    rows.append((2, "QQQ", "etf", "", "", "", "", "1", SHARES_TICK, QQQ_SHARES_VENUES))
    for index, (symbol, expiry) in enumerate(quarterly_futures(start, 2)):
        future_id = 100 + (expiry.year % 100) * 4 + (expiry.month // 3)
        rows.append((future_id, symbol, "future", "ES", expiry.isoformat(), "", "", "50", FUTURE_TICK,
                     FUTURE_VENUES))
    for expiry in spy_expiries:
        for right in ("C", "P"):
            for strike in SPY_STRIKES:
                rows.append((option_id(1_000_000, expiry, right, strike), "", "option", "SPY",
                             expiry.isoformat(), str(strike), right, "100", OPTION_TICK,
                             spy_option_venues(strike)))
    for expiry in months:
        for right in ("C", "P"):
            for strike in QQQ_STRIKES:
                rows.append((option_id(100_000_000, expiry, right, strike), "", "option", "QQQ",
                             expiry.isoformat(), str(strike), right, "100", OPTION_TICK,
                             "OPT-A;OPT-B"))

    lines = [
        "# The demo's instrument master (config/examples/demo.yaml: instruments_file).",
        f"# Written by scripts/demo_instruments.py --from {start.isoformat()} --months {args.months};",
        "# regenerate it the same way with a later date once its first expiries have passed.",
        "id,symbol,asset_class,underlying,expiry,strike,right,multiplier,tick,venues",
    ]
    lines += [",".join(str(field) for field in row) for row in rows]
    with open(args.out, "w", encoding="ascii") as out:
        out.write("\n".join(lines) + "\n")
    print(f"{args.out}: {len(rows)} instruments, SPY expiries "
          f"{', '.join(d.isoformat() for d in spy_expiries)}", file=sys.stderr)


if __name__ == "__main__":
    main()
