#!/usr/bin/env python3
"""Drives combo orders into a live combo-routerd over FIX with combo-client, for deploy tests.

The demo config's simulator fills the venues' books; this sends brokers' orders through the
daemon's FIX acceptor (the demo's sessions BROKER1 and BROKER2 -> COMBO) so that orders are
routed natively and implied, leg-ins start and end, and the dashboards have something real to
show: a call spread no venue lists (defined, quoted, bought through its offer: legged in), the
demo's native call spread (defined on its own session, bought through its best offer, native or
implied), and a limit on it far from the market that rests (the router's native or working
decision). Rounds repeat until the daemon's own metrics show accepted
orders and leg-ins (bounded). Prices come from the daemon's own quotes (MarketDataRequest), so
every limit is marketable and inside the price collar.

Python 3 standard library only.
"""

import concurrent.futures
import decimal
import json
import subprocess
import time

import live_stack

# The demo's two FIX sessions (config/examples/demo.yaml), used side by side: combo-client logs
# on and off for every request (~2.5 s), so two sessions halve the time this takes.
BROKER1 = ("BROKER1", [])
BROKER2 = ("BROKER2", ["--username", "broker2", "--password", "demo-only-password"])
# A call spread no venue lists natively: it can only be legged in (implied).
IMPLIED_ONLY = "SPY 20281215 C 440 +1 / SPY 20281215 C 450 -1"
# The demo's native call spread (OPT-A and OPT-B list it): native or implied. The gateway
# takes orders only for combos the session defined (SecurityDefinitionRequest), so it is defined
# like the other, on the session that trades it.
NATIVE = "SPY 20281215 C 450 +1 / SPY 20281215 C 460 -1"
TICK = decimal.Decimal("0.01")


def metric_sum(scrape, family, labels=""):
    total = 0.0
    for line in scrape.splitlines():
        if (line.startswith(family + " ") or line.startswith(family + "{")) and labels in line:
            total += float(line.rsplit(None, 1)[1])
    return total


class Client:
    """combo-client runs against the stack's FIX acceptor, on one session."""

    def __init__(self, stack, session):
        self.stack = stack
        self.sender, self.credentials = session
        self.store = stack.tmp / f"combo-client-store-{self.sender}"
        self.store.mkdir(exist_ok=True)
        self.sent = 0

    def run(self, *command):
        argv = [str(self.stack.client), "--host", "127.0.0.1", "--port", str(self.stack.fix_port),
                "--sender", self.sender, *self.credentials, "--store", str(self.store),
                "--timeout", "5", "--json", *command]
        # Exit 1 is a rejected request (a risk denial is an event the dashboards count too).
        result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                timeout=30, check=False)
        out = result.stdout.decode("utf-8", "replace")
        if result.returncode not in (0, 1):
            raise live_stack.StackError(f"combo-client {' '.join(command)} exited "
                                        f"{result.returncode}:\n{out[-2000:]}")
        messages = []
        for line in out.splitlines():
            if line.startswith("{"):
                messages.append(json.loads(line))
        return messages

    def define(self, legs):
        for m in self.run("define", legs):
            if m.get("SecurityID"):
                return m["SecurityID"]
        raise live_stack.StackError(f"combo-client define {legs!r} returned no SecurityID")

    def best_ask(self, combo_id):
        """The combo's best offer now (native or implied), or None without one."""
        for m in self.run("quote", str(combo_id), "--count", "1"):
            for entry in m.get("NoMDEntries", []):
                if entry.get("MDEntryType") == "1":
                    return decimal.Decimal(entry["MDEntryPx"])
        return None

    def buy(self, combo_id, limit):
        self.sent += 1
        return self.run("buy", "1", "--combo", str(combo_id), "--limit", str(limit),
                        "--id", f"deploy-test-{self.sender}-{self.sent}")


def marketable(ask):
    """A buy limit two ticks through the offer, on the tick: it trades, inside the price collar."""
    return ask.quantize(TICK, rounding=decimal.ROUND_CEILING) + 2 * TICK


def buy_through_offer(client, combo_id):
    ask = client.best_ask(combo_id)
    if ask is not None:
        client.buy(combo_id, marketable(ask))


def implied_round(client, implied_id):
    buy_through_offer(client, implied_id)


def native_round(client, native_id):
    buy_through_offer(client, native_id)
    # One far from the market: it rests (native) or waits (working) rather than trading.
    client.buy(native_id, decimal.Decimal("0.05"))


def drive(stack, timeout=60):
    """Buys combos through the daemon until it has legged in and routed orders (bounded)."""
    first, second = Client(stack, BROKER1), Client(stack, BROKER2)
    deadline = time.monotonic() + timeout
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        defining = [pool.submit(first.define, IMPLIED_ONLY), pool.submit(second.define, NATIVE)]
        implied_id, native_id = (d.result() for d in defining)
        while True:
            rounds = [pool.submit(implied_round, first, implied_id),
                      pool.submit(native_round, second, native_id)]
            for r in rounds:
                r.result()
            scrape = stack.scrape()
            accepted = metric_sum(scrape, "combo_orders_total", 'outcome="accepted"')
            legins = metric_sum(scrape, "combo_legin_attempts_total")
            # The routing panel shows decisions other than leg-ins too: a native rest or a hold.
            not_implied = (metric_sum(scrape, "combo_router_decisions_total", 'outcome="native"')
                           + metric_sum(scrape, "combo_router_decisions_total",
                                        'outcome="working"'))
            print(f"   {first.sent + second.sent} orders sent: {accepted:.0f} accepted, "
                  f"{legins:.0f} leg-ins, {not_implied:.0f} native or working decisions",
                  flush=True)
            if accepted >= 2 and legins >= 1 and not_implied >= 1:
                return
            if time.monotonic() > deadline:
                raise live_stack.StackError(
                    f"after {first.sent + second.sent} orders the daemon shows {accepted:.0f} "
                    f"accepted orders, {legins:.0f} leg-ins and {not_implied:.0f} native or "
                    "working decisions (want >= 2, >= 1, >= 1)\n"
                    + live_stack.tail(stack.daemon_log))


if __name__ == "__main__":
    raise SystemExit("order_flow is a module of the deploy tests")
