"""Moved to openmandato/tests/factory.py (shared by every app's tests); kept for old imports."""

from openmandato.tests.factory import *  # noqa: F403
