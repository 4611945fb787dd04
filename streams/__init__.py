"""newsstream: split raw news articles into entries and tag them, on Kafka with Faust."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsstream")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
