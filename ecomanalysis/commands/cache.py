"""CLI: ``cache info`` and ``cache clear`` (the content-keyed cache of parsed exports and
forecast fits, :mod:`ecomanalysis.cache`)."""

from __future__ import annotations

from ecomanalysis.commands._options import add_lang
from ecomanalysis.i18n import N_, translator

#: Kinds of cache entry (ecomanalysis.cache) in words; a kind not listed is shown by its id.
KINDS = {"intake": N_("parsed exports"), "forecast": N_("forecast fits"),
         "catalog": N_("reference tables"), "events": N_("event calendars"),
         "roster": N_("rosters"), "simcheck": N_("simulated checks of plans"),
         "rostersim": N_("simulated days of rosters")}


def register(sub) -> None:
    p = sub.add_parser("cache", help="the cache of parsed shop exports and forecast fits")
    csub = p.add_subparsers(dest="cache_command", metavar="ACTION", required=True)
    c = csub.add_parser("info", help="where the cache is, entries and size per kind")
    add_lang(c, default="en")
    c.set_defaults(func=_info)
    c = csub.add_parser("clear", help="remove every cache entry")
    add_lang(c, default="en")
    c.set_defaults(func=_clear)


def _info(args) -> int:
    from ecomanalysis import cache

    _ = translator(args.lang)
    info = cache.info()
    state = _("on") if info["enabled"] else _("off: {switch}=off", switch=cache.CACHE_SWITCH_ENV)
    print(_("cache: {folder} ({state})", folder=info["dir"], state=state))
    if not info["kinds"]:
        print("  " + _("empty"))
    from ecomanalysis.commands.forecast import _left

    for kind, k in info["kinds"].items():
        name = _(KINDS[kind]) if kind in KINDS else kind
        print("  " + _("{kind} {n} entries {mb} MB", kind=_left(name, 18), n=f"{k['entries']:6d}",
                       mb=f"{k['bytes'] / 2**20:8.1f}"))
    return 0


def _clear(args) -> int:
    from ecomanalysis import cache

    n, size = cache.clear()
    _ = translator(args.lang)
    print(_("removed {n} cache entries ({mb} MB) from {folder}", n=n, mb=f"{size / 2**20:.1f}",
            folder=cache.cache_dir()))
    return 0
