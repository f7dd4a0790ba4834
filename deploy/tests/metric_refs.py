#!/usr/bin/env python3
"""Checks that dashboards and rules reference only what combo-routerd really exports.

Given a scrape of the daemon's /metrics (Prometheus text format) and the deploy files, every
metric name of the combo_ prefix that the Grafana dashboard, the Prometheus console and the rules
mention must be a sample name the scrape holds (histograms: name_bucket, _sum, _count), and every
label name a Grafana or console expression matches on or aggregates by must be a label of a
metric that expression reads, or a target label Prometheus adds (job, instance, ...). Recording
rule names (level:metric:operation, with colons) are not daemon metrics and are skipped.

It also checks that the Grafana dashboard has a row for each panel of the console, so that the
two show the same panels.

Python 3 standard library only. Used by daemon_metrics_test.py (against a live daemon) and
metric_refs_test.py (unit tests on small inputs).

Usage: metric_refs.py SCRAPE_FILE DEPLOY_DIR     (exit 0 when clean, 1 listing every problem)
"""

import json
import pathlib
import re
import sys

# Labels Prometheus attaches to every scraped series (static config and the Kubernetes relabeling
# in deploy/prometheus/prometheus-kubernetes.yml), plus the bucket bound of histograms.
TARGET_LABELS = frozenset({"job", "instance", "shard", "namespace", "pod", "le"})

_IDENT = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)")
_MATCHER = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)\s*[\"']")
_BRACES = re.compile(r"\{([^{}]*)\}")


class Exposition:
    """The metric families of one scrape: sample names and label names per family."""

    def __init__(self):
        self.types = {}  # family name -> counter|gauge|histogram|summary|untyped
        self.sample_labels = {}  # sample name -> set of label names seen on it

    @property
    def sample_names(self):
        return set(self.sample_labels)

    def family_of(self, sample):
        """The family a sample name belongs to (a histogram's _bucket/_sum/_count -> its base)."""
        if sample in self.types:
            return sample
        for suffix in ("_bucket", "_sum", "_count", "_created"):
            base = sample[: -len(suffix)] if sample.endswith(suffix) else None
            if base and self.types.get(base) in ("histogram", "summary"):
                return base
        return sample

    def labels_of(self, name):
        """Label names of a sample name or of every sample of a family."""
        labels = set(self.sample_labels.get(name, set()))
        for sample, names in self.sample_labels.items():
            if self.family_of(sample) == name:
                labels |= names
        return labels


def parse_exposition(text):
    """Parses the Prometheus text exposition format (what prometheus-cpp serves)."""
    expo = Exposition()
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            parts = line.split(None, 3)
            if len(parts) >= 4 and parts[1] == "TYPE":
                expo.types[parts[2]] = parts[3].strip()
            continue
        match = re.match(r"([A-Za-z_:][A-Za-z0-9_:]*)(\{(.*)\})?\s+\S+", line)
        if not match:
            raise ValueError(f"scrape line {lineno} is not a sample: {line!r}")
        labels = set()
        if match.group(3):
            labels = set(re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=\"", match.group(3)))
        expo.sample_labels.setdefault(match.group(1), set()).update(labels)
    if not expo.sample_labels:
        raise ValueError("the scrape holds no samples")
    return expo


def metric_names(expr):
    """The metric names an expression reads (combo_ prefix; recording rules skipped)."""
    bare = _STRING.sub('""', expr)
    bare = _BRACES.sub("{}", bare)
    bare = _GROUPING.sub(" ", bare)
    bare = re.sub(r"\[[^\]]*\]", "", bare)  # range and subquery durations
    names = set()
    for token in _IDENT.findall(bare):
        if token.startswith("combo_") and ":" not in token:
            names.add(token)
    return names


def label_names(expr):
    """Label names an expression matches on ({a="..."}) or groups by (by/on/... (a, b))."""
    names = set()
    for body in _BRACES.findall(expr):
        names.update(_MATCHER.findall(body))
    for _, body in _GROUPING.findall(_STRING.sub('""', expr)):
        names.update(n.strip() for n in body.split(",") if n.strip())
    return names


def check_expression(where, expr, expo, check_labels=True):
    """Problems of one expression against the scrape, each a line naming where it is."""
    problems = []
    names = metric_names(expr)
    known = expo.sample_names
    allowed = set(TARGET_LABELS)
    for name in sorted(names):
        if name not in known:
            family_only = name in expo.types
            problems.append(
                f"{where}: {name} is not exported by the daemon"
                + (" (its family is declared but has no series)" if family_only else "")
                + f"  [{expr.strip()}]"
            )
        allowed |= expo.labels_of(name)
        allowed |= expo.labels_of(expo.family_of(name))
    if check_labels and names and not any(p for p in problems):
        for label in sorted(label_names(expr) - allowed):
            problems.append(
                f"{where}: label {label!r} is on none of {', '.join(sorted(names))}"
                f"  [{expr.strip()}]"
            )
    return problems


