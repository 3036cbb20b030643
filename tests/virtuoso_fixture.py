"""The ``virtuoso_server`` fixture: a Virtuoso on 127.0.0.1 with a scratch database and a password of the test's own.

Import it into a test module (``from virtuoso_fixture import server_fixture``); each module gets its own server.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest

from kg.testing import virtuoso

needs_virtuoso = pytest.mark.skipif(
    not virtuoso.available(),
    reason="virtuoso-t / isql-vt not installed (apt-get install virtuoso-opensource; .ci/run installs it)",
)


@pytest.fixture(scope="module", name="virtuoso_server")
def server_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[virtuoso.LocalVirtuoso]:
    local = virtuoso.LocalVirtuoso(tmp_path_factory.mktemp("virtuoso"), password=secrets.token_urlsafe(12))
    local.start()
    yield local
    local.stop()
