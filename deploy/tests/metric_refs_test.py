#!/usr/bin/env python3
"""Unit tests of metric_refs.py: it must catch an unexported metric or label, and only those."""

import json
import pathlib
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import metric_refs  # noqa: E402

SCRAPE = """\
# HELP combo_legin_attempts_total Leg-ins started, by policy.
# TYPE combo_legin_attempts_total counter
combo_legin_attempts_total{policy="aggressive"} 3
combo_legin_attempts_total{policy="defensive"} 0
# HELP combo_router_decision_seconds Tick to decision.
# TYPE combo_router_decision_seconds histogram
combo_router_decision_seconds_count 2
combo_router_decision_seconds_sum 0.0003
combo_router_decision_seconds_bucket{le="0.0001"} 1
combo_router_decision_seconds_bucket{le="+Inf"} 2
# HELP combo_error_account_position Error-account position by instrument.
# TYPE combo_error_account_position gauge
"""

DEPLOY = pathlib.Path(__file__).resolve().parent.parent


class ParseExpositionTest(unittest.TestCase):
    def test_sample_names_and_labels_are_collected_per_family(self):
        expo = metric_refs.parse_exposition(SCRAPE)
        self.assertIn("combo_router_decision_seconds_bucket", expo.sample_names)
        self.assertEqual(expo.labels_of("combo_router_decision_seconds"), {"le"})
        self.assertEqual(expo.labels_of("combo_legin_attempts_total"), {"policy"})

    def test_a_malformed_line_is_an_error_naming_it(self):
        with self.assertRaisesRegex(ValueError, "line 1"):
            metric_refs.parse_exposition("{not a sample}\n")

    def test_an_empty_scrape_is_an_error(self):
        with self.assertRaisesRegex(ValueError, "no samples"):
            metric_refs.parse_exposition("# HELP x y\n")


class CheckExpressionTest(unittest.TestCase):
    def setUp(self):
        self.expo = metric_refs.parse_exposition(SCRAPE)

    def check(self, expr, **kw):
        return metric_refs.check_expression("t", expr, self.expo, **kw)

    def test_exported_metric_with_its_labels_passes(self):
        self.assertEqual(self.check(
            'sum by (policy) (rate(combo_legin_attempts_total{job="x",policy="a"}[5m]))'), [])

    def test_histogram_suffixes_and_le_pass(self):
        self.assertEqual(self.check(
            "histogram_quantile(0.99, "
            "sum by (le) (rate(combo_router_decision_seconds_bucket[1m])))"), [])

    def test_unknown_metric_is_reported(self):
        problems = self.check("sum(combo_legin_attemps_total)")
        self.assertEqual(len(problems), 1)
        self.assertIn("combo_legin_attemps_total is not exported", problems[0])

    def test_family_without_series_is_reported_as_such(self):
        problems = self.check("combo_error_account_position != 0")
        self.assertIn("declared but has no series", problems[0])

    def test_unknown_label_in_matcher_or_grouping_is_reported(self):
        self.assertIn("label 'venue'", self.check('combo_legin_attempts_total{venue="a"}')[0])
        self.assertIn("label 'reason'",
                      self.check("sum by (reason) (combo_legin_attempts_total)")[0])

    def test_labels_are_not_checked_when_asked_not_to(self):
        self.assertEqual(
            self.check('combo_legin_attempts_total{venue="a"}', check_labels=False), [])

    def test_recording_rule_names_and_strings_are_not_metrics(self):
        self.assertEqual(self.check(
            'instance_policy:combo_legin_failures:rate5m > 0 and on (instance) '
            'combo_legin_attempts_total{policy="combo_not_a_metric"}'), [])


