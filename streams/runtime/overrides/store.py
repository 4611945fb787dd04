"""Reading one key of a Faust table store without the KeyError of a missing key.

Upstream: Faust's `SerializedStore.__getitem__` raises KeyError for a missing key and
`get` catches it; most lines the split stage looks up were never seen before, so each
lookup paid for an exception. `stored_value` calls the store's own `_get`,
`_encode_key` and `_decode_value` (RocksDB store, faust-streaming 0.15).

Example:
    >>> class Store:  # the three private methods, as Faust's stores have them
    ...     _get = {b"k": b"1"}.get
    ...     _encode_key = staticmethod(str.encode)
    ...     _decode_value = staticmethod(int)
    >>> class Table:
    ...     data = Store()
    >>> stored_value(Table(), "k"), stored_value(Table(), "missing")
    (1, None)
"""

from __future__ import annotations

from typing import Any

#: What this module relies on (see `streams.runtime.overrides.upstream`).
UPSTREAM = {
    "faust.stores.rocksdb.Store._get": "87e3ce60eaba3171",
    "faust.stores.base.Store._encode_key": "33cb92d4d0b83da7",
    "faust.stores.base.Store._decode_value": "ef107dc5e891ab68",
    "faust.stores.base.SerializedStore.__getitem__": "1f5b294a24606b2c",
    "faust.stores.rocksdb.Store._dbs_for_actives": "ca59b171d6d8471f",
}


def stored_value(table: Any, key: str) -> Any:
    """What `table` holds under `key`, or None: one store read (`table.get` makes two).

    What `table.data.get(key)` does, without the KeyError its `__getitem__` raises and
    `get` catches for a missing key: most lines looked up were never seen before.
    """
    store = table.data
    value = store._get(store._encode_key(key))
    return None if value is None else store._decode_value(value)


def estimated_keys(table: Any) -> int:
    """RocksDB's estimate of the keys `table` holds in this worker's active partitions.

    Through the store's `_dbs_for_actives` (its databases of active partitions, what
    Faust's own `len(table)` walks key by key) and rocksdict's property reader: a count
    that costs nothing, where `len` reads every key.
    """
    total = 0
    for db in table.data._dbs_for_actives():
        total += int(db.property_int_value("rocksdb.estimate-num-keys") or 0)
    return total
