"""Moved to openmandato.programs.rollup (programs owns its derived fields); kept for old imports."""

from openmandato.programs.rollup import *  # noqa: F403
from openmandato.programs.rollup import deferred, is_deferred, recompute_shares  # noqa: F401
