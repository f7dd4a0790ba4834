#!/usr/bin/env python3
"""The operator console in a real browser, on live data.

Starts combo-routerd (the demo config with its simulator, on loopback ephemeral ports) and a
Prometheus scraping it every second with the deploy/ rules and console templates; drives combo
orders into the daemon so that routing, leg-ins and the error account move; waits (bounded)
until Prometheus holds several scrapes; then opens /consoles/combo-router.html in headless
Chromium twice:
  --dump-dom   every panel of the console (each <section class="combo-panel">) must show live
               numbers (class combo-value; no "No data", no NaN) and every graph an SVG plot
               (PromConsole draws it from /api/v1/query_range in the browser);
  --screenshot saved as a test artifact (its path is printed).

Exit 0 on success, 1 on failure, 77 (CTest skip) only when chromium or prometheus is not
installed. Python 3 standard library only.

Usage: console_browser_test.py --daemon BIN --client BIN --config demo.yaml
                               --source-dir DIR --deploy-dir DIR --artifacts DIR
"""

import argparse
import html.parser
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import live_stack  # noqa: E402
import order_flow  # noqa: E402

# Panels the issue asks for; the console may have more, and every one is checked.
REQUIRED_PANELS = {
    "panel-legging-exposure", "panel-legin-outcomes", "panel-legin-failures",
    "panel-error-account", "panel-routing", "panel-decision-latency", "panel-legin-time",
}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
             "source", "track", "wbr"}
NUMBER = re.compile(r"^-?[0-9][0-9.,]*(e[+-]?[0-9]+)?\s*(%|/s|[munkMGTPµ]?s|[kMGT]|ms|us|ns)?$")
WORDS = {"active", "reducing", "halted", "within", "reached: leg-ins blocked", "breached",
         "up", "down"}


class PanelCollector(html.parser.HTMLParser):
    """Per console panel: its live values, its "No data" marks, and its graphs' state."""

    def __init__(self):
        super().__init__()
        self.panels = {}  # id -> {"values": [...], "nodata": n, "graphs": {id: {...}}}
        self.stack = []  # (tag, role) of open elements
        self.panel = None
        self.graph = None
        self.value_depth = None
        self.value_text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        role = None
        if tag == "section" and "combo-panel" in classes:
            self.panel = a.get("id", "?")
            self.panels[self.panel] = {"values": [], "nodata": 0, "graphs": {}}
            role = "panel"
        elif self.panel and "combo-graph" in classes:
            self.graph = a.get("id", "?")
            self.panels[self.panel]["graphs"][self.graph] = {"svg": 0, "paths": 0, "errors": 0}
            role = "graph"
        elif self.panel and "combo-value" in classes and self.value_depth is None:
            self.value_depth = len(self.stack)
            self.value_text = []
            role = "value"
        if self.panel and "combo-nodata" in classes:
            self.panels[self.panel]["nodata"] += 1
        if self.graph:
            g = self.panels[self.panel]["graphs"][self.graph]
            if tag == "svg":
                g["svg"] += 1
            # Rickshaw draws each series as <path class="path" d="M...">; axes are "domain".
            if tag == "path" and "path" in classes and len(a.get("d") or "") > 10:
                g["paths"] += 1
            if "prom_graph_error" in classes:
                g["errors"] += 1
        if tag not in VOID_TAGS:
            self.stack.append((tag, role))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        while self.stack:
            open_tag, role = self.stack.pop()
            if role == "value":
                self.panels[self.panel]["values"].append("".join(self.value_text).strip())
                self.value_depth = None
            elif role == "graph":
                self.graph = None
            elif role == "panel":
                self.panel = None
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.value_depth is not None:
            self.value_text.append(data)


def console_panel_ids(console_template):
    return re.findall(r'<section class="combo-panel" id="(panel-[a-z0-9-]+)"', console_template)


def check_dom(dom, panel_ids):
    """Every problem of the rendered console: a missing panel, a gap, a NaN, an empty graph."""
    collector = PanelCollector()
    collector.feed(dom)
    problems = []
    for pid in panel_ids:
        panel = collector.panels.get(pid)
        if panel is None:
            problems.append(f"{pid}: not in the page")
            continue
        if not panel["values"]:
            problems.append(f"{pid}: shows no value")
        if panel["nodata"]:
            problems.append(f"{pid}: {panel['nodata']} value(s) show No data")
        for value in panel["values"]:
            if "nan" in value.lower() or not (NUMBER.match(value) or value in WORDS):
                problems.append(f"{pid}: value {value!r} is not a live number")
        for gid, g in panel["graphs"].items():
            if g["errors"] or not g["svg"] or not g["paths"]:
                problems.append(f"{pid}: graph {gid} has no plotted series ({g})")
    return problems, collector.panels


