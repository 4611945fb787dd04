"""Developer tools: a local broker (Apache Kafka or tansu), the demo, `newsstream tail`.

Nothing in the worker (`streams.runtime`) or the pure stages imports from here.
"""
