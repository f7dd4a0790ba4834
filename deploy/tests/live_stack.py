#!/usr/bin/env python3
"""A live combo-routerd and a Prometheus scraping it, on loopback ephemeral ports, for tests.

LiveStack starts combo-routerd on a copy of a config (config/examples/demo.yaml) whose ports
and data directory are rewritten to a temporary directory and free ports, then (optionally) a
Prometheus with a 1 s scrape interval, the deploy/ rules and console templates, its storage in
the same temporary directory. Everything is stopped and removed on exit, whatever happens.

Python 3 standard library only. Every wait is bounded (polling with a deadline).
"""

import contextlib
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

SKIP = 77  # CTest SKIP_RETURN_CODE of the deploy tests


class StackError(RuntimeError):
    pass


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, timeout=2.0):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8")


def wait_until(what, predicate, timeout, interval=0.2, process=None, log=None):
    """Polls predicate() until it returns a truthy value; StackError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise StackError(f"{what}: the process exited with {process.returncode}"
                             + (f"\n--- its log ---\n{tail(log)}" if log else ""))
        try:
            value = predicate()
            if value:
                return value
        except (OSError, urllib.error.URLError, ValueError, KeyError) as e:
            last_error = e
        time.sleep(interval)
    raise StackError(f"timed out after {timeout}s waiting for {what}"
                     + (f" (last error: {last_error})" if last_error else "")
                     + (f"\n--- log ---\n{tail(log)}" if log else ""))


def tail(path, lines=40):
    try:
        return "\n".join(pathlib.Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def rewrite_sections(text, settings):
    """Sets `section.key: value` in a block-style YAML file (two levels), adding what is missing.

    settings: {("metrics", "port"): "12345", ...}. Only top-level sections and their direct keys
    are touched, so a `port:` deeper in the file (a venue's) is never changed by accident.
    """
    lines = text.splitlines()
    pending = dict(settings)
    out = []
    section = None
    section_indent = None

    def flush(sec):
        for (s, key), value in list(pending.items()):
            if s == sec:
                out.append(f"{section_indent or '  '}{key}: {value}")
                del pending[(s, key)]

    for line in lines:
        top = re.match(r"^([A-Za-z_][A-Za-z0-9_]*):\s*(#.*)?$", line)
        if top:
            if section is not None:
                flush(section)
            section, section_indent = top.group(1), None
            out.append(line)
            continue
        if re.match(r"^\S", line):  # another top-level key (with an inline value)
            if section is not None:
                flush(section)
            section = None
        if section is not None:
            m = re.match(r"^(\s+)([A-Za-z_][A-Za-z0-9_]*):(\s*)(.*)$", line)
            if m and (section_indent is None or m.group(1) == section_indent):
                section_indent = m.group(1)
                if (section, m.group(2)) in pending:
                    out.append(f"{m.group(1)}{m.group(2)}: {pending.pop((section, m.group(2)))}")
                    continue
        out.append(line)
    if section is not None:
        flush(section)
    for (s, key), value in sorted(pending.items()):
        out.append(f"{s}:")
        out.append(f"  {key}: {value}")
        del pending[(s, key)]
    return "\n".join(out) + "\n"


class LiveStack:
    """combo-routerd (+ Prometheus): `with LiveStack(...) as stack:`."""

    def __init__(self, daemon, client, config, source_dir, deploy_dir, with_prometheus=True):
        self.daemon = pathlib.Path(daemon).resolve()
        self.client = pathlib.Path(client).resolve()
        self.config = pathlib.Path(config).resolve()
        self.source_dir = pathlib.Path(source_dir).resolve()
        self.deploy_dir = pathlib.Path(deploy_dir).resolve()
        self.with_prometheus = with_prometheus
        self.processes = []
        self.tmp = None

    # --- lifecycle --------------------------------------------------------------------------
    def __enter__(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp(prefix="combo-deploy-test-"))
        try:
            self._start_daemon()
            if self.with_prometheus:
                self._start_prometheus()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        for name, proc, log in reversed(self.processes):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=5)
        self.processes = []
        if self.tmp is not None and os.environ.get("COMBO_KEEP_TEST_DIR") != "1":
            shutil.rmtree(self.tmp, ignore_errors=True)
        return False

    def _spawn(self, name, argv, cwd):
        log = self.tmp / f"{name}.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL)
        self.processes.append((name, proc, log))
        return proc, log

    # --- combo-routerd ------------------------------------------------------------------------
    def _start_daemon(self):
        self.metrics_port = free_port()
        self.fix_port = free_port()
        data_dir = self.tmp / "data"
        data_dir.mkdir()
        text = rewrite_sections(self.config.read_text(), {
            ("daemon", "data_dir"): f'"{data_dir}"',
            ("metrics", "enabled"): "true",
            ("metrics", "listen_address"): '"127.0.0.1"',
            ("metrics", "port"): str(self.metrics_port),
            ("fix", "listen_address"): '"127.0.0.1"',
            ("fix", "port"): str(self.fix_port),
        })
        self.daemon_config = self.tmp / "combo-router.yaml"
        self.daemon_config.write_text(text)
        # An instrument master named relative to the config is found beside the copy too.
        instruments = self.config.parent / "instruments"
        if instruments.is_dir():
            shutil.copytree(instruments, self.tmp / "instruments")
        self.metrics_url = f"http://127.0.0.1:{self.metrics_port}/metrics"
        listen_file = self.tmp / "listening"
        # The source tree is the working directory: the config's relative paths (the FIX data
        # dictionary) resolve as they do for scripts/run.sh.
        proc, log = self._spawn("combo-routerd",
                                [str(self.daemon), "--config", str(self.daemon_config),
                                 "--listen-file", str(listen_file)],
                                cwd=self.source_dir)
        self.daemon_process, self.daemon_log = proc, log
        # The daemon writes the listen file once everything listens.
        wait_until("combo-routerd to listen", listen_file.exists, timeout=30, process=proc,
                   log=log)
        wait_until("combo-routerd to serve /metrics",
                   lambda: "combo_" in http_get(self.metrics_url), timeout=10,
                   process=proc, log=log)

    def scrape(self):
        return http_get(self.metrics_url)

    # --- Prometheus ---------------------------------------------------------------------------
    def _start_prometheus(self):
        if shutil.which("prometheus") is None:
            raise StackError("prometheus is not installed")
        self.prometheus_port = free_port()
        self.prometheus_url = f"http://127.0.0.1:{self.prometheus_port}"
        rules = self.deploy_dir / "prometheus" / "rules" / "combo-router.rules.yml"
        config = self.tmp / "prometheus.yml"
        config.write_text(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
            f"rule_files:\n  - {json.dumps(str(rules))}\n"
            "scrape_configs:\n  - job_name: combo-router\n    static_configs:\n"
            f"      - targets: [\"127.0.0.1:{self.metrics_port}\"]\n")
        storage = self.tmp / "prometheus-data"
        proc, log = self._spawn("prometheus", [
            "prometheus",
            f"--config.file={config}",
            f"--storage.tsdb.path={storage}",
            f"--web.listen-address=127.0.0.1:{self.prometheus_port}",
            f"--web.console.templates={self.deploy_dir / 'prometheus' / 'consoles'}",
            f"--web.console.libraries={self.deploy_dir / 'prometheus' / 'console_libraries'}",
        ], cwd=self.tmp)
        self.prometheus_process, self.prometheus_log = proc, log
        wait_until("Prometheus to be ready",
                   lambda: "Ready" in http_get(self.prometheus_url + "/-/ready"), timeout=20,
                   process=proc, log=log)

    def query(self, expr):
        """An instant query; returns the result list (raises StackError on a query error)."""
        url = self.prometheus_url + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        try:
            body = json.loads(http_get(url, timeout=5))
        except urllib.error.HTTPError as e:
            body = json.loads(e.read().decode("utf-8"))
        if body.get("status") != "success":
            raise StackError(f"query failed: {expr}: {body.get('error')}")
        return body["data"]["result"]

    def wait_for_samples(self, metric, count, timeout):
        """Waits until Prometheus holds `count` samples of `metric` from the daemon."""
        expr = f'count_over_time({metric}{{job="combo-router"}}[5m])'
        wait_until(f"{count} samples of {metric} in Prometheus",
                   lambda: any(float(r["value"][1]) >= count for r in self.query(expr)),
                   timeout=timeout, process=self.prometheus_process, log=self.prometheus_log)

    def rules_health(self):
        """(name, health, lastError) of every rule Prometheus evaluated."""
        body = json.loads(http_get(self.prometheus_url + "/api/v1/rules"))
        out = []
        for group in body["data"]["groups"]:
            for rule in group["rules"]:
                out.append((rule["name"], rule.get("health"), rule.get("lastError", "")))
        return out

    def daemon_alive(self):
        return self.daemon_process.poll() is None


@contextlib.contextmanager
def stage(name):
    """Prints a stage's name and its duration (the test's log says where time went)."""
    start = time.monotonic()
    print(f"-- {name}", flush=True)
    yield
    print(f"   {name}: {time.monotonic() - start:.1f}s", flush=True)
