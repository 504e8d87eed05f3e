"""The production settings, with STATIC_ROOT in the soak's temporary folder.

navigator/settings.py fixes STATIC_ROOT to the project's staticfiles/, which
other work in the same tree may use; everything else is the production
configuration, driven by the environment bench/soak.py sets.
"""

import os

from navigator.settings import *  # noqa: F403

STATIC_ROOT = os.environ["SOAK_STATIC_ROOT"]
