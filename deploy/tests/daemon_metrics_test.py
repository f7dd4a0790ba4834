#!/usr/bin/env python3
"""The daemon's real metrics against promtool and against every deploy file that reads them.

Starts combo-routerd (the demo config, loopback ephemeral ports) and a Prometheus scraping it
with the deploy/ rules, drives combo orders into it, then:
  1. `promtool check metrics` passes on a scrape of the daemon;
  2. every combo_ metric and label the Grafana dashboard, the console and the rules reference is
     in that scrape (metric_refs.py), and the Grafana rows match the console's panels;
  3. every Grafana and console query evaluates in Prometheus without error (Grafana's
     $__rate_interval, $__range and $instance substituted), and the dashboard's panels return
     data;
  4. every recording and alert rule evaluates with health "ok".

Exit 0 on success, 1 on failure. Python 3 standard library only.

Usage: daemon_metrics_test.py --daemon BIN --client BIN --config demo.yaml
                              --source-dir DIR --deploy-dir DIR [--artifacts DIR]
"""

import argparse
import json
import pathlib
import shutil
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import live_stack  # noqa: E402
import metric_refs  # noqa: E402
import order_flow  # noqa: E402

GRAFANA_VARIABLES = {"$__rate_interval": "1m", "$__range": "5m", "$__interval": "15s",
                     "$instance": ".*"}
CONSOLE_SELECTOR = 'job="combo-router"'


def grafana_query(expr):
    for name, value in GRAFANA_VARIABLES.items():
        expr = expr.replace(name, value)
    return expr


def console_query(expr):
    # metric_refs.console_expressions puts "x" where the template's printf has %s: the first is
    # the selector ({x} or {x,...}), the others label values.
    expr = expr.replace("{x}", "{" + CONSOLE_SELECTOR + "}")
    expr = expr.replace("{x,", "{" + CONSOLE_SELECTOR + ",")
    return expr.replace('"x"', '"none"')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--daemon", required=True)
    parser.add_argument("--client", required=True, help="combo-client, to send orders")
    parser.add_argument("--config", required=True)
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--deploy-dir", required=True)
    parser.add_argument("--artifacts")
    args = parser.parse_args()
    for tool in ("promtool", "prometheus"):
        if shutil.which(tool) is None:
            print(f"FAIL: {tool} is not installed: scripts/install_deps.sh installs it "
                  "(Debian package prometheus)")
            return 1
    deploy = pathlib.Path(args.deploy_dir)
    problems = []

    with live_stack.LiveStack(args.daemon, args.client, args.config, args.source_dir,
                              deploy) as stack:
        with live_stack.stage("drive combo orders into the daemon"):
            order_flow.drive(stack)
        scrape = stack.scrape()
        if args.artifacts:
            out = pathlib.Path(args.artifacts)
            out.mkdir(parents=True, exist_ok=True)
            (out / "combo-routerd-metrics.txt").write_text(scrape)
            print(f"scrape saved: {out / 'combo-routerd-metrics.txt'}")

        with live_stack.stage("promtool check metrics"):
            lint = subprocess.run(["promtool", "check", "metrics"], input=scrape.encode(),
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
            if lint.returncode != 0:
                problems.append("promtool check metrics:\n" + lint.stdout.decode())

        with live_stack.stage("references against the scrape"):
            expo = metric_refs.parse_exposition(scrape)
            families = sorted(f for f in expo.types if f.startswith("combo_"))
            print(f"   the daemon exports {len(families)} combo_ families")
            problems += metric_refs.check_deploy(expo, deploy)

        with live_stack.stage("wait for Prometheus to scrape and evaluate"):
            stack.wait_for_samples("combo_orders_total", 4, timeout=25)

        with live_stack.stage("evaluate every Grafana and console query"):
            dashboard = json.loads((deploy / "grafana" / "combo-router.json").read_text())
            panels_with_data = set()
            panels = set()
            for where, expr in metric_refs.grafana_expressions(dashboard):
                panels.add(where)
                try:
                    if stack.query(grafana_query(expr)):
                        panels_with_data.add(where)
                except live_stack.StackError as e:
                    problems.append(f"{where}: {e}")
            console = (deploy / "prometheus" / "consoles" / "combo-router.html").read_text()
            for where, expr in metric_refs.console_expressions(console):
                try:
                    stack.query(console_query(expr))
                except live_stack.StackError as e:
                    problems.append(f"{where}: {e}")
            print(f"   {len(panels_with_data)} of {len(panels)} Grafana panels return data")
            # A panel that only shows something when it goes wrong may be empty (failed leg-ins,
            # error-account positions); every other panel must show the live daemon.
            may_be_empty = {"grafana panel 'Failed leg-ins in range'",
                            "grafana panel 'Error-account positions'"}
            for where in sorted(panels - panels_with_data - may_be_empty):
                problems.append(f"{where}: returns no data from the live daemon")

        with live_stack.stage("rules evaluate healthily"):
            deadline = time.monotonic() + 10
            while True:
                health = stack.rules_health()
                pending = [n for n, h, _ in health if h not in ("ok", "err")]
                if not pending or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            for name, h, err in health:
                if h != "ok":
                    problems.append(f"rule {name}: health {h} {err}")
            print(f"   {len(health)} rules loaded")

        if not stack.daemon_alive():
            problems.append("combo-routerd exited during the test:\n"
                            + live_stack.tail(stack.daemon_log))

    for p in problems:
        print(f"FAIL: {p}")
    if problems:
        return 1
    print("PASS: the daemon's metrics lint clean and every deploy file reads only what it "
          "exports")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except live_stack.StackError as e:
        print(f"FAIL: {e}")
        sys.exit(1)
