"""Every change newsstream makes to Faust, mode or aiokafka internals, one module each.

| module | upstream behaviour changed | why |
| --- | --- | --- |
| `app` | `App._new_producer`, `_new_consumer` | build the two classes below |
| `producer` | aiokafka's accumulator drains per partition | whole-node produce requests: ~9 % less CPU |
| `delivery` | Faust delivers each message through four tasks | eager delivery, one task only when blocked |
| `recovery` | resume before seek; EOS loops over a Counter a rebalance pops | no skip, no stale offset |
| `monitor` | Faust's monitor books every message and table access | 0.7 % CPU for a page nobody reads |
| `worker` | Faust's SIGTERM cancels agents with work in hand | drain, commit, leave: nothing lost |
| `store` | a missing table key raises and catches a KeyError | one read, no exception |
| `topic_config` | changelog topic config is private to Faust's transport | create changelogs before start |
| `transactions` | EOS: transaction by destination, sends outside it, offsets stop at markers | per input |
| `fetch` | Faust passes aiokafka a live partition set (empty = all) | no paused batch dropped |
| `committed` | EOS highwaters from a fetch cache; table files keep aborted writes | LSO; restore changelog |
| `web` | Faust's `/router/`, `/table/`, `/` and debug views on the port | ops views only |

Each module's `UPSTREAM` pins the source of what it copies or relies on
(`upstream.fingerprint`); `tests/unit/runtime/overrides/test_upstream.py` fails when an
installed version differs, and `pyproject.toml` pins the minor versions tested.
"""
