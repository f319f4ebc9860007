import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "seeds")
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

# CI must be reproducible (a red run blocks landing): there, hypothesis draws
# the same examples every time. Local runs stay random to keep finding bugs.
if os.environ.get("CI"):
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, database=None)
    settings.load_profile("ci")
