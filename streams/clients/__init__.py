"""Plain aiokafka clients that are not the Faust worker.

- `security`: SASL and TLS options for every client, and telling a refused login from a
  broker that is down;
- `admin`: creating the pipeline's topics, counting a topic's partitions;
- `publish`: publishing RawArticles keyed by article id.

The worker (`streams.runtime`), the developer tools (`streams.dev`) and feed ingestion
(`streams.ingest`) share them.
"""
