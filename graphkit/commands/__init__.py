"""Subcommands of ``graphkit``: one module each, found by ``graphkit.cli``.

A module here defines ``register(subparsers)``, which adds its parser and sets ``func`` to a function
taking the parsed arguments and returning an exit status. Printing happens here and in ``cli`` only.
"""
