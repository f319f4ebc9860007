"""Regenerate the README's screenshot of a seed's HTML report.

    python bench/html_screenshot.py [seeds/000_ad98f480298dccfc.txt] [-o docs/report-000.png]

Audits the seed (rules only unless the embedded LM is installed), renders
the HTML page, opens it in headless Chromium (/usr/bin/chromium, driven by
Playwright), turns on the side-by-side cleaned view, opens one finding's
popover and saves a viewport screenshot. Prints the file's size (keep it
under 300 KB).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from auditor.cli import read_article  # noqa: E402
from auditor.pipeline import audit  # noqa: E402
from auditor.report.html import render_page  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("seed", nargs="?", default="seeds/000_ad98f480298dccfc.txt")
    ap.add_argument("-o", "--output", default=os.path.join(ROOT, "docs", "report-000.png"))
    ap.add_argument("--width", type=int, default=1180)
    ap.add_argument("--height", type=int, default=860)
    args = ap.parse_args()
    os.chdir(ROOT)  # the page shows the seed's path relative to the repository
    from playwright.sync_api import sync_playwright

    scorer = None
    try:
        from auditor import lm

        scorer = lm.load_scorer(None, threads=1)
    except Exception as exc:  # rules only: the page says fluency was not scored
        print(f"fluency not scored: {exc}")
    doc = read_article(args.seed, None, 10_000_000)
    report = audit(doc, scorer=scorer)
    with tempfile.TemporaryDirectory() as tmp:
        page_path = os.path.join(tmp, "report.html")
        with open(page_path, "w", encoding="utf-8") as fh:
            fh.write(render_page(report, text=doc.text))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS, headless=True)
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            page.goto("file://" + page_path)
            page.check("#t-clean")
            # open the popover of a highlight in the first screenful
            for mark in page.locator("mark.seg").all():
                box = mark.bounding_box()
                if box and 380 < box["y"] < args.height - 300:
                    mark.click()
                    break
            os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
            page.screenshot(path=args.output)
            browser.close()
    print(f"{args.output}: {os.path.getsize(args.output) / 1024:.0f} KB, {len(report.all_findings())} findings")


if __name__ == "__main__":
    main()