class ExtractionTest(unittest.TestCase):
    def test_console_printf_queries_are_found_with_quotes_unescaped(self):
        text = '{{ template "v" (args (printf "sum(combo_a{%s,policy=\\"%s\\"})" $sel $p)) }}' \
               '{{ printf "%.0f" .Value }}'
        self.assertEqual(metric_refs.console_expressions(text),
                         [("console line 1", 'sum(combo_a{x,policy="x"})')])

    def test_rule_expressions_one_line_and_blocks(self):
        text = ("  - record: a:b:c\n    expr: sum(combo_a)\n"
                "  - alert: X\n    expr: |\n      combo_b\n        > 1\n    for: 1m\n")
        self.assertEqual([e for _, e in metric_refs.rule_expressions(text)],
                         ["sum(combo_a)", "combo_b > 1"])


class CheckDeployTest(unittest.TestCase):
    """check_deploy on a copy of deploy/ with one planted fault each."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.deploy = pathlib.Path(self.tmp.name) / "deploy"
        for sub in ("grafana", "prometheus/consoles", "prometheus/rules"):
            shutil.copytree(DEPLOY / sub, self.deploy / sub)
        # A scrape that exports every combo_ name the shipped files use, with their labels.
        names = {}
        for path in [self.deploy / "grafana/combo-router.json",
                     self.deploy / "prometheus/consoles/combo-router.html"]:
            text = path.read_text()
            exprs = (metric_refs.grafana_expressions(json.loads(text)) if path.suffix == ".json"
                     else metric_refs.console_expressions(text))
            for _, expr in exprs:
                for name in metric_refs.metric_names(expr):
                    names.setdefault(name, set()).update(metric_refs.label_names(expr))
        for rules in (self.deploy / "prometheus/rules").glob("*.rules.yml"):
            for name in metric_refs.metric_names(rules.read_text()):
                names.setdefault(name, set())
        lines = []
        for name, labels in sorted(names.items()):
            labels -= metric_refs.TARGET_LABELS
            body = ",".join(f'{l}="v"' for l in sorted(labels))
            lines.append(f"{name}{{{body}}} 1" if body else f"{name} 1")
        self.scrape = "\n".join(lines) + "\n"

    def tearDown(self):
        self.tmp.cleanup()

    def problems(self):
        return metric_refs.check_deploy(metric_refs.parse_exposition(self.scrape), self.deploy)

    def test_shipped_files_pass_against_a_scrape_of_their_names(self):
        self.assertEqual(self.problems(), [])

    def test_grafana_query_of_an_unexported_metric_fails(self):
        path = self.deploy / "grafana/combo-router.json"
        dash = json.loads(path.read_text())
        dash["panels"][1]["targets"][0]["expr"] = "sum(combo_no_such_metric)"
        path.write_text(json.dumps(dash))
        problems = self.problems()
        self.assertEqual(len(problems), 1)
        self.assertIn("grafana panel", problems[0])
        self.assertIn("combo_no_such_metric", problems[0])

    def test_a_metric_the_daemon_stops_exporting_fails_everywhere_it_is_used(self):
        self.scrape = "\n".join(l for l in self.scrape.splitlines()
                                if not l.startswith("combo_venue_up")) + "\n"
        problems = self.problems()
        self.assertTrue(any(p.startswith("grafana") for p in problems))
        self.assertTrue(any(p.startswith("console") for p in problems))
        self.assertTrue(any(p.startswith("combo-router.rules.yml") for p in problems))

    def test_grafana_panel_off_the_grid_or_off_the_data_source_fails(self):
        path = self.deploy / "grafana/combo-router.json"
        dash = json.loads(path.read_text())
        dash["panels"][1]["gridPos"]["x"] = 22
        dash["panels"][2]["datasource"] = {"type": "prometheus", "uid": "local"}
        path.write_text(json.dumps(dash))
        problems = self.problems()
        self.assertEqual(len(problems), 2)
        self.assertIn("24-column grid", problems[0])
        self.assertIn("data source variable", problems[1])

    def test_console_panel_without_a_grafana_row_fails(self):
        path = self.deploy / "prometheus/consoles/combo-router.html"
        path.write_text(path.read_text().replace("<h2>Venues</h2>", "<h2>Venue health</h2>"))
        problems = self.problems()
        self.assertEqual(len(problems), 1)
        self.assertIn("no row titled 'Venue health'", problems[0])


if __name__ == "__main__":
    unittest.main(verbosity=2)
