"""The site as an archive that works from disk: what Material's offline plugin leaves to us.

``HANDBOOK_OFFLINE=true`` turns on Material's ``offline`` plugin (``mkdocs.yml``), which
builds pages as ``page.html`` files instead of folders and inlines the search index into a
script, because a browser refuses to fetch anything from ``file://``. Two things it leaves
to the site, which this module does before it runs (ADR 68):

- Its search runs in a worker started through the ``iframe-worker`` shim, which the plugin
  would load from unpkg.com, another host, and so fail without a network. The site serves
  its own copy (``docs/assets/vendor/iframe-worker/``); listed first, it keeps the plugin
  from adding the other.
- Instant navigation fetches the next page, which ``file://`` refuses: it is turned off, and
  every link loads its page as a plain link does.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig

OFFLINE_PLUGIN = "material/offline"
"""The offline plugin's name among the configured plugins."""

SHIM = "assets/vendor/iframe-worker/shim.js"
"""The vendored iframe-worker shim, relative to the docs folder."""

FETCHING_FEATURES = ("navigation.instant", "navigation.instant.prefetch")
"""Theme features that fetch pages, which a browser refuses from ``file://``."""


def is_offline(config: MkDocsConfig) -> bool:
    """Tell whether this build is the archive: Material's offline plugin is on."""
    plugin = config.plugins.get(OFFLINE_PLUGIN)
    return plugin is not None and bool(plugin.config.enabled)


def prepare_offline(config: MkDocsConfig) -> bool:
    """Serve the shim from the site and turn off what fetches, when the build is offline.

    Run before the offline plugin's own ``on_config``, which adds unpkg's shim unless a
    polyfill named ``iframe-worker`` is listed already.

    Args:
        config: The site's configuration, changed in place.

    Returns:
        Whether the build is offline (and so was changed).
    """
    if not is_offline(config):
        return False
    features = config.theme["features"]
    features[:] = [feature for feature in features if feature not in FETCHING_FEATURES]
    polyfills = config.extra.get("polyfills") or []
    config.extra["polyfills"] = [SHIM, *(p for p in polyfills if "iframe-worker" not in str(p))]
    return True
