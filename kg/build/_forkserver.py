"""Imported by the fork server of a parallel build only: loads what every worker shares (see kg.build.preload)."""

from kg.build.preload import fork_server_start

fork_server_start()
