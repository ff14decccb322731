"""CLI: ``cache info`` and ``cache clear`` (the content-keyed cache of parsed exports and
forecast fits, :mod:`ecomanalysis.cache`)."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("cache", help="the cache of parsed shop exports and forecast fits")
    csub = p.add_subparsers(dest="cache_command", metavar="ACTION", required=True)
    c = csub.add_parser("info", help="where the cache is, entries and size per kind")
    c.set_defaults(func=_info)
    c = csub.add_parser("clear", help="remove every cache entry")
    c.set_defaults(func=_clear)


def _info(args) -> int:
    from ecomanalysis import cache

    info = cache.info()
    print(f"cache: {info['dir']} ({'on' if info['enabled'] else 'off: ' + cache.CACHE_SWITCH_ENV + '=off'})")
    if not info["kinds"]:
        print("  empty")
    for kind, k in info["kinds"].items():
        print(f"  {kind:10s} {k['entries']:6d} entries {k['bytes'] / 2**20:8.1f} MB")
    return 0


def _clear(args) -> int:
    from ecomanalysis import cache

    n, size = cache.clear()
    print(f"removed {n} cache entries ({size / 2**20:.1f} MB) from {cache.cache_dir()}")
    return 0
