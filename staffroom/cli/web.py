"""``staffroom web``: the coordinator's web digest on its own, for installs without Slack or Teams.

``staffroom serve slack`` and ``staffroom serve teams`` already serve ``/digest/...`` beside their
bot; a console install (or one that wants the page on another host) runs this instead. It needs the
signing secret, since without it no link could ever open the page.
"""

from __future__ import annotations

import argparse
import signal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from staffroom.bootstrap import Staffroom


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    web = commands.add_parser(
        "web", help="serve the coordinators' web digest at /digest/... (console installs)"
    )
    web.add_argument("--port", type=int, default=8080, help="HTTP port (default 8080)")
    web.add_argument("--host", default="0.0.0.0", help="address to listen on")


def _stop(_signum: int, _frame: object) -> None:
    raise SystemExit(0)


def run(app: Staffroom, args: argparse.Namespace) -> int:
    from adapters.web import make_web_server
    from bot.kernel.settings import SettingsError
    from staffroom.bootstrap import configure_logging, digest_web
    from staffroom.runtime import settle_for_serving

    if not app.settings.web_secret:
        raise SettingsError("STAFFROOM_WEB_SECRET", "is required for this command but is not set")
    configure_logging(app.settings)
    server = make_web_server(digest_web(app), args.host, args.port)
    signal.signal(signal.SIGTERM, _stop)
    settle_for_serving()
    where = app.settings.public_url or f"http://{args.host}:{server.server_port}"
    print(f"Staffroom web digest: listening on {where}/digest/... Ctrl-C stops.", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0
