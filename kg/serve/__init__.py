"""``kg serve``: the embedded store as a SPARQL 1.1 Protocol endpoint (see :mod:`kg.serve.server`)."""

from kg.serve.server import ServeError, ServeOptions, serve

__all__ = ["ServeError", "ServeOptions", "serve"]
