"""kg: multilingual news articles in, a provenance-linked RDF knowledge graph out."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kg")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+source"
