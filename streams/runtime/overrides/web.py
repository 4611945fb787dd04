"""The worker's web server without Faust's built-in views: only what operators need is served.

Upstream: Faust's web driver mounts its own views on the worker's port: `/router/`
(which worker holds a key), `/table/` (table names and, per key, their contents), `/`
(an index or Faust's statistics) and, in debug mode, `/graph/` and `/stats/`. In the
Kubernetes manifests that port is open to the cluster for scraping, and table contents
are article states. Here none of them is mounted: the worker serves `/metrics`,
`/health` and `/ready` (`streams.runtime.web`) and 404 for everything else.

Example:
    >>> OpsWeb.default_blueprints, OpsWeb.production_blueprints, OpsWeb.debug_blueprints
    ((), (), ())
"""

from __future__ import annotations

from faust.web.drivers.aiohttp import Web

#: What this module replaces (see `streams.runtime.overrides.upstream`).
UPSTREAM = {
    "faust.web.base.Web._enabled_blueprints": "1d1d4ff14c143089",
    "faust.web.base.Web.__init__": "7df03a797d8c6b79",
}


class OpsWeb(Web):
    """Faust's aiohttp web driver with none of Faust's own views."""

    default_blueprints = ()
    production_blueprints = ()
    debug_blueprints = ()
    optional_blueprints = ()