def find_chromium():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium(binary, profile, url, *mode, timeout=60):
    argv = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--no-first-run", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
            "--window-size=1400,2300", "--virtual-time-budget=10000", *mode, url]
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                          check=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--daemon", required=True)
    parser.add_argument("--client", required=True, help="combo-client, to send orders")
    parser.add_argument("--config", required=True)
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--deploy-dir", required=True)
    parser.add_argument("--artifacts", required=True)
    args = parser.parse_args()

    browser = find_chromium()
    if browser is None:
        print("SKIP: chromium is not installed (Debian: apt-get install chromium; "
              "scripts/install_deps.sh installs it): the console browser test needs it")
        return live_stack.SKIP
    if shutil.which("prometheus") is None:
        print("SKIP: prometheus is not installed (Debian: apt-get install prometheus; "
              "scripts/install_deps.sh installs it): the console browser test needs it")
        return live_stack.SKIP

    deploy = pathlib.Path(args.deploy_dir)
    panel_ids = console_panel_ids(
        (deploy / "prometheus" / "consoles" / "combo-router.html").read_text())
    missing = REQUIRED_PANELS - set(panel_ids)
    if missing:
        print(f"FAIL: the console lacks panels {sorted(missing)}")
        return 1
    artifacts = pathlib.Path(args.artifacts)
    artifacts.mkdir(parents=True, exist_ok=True)
    screenshot = artifacts / "combo-router-console.png"
    dom_file = artifacts / "combo-router-console.html"

    with live_stack.LiveStack(args.daemon, args.client, args.config, args.source_dir,
                              deploy) as stack, \
            tempfile.TemporaryDirectory(prefix="combo-chromium-") as profile:
        # The quantile panels show increase() over a window, which needs a sample from before
        # the first leg-in: a leg-in finished before Prometheus's first scrape counts as none.
        with live_stack.stage("wait for Prometheus's first scrape, before any order"):
            stack.wait_for_samples("combo_legin_attempts_total", 1, timeout=25)
        with live_stack.stage("drive combo orders into the daemon"):
            order_flow.drive(stack)
        with live_stack.stage("wait for Prometheus to hold live data"):
            stack.wait_for_samples("combo_orders_total", 5, timeout=25)
            stack.wait_for_samples("combo_legin_attempts_total", 5, timeout=10)
        url = f"{stack.prometheus_url}/consoles/combo-router.html?range=120"
        with live_stack.stage("chromium --dump-dom"):
            dom = chromium(browser, profile, url, "--dump-dom")
        dom_file.write_text(dom.stdout.decode("utf-8", "replace"))
        if dom.returncode != 0 or "<section" not in dom_file.read_text():
            print(f"FAIL: chromium --dump-dom exited {dom.returncode}:\n"
                  f"{dom.stderr.decode('utf-8', 'replace')[-3000:]}")
            return 1
        with live_stack.stage("chromium --screenshot"):
            shot = chromium(browser, profile, url, f"--screenshot={screenshot}")
        if shot.returncode != 0 or not screenshot.exists() or screenshot.stat().st_size < 10000:
            print(f"FAIL: chromium --screenshot exited {shot.returncode}:\n"
                  f"{shot.stderr.decode('utf-8', 'replace')[-3000:]}")
            return 1
        print(f"screenshot: {screenshot}")
        print(f"rendered DOM: {dom_file}")
        problems, panels = check_dom(dom_file.read_text(), panel_ids)
        for pid in panel_ids:
            p = panels.get(pid, {})
            print(f"   {pid}: values {p.get('values', [])[:8]}"
                  f"{' ...' if len(p.get('values', [])) > 8 else ''}; "
                  f"graphs {list(p.get('graphs', {}).values())}")
        if not stack.daemon_alive():
            problems.append("combo-routerd exited during the test:\n"
                            + live_stack.tail(stack.daemon_log))
    for p in problems:
        print(f"FAIL: {p}")
    if problems:
        return 1
    print(f"PASS: {len(panel_ids)} console panels show live data in Chromium")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except live_stack.StackError as e:
        print(f"FAIL: {e}")
        sys.exit(1)