def grafana_expressions(dashboard):
    """(where, expr) for every target of every panel, rows' panels included."""
    found = []

    def walk(panels):
        for panel in panels:
            for target in panel.get("targets", []):
                if target.get("expr"):
                    found.append((f"grafana panel {panel.get('title')!r}", target["expr"]))
            walk(panel.get("panels", []))

    walk(dashboard.get("panels", []))
    return found


def grafana_structure(dashboard):
    """Problems of the dashboard's layout: ids, grid, data source, queries."""
    problems = []
    ids = set()
    for panel in dashboard.get("panels", []):
        where = f"grafana panel {panel.get('title')!r}"
        if panel.get("id") in ids:
            problems.append(f"{where}: id {panel.get('id')} is used twice")
        ids.add(panel.get("id"))
        grid = panel.get("gridPos", {})
        if not all(k in grid for k in ("h", "w", "x", "y")) or grid["x"] + grid["w"] > 24:
            problems.append(f"{where}: gridPos {grid} is not within the 24-column grid")
        if panel.get("type") == "row":
            continue
        if panel.get("datasource", {}).get("uid") != "${datasource}":
            problems.append(f"{where}: does not use the dashboard's data source variable")
        if not panel.get("targets"):
            problems.append(f"{where}: has no query")
    variables = {v.get("name") for v in dashboard.get("templating", {}).get("list", [])}
    for needed in ("datasource", "instance"):
        if needed not in variables:
            problems.append(f"grafana: no ${needed} variable")
    return problems


def grafana_row_titles(dashboard):
    return [p.get("title") for p in dashboard.get("panels", []) if p.get("type") == "row"]


def console_expressions(text):
    """(where, expr) for every PromQL string a console template builds: printf and query args."""
    found = []
    for match in re.finditer(r'\b(printf|query)\s+"((?:[^"\\]|\\.)*)"', text):
        expr = match.group(2).replace('\\"', '"').replace("\\\\", "\\")
        if match.group(1) == "printf" and not re.search(r"[a-z_]+\s*[({]", expr):
            continue  # a printf that builds no query (a number format)
        line = text.count("\n", 0, match.start()) + 1
        found.append((f"console line {line}", expr.replace("%s", "x")))
    return found


def console_panel_titles(text):
    """The <h2> title of each <section class="combo-panel"> of the console."""
    titles = []
    for section in re.finditer(r'<section class="combo-panel"[^>]*>\s*<h2>(.*?)</h2>', text, re.S):
        title = re.sub(r"\s*\(.*\)$", "", section.group(1)).replace("&amp;", "&")
        titles.append(title.strip())
    return titles


def rule_expressions(text):
    """(where, expr) of every `expr:` of a rules file (one-line or a `|` block)."""
    found = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = re.match(r"^(\s*)(?:-\s+)?expr:\s*(.*)$", lines[i])
        if not match:
            i += 1
            continue
        indent, rest = len(match.group(1)), match.group(2).strip()
        start = i + 1
        if rest in ("|", ">", "|-", ">-"):
            body = []
            i += 1
            while i < len(lines) and (not lines[i].strip() or
                                      len(lines[i]) - len(lines[i].lstrip()) > indent):
                body.append(lines[i].strip())
                i += 1
            found.append((f"rules line {start}", " ".join(body)))
        else:
            found.append((f"rules line {start}", rest))
            i += 1
    return found


def check_deploy(expo, deploy_dir):
    """Every problem of the deploy files against one scrape."""
    deploy = pathlib.Path(deploy_dir)
    problems = []
    dashboard = json.loads((deploy / "grafana" / "combo-router.json").read_text())
    grafana = grafana_expressions(dashboard)
    problems += grafana_structure(dashboard)
    if not grafana:
        problems.append("grafana: the dashboard has no query")
    for where, expr in grafana:
        problems += check_expression(where, expr, expo)
    console_text = (deploy / "prometheus" / "consoles" / "combo-router.html").read_text()
    console = console_expressions(console_text)
    if not console:
        problems.append("console: no query found")
    for where, expr in console:
        problems += check_expression(where, expr, expo)
    for rules in sorted((deploy / "prometheus" / "rules").glob("*.rules.yml")):
        text = rules.read_text()
        for where, expr in rule_expressions(text):
            # Rules read recording rules too, whose labels come from the rules themselves.
            problems += check_expression(f"{rules.name} {where}", expr, expo, check_labels=False)
        # Annotations may query too (the error-account P&L in an alert's description).
        problems += check_expression(f"{rules.name}", text, expo, check_labels=False)
    rows = grafana_row_titles(dashboard)
    for title in console_panel_titles(console_text):
        if title not in rows:
            problems.append(f"grafana: no row titled {title!r} (a console panel); rows: {rows}")
    return problems


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    expo = parse_exposition(pathlib.Path(argv[1]).read_text())
    problems = check_deploy(expo, argv[2])
    for p in problems:
        print(p)
    if problems:
        print(f"metric_refs: {len(problems)} problem(s)")
        return 1
    print("metric_refs: every referenced metric and label is exported")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
