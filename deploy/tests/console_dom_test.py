#!/usr/bin/env python3
"""Unit tests of the browser test's DOM check: a gap, a NaN or an empty graph must fail it."""

import pathlib
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import console_browser_test as browser  # noqa: E402

PLOT = '<svg><path class="path" d="M0,10L20,30L40,50"></path></svg>'


def page(*panels):
    return "<html><body>" + "".join(panels) + "</body></html>"


def panel(pid, values, graph=PLOT, extra=""):
    cells = "".join(f'<td><a class="combo-value" href="#">{v}</a></td>' for v in values)
    return (f'<section class="combo-panel" id="{pid}"><h2>x</h2><table><tr>{cells}</tr></table>'
            f'{extra}<div class="combo-graph" id="g-{pid}">{graph}</div></section>')


class CheckDomTest(unittest.TestCase):
    def test_live_numbers_and_plotted_graphs_pass(self):
        problems, panels = browser.check_dom(
            page(panel("panel-a", ["12", "-401.00", "66.67%", "2.843ms", "0.98/s", "within"])),
            ["panel-a"])
        self.assertEqual(problems, [])
        self.assertEqual(panels["panel-a"]["values"][1], "-401.00")

    def test_no_data_fails(self):
        nodata = '<span class="combo-nodata">No data</span>'
        problems, _ = browser.check_dom(page(panel("panel-a", ["1"], extra=nodata)), ["panel-a"])
        self.assertEqual(problems, ["panel-a: 1 value(s) show No data"])

    def test_nan_fails(self):
        problems, _ = browser.check_dom(page(panel("panel-a", ["NaN"])), ["panel-a"])
        self.assertIn("is not a live number", problems[0])

    def test_graph_without_a_series_fails(self):
        empty = '<svg><path class="domain" d="M0,0L0,100"></path></svg>'
        problems, _ = browser.check_dom(page(panel("panel-a", ["1"], graph=empty)), ["panel-a"])
        self.assertIn("has no plotted series", problems[0])
        error = '<div class="prom_graph_error">No timeseries returned</div>'
        problems, _ = browser.check_dom(page(panel("panel-a", ["1"], graph=error)), ["panel-a"])
        self.assertIn("has no plotted series", problems[0])

    def test_missing_panel_fails(self):
        problems, _ = browser.check_dom(page(panel("panel-a", ["1"])), ["panel-a", "panel-b"])
        self.assertEqual(problems, ["panel-b: not in the page"])

    def test_console_declares_every_panel_the_issue_asks_for(self):
        template = (pathlib.Path(__file__).resolve().parent.parent / "prometheus" / "consoles" /
                    "combo-router.html").read_text()
        self.assertTrue(browser.REQUIRED_PANELS <= set(browser.console_panel_ids(template)))


if __name__ == "__main__":
    unittest.main(verbosity=2)
