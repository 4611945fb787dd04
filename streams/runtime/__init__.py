"""The Faust runtime of a worker: the app, its agents, tables, web views and the worker process.

- `app`: `build` wires one worker (app, topics, tables, handlers, agents, views);
- `agents`: the agent loops and the lag timer; `handlers`: what they do per event;
- `tables`: worker state in changelog-backed RocksDB tables;
- `web`: /metrics, /health, /ready; `worker`: `newsstream worker` and spawning one;
- `overrides/`: every change made to Faust, mode or aiokafka internals, each with the
  upstream code it relies on pinned (see `overrides.upstream`).

Imports the pipeline and the glue modules, never `streams.dev`.
"""
