"""Publishing from tests: what a clinical reviewer does after staff edit."""

from therapies.releases import release_publish


def publish_working_copy(note: str = "Published by a test"):
    """Publish the working copy as the next release, as `load_catalog --publish` does."""
    return release_publish(by=None, note=note, seed=True)
