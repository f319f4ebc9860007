import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "seeds")
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
