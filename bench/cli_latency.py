"""Wall time of `mtaudit --no-lm --format json seeds/<seed>`, and what it imports.

    python bench/cli_latency.py [--runs 11]

Each run is a fresh subprocess (interpreter start included), as an editor or a
git hook would run it. Prints the median wall and CPU (user+sys) time per
seed, for `mtaudit` (audit) and `mtaudit check` (the hook), interleaved run by run.
With --baseline DIR (a source tree of another version, e.g. from `git archive`),
that tree's CLI runs as a third variant, interleaved the same way.
Then runs the same command once under `python -X importtime` and checks that
neither torch nor transformers is imported on this path.
Goal (issue 3, and issue 6 for `mtaudit check`): median <= 0.4 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "transformers")


def command() -> list[str]:
    exe = shutil.which("mtaudit") or str(Path(sys.executable).with_name("mtaudit"))
    return [exe] if Path(exe).exists() else [sys.executable, "-m", "auditor"]


def heavy_imports(seed: Path) -> list[str]:
    """Top-level heavy packages imported by the rules-only CLI path (-X importtime)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "auditor", "--no-lm", "--format", "json", str(seed)],
                          capture_output=True, text=True, cwd=ROOT)
    found = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name.split(".")[0] in HEAVY:
                found.add(name.split(".")[0])
    return sorted(found)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="CLI wall time on the seeds (rules only).")
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--baseline", help="source tree of another version to time side by side")
    args = ap.parse_args(argv)
    cmd = command()
    variants = {
        "audit": dict(os.environ, NO_COLOR="1"),
        "check": dict(os.environ, NO_COLOR="1"),
    }
    commands = {"audit": cmd, "check": cmd + ["check"]}
    if args.baseline:
        variants["baseline"] = variants["audit"]
        tree = str(Path(args.baseline).resolve())
        commands["baseline"] = [sys.executable, "-c", f"import sys; sys.path.insert(0, {tree!r}); from auditor.cli import run; run()"]
    ok = True
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        opts = ["--no-lm", "--format", "json", str(seed)]
        subprocess.run(cmd + opts, capture_output=True, env=variants["audit"], cwd=ROOT)  # warm the page cache
        wall = {k: [] for k in variants}
        cpu = {k: [] for k in variants}
        rc = None
        for i in range(args.runs):
            for name in (list(variants) if i % 2 == 0 else list(variants)[::-1]):
                r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.perf_counter()
                args_ = [str(seed)] if name == "check" else opts
                proc = subprocess.run(commands[name] + args_, capture_output=True, env=variants[name], cwd=ROOT)
                wall[name].append(time.perf_counter() - t0)
                r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[name].append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
                rc = proc.returncode
                if rc not in (0, 1):
                    print(f"{seed.name}: exit {rc}: {proc.stderr.decode(errors='replace').strip()[-300:]}")
                    return 2
        for name in variants:
            med = statistics.median(wall[name])
            if name in ("audit", "check"):
                ok &= med <= 0.4
            print(f"{seed.name} {name}: median wall {med:.3f} s (min {min(wall[name]):.3f}, max {max(wall[name]):.3f}), "
                  f"median CPU {statistics.median(cpu[name]):.3f} s over {args.runs} runs, exit {rc}")
        if args.baseline:
            print(f"  baseline / audit: wall {statistics.median(wall['baseline']) / statistics.median(wall['audit']):.2f}x, "
                  f"CPU {statistics.median(cpu['baseline']) / statistics.median(cpu['audit']):.2f}x")
    heavy = heavy_imports(sorted((ROOT / "seeds").glob("*.txt"))[0])
    print("heavy imports on the --no-lm path: " + (", ".join(heavy) if heavy else "none (torch, transformers not imported)"))
    ok &= not heavy
    print(f"goal: median <= 0.4 s and no torch/transformers import: {'PASS' if ok else 'FAIL'}")
    print(f"command: {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(cmd))} --no-lm --format json seeds/<seed>")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
