#!/usr/bin/env python3
"""Drives combo orders into a live combo-routerd over FIX with combo-client, for deploy tests.

The demo config's simulator fills the venues' books; this sends a broker's orders through the
daemon's FIX acceptor (session BROKER1 -> COMBO of config/examples/demo.yaml) so that routing
decisions are made natively and implied, leg-ins start, succeed or fail, and the dashboards have
something real to show: native combos (a call spread and a put spread listed in complex books),
combos no venue lists (legged in), a buy-write, and a limit far from the market that rests.
Orders go round until the daemon's own metrics show decisions and leg-ins (bounded).

Python 3 standard library only.
"""

import pathlib
import subprocess
import time

import live_stack

SENDER = "BROKER1"
# (side, quantity, legs, price arguments): what a broker might send on the demo's SPY options.
ORDERS = [
    ("buy", 2, "SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1", ["--market"]),
    ("buy", 1, "SPY 20261218 C 440 +1 / SPY 20261218 C 450 -1", ["--market"]),
    ("sell", 1, "SPY 20261218 P 450 +1 / SPY 20261218 P 440 -1", ["--market"]),
    ("buy", 1, "SPY 20270115 C 440 +1 / SPY 20261218 C 440 -1", ["--market"]),
    ("buy", 1, "SPY +100 / SPY 20261218 C 460 -1", ["--market"]),
    ("buy", 1, "SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1", ["--limit", "0.05"]),
]


def metric_sum(scrape, family):
    total = 0.0
    for line in scrape.splitlines():
        if line.startswith(family + " ") or line.startswith(family + "{"):
            total += float(line.rsplit(None, 1)[1])
    return total


def send(stack, client, store, side, quantity, legs, price, order_id):
    argv = [str(client), "--host", "127.0.0.1", "--port", str(stack.fix_port),
            "--sender", SENDER, "--store", str(store), "--timeout", "5",
            "--dictionary", str(stack.source_dir / "fix" / "spec" / "FIX44-combo.xml"),
            side, str(quantity), legs, *price, "--id", order_id]
    # Exit 1 is a rejected order (a risk denial is an event the dashboards count too).
    result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=20,
                            check=False)
    if result.returncode not in (0, 1):
        raise live_stack.StackError(f"combo-client {' '.join(argv[-6:])} exited "
                                    f"{result.returncode}:\n{result.stdout.decode()[-2000:]}")
    return result.stdout.decode()


def drive(stack, timeout=40):
    """Sends ORDERS round by round until decisions and leg-ins show in the daemon's metrics."""
    client = stack.client
    store = stack.tmp / "combo-client-store"
    store.mkdir(exist_ok=True)
    deadline = time.monotonic() + timeout
    sent = 0
    while True:
        for side, quantity, legs, price in ORDERS:
            sent += 1
            send(stack, client, store, side, quantity, legs, price, f"deploy-test-{sent}")
        scrape = stack.scrape()
        decisions = metric_sum(scrape, "combo_router_decision_seconds_count")
        legins = metric_sum(scrape, "combo_legin_attempts_total")
        print(f"   sent {sent} orders: {decisions:.0f} routing decisions, {legins:.0f} leg-ins",
              flush=True)
        if decisions >= len(ORDERS) and legins >= 1:
            return
        if time.monotonic() > deadline:
            raise live_stack.StackError(
                f"after {sent} orders the daemon shows {decisions:.0f} decisions and "
                f"{legins:.0f} leg-ins (want >= {len(ORDERS)} and >= 1)\n"
                + live_stack.tail(stack.daemon_log))
        time.sleep(0.5)


if __name__ == "__main__":
    raise SystemExit("order_flow is a module of the deploy tests")
