"""The project's settings with the benchmark's own static root, so `collectstatic` for the
benchmark's server never rewrites the files another process in this checkout is serving."""

import os
from pathlib import Path

from config.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["LGNET_BENCH_STATIC_ROOT"])
