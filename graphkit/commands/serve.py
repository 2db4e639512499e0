"""``graphkit serve DIR``: a read-only SPARQL endpoint over a built graph, and its HTML views."""

from __future__ import annotations

import argparse
import signal
import sys

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    from graphkit.store.server import DEFAULT_TIMEOUT

    p = sub.add_parser("serve", help="serve a built graph: SPARQL endpoint (read-only) and HTML views",
                       description="Serve the graph built in DIR: a SPARQL 1.1 Protocol endpoint at /query "
                                   "(GET and POST; updates refused; the default graph is the union of the "
                                   "named graphs; queries stopped after --timeout seconds) and the HTML "
                                   "views in DIR. Listens on loopback unless --host says otherwise.")
    p.add_argument("dir", metavar="DIR", help="a folder written by `graphkit build`")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=7878, help="port (default: 7878; 0 picks a free one)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"stop queries after this long (default: {DEFAULT_TIMEOUT:g})")
    p.add_argument("--verbose", "-v", action="store_true", help="log each request on stderr")
    p.set_defaults(func=run)


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    from graphkit.store.server import GraphServer

    server = GraphServer(args.dir, host=args.host, port=args.port, timeout=args.timeout, verbose=args.verbose)
    previous = signal.signal(signal.SIGTERM, _stop)  # so that the engine is stopped on `kill` too
    try:
        server.start()
        if not server.loopback:
            print(f"warning: listening on {args.host}, reachable from other machines", file=sys.stderr)
        print(f"serving {args.dir} at {server.url}  (SPARQL endpoint: {server.url}query, read-only, "
              f"timeout {args.timeout:g}s)  Ctrl-C to stop", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        server.close()
        signal.signal(signal.SIGTERM, previous)
    return 0
