#!/usr/bin/python3
"""A WebSocket client under test: python websockets (Debian's python3-websockets 10.4), permessage-deflate offered
(the library's default).

Two ways to use it:

  Autobahn driver loop against `wsconform serve` (or Autobahn's fuzzingserver):
      /usr/bin/python3 python_websockets_client.py ws://127.0.0.1:9001 python-websockets
  One case, for `wsconform run-client --exec`:
      /usr/bin/python3 python_websockets_client.py --url 'ws://127.0.0.1:PORT/runCase?case=N&agent=A'

Either way every text and binary message is echoed until the server closes; the library answers pings and the
closing handshake itself.
"""
import asyncio
import sys

import websockets

# No keep-alive pings (an unsolicited ping is an event a case does not expect); messages up to 32 MiB (category 9
# sends up to 16 MiB; a larger frame is refused with 1009); compression="deflate" is the default, written out.
OPTIONS = dict(compression="deflate", max_size=2**25, ping_interval=None, open_timeout=10, close_timeout=10)


async def echo(url):
    """Connects to url and echoes every message until the connection ends; never raises for what the server does."""
    try:
        async with websockets.connect(url, **OPTIONS) as ws:
            async for message in ws:
                await ws.send(message)
    except websockets.exceptions.ConnectionClosed as e:
        print(f"connection closed: {e}", file=sys.stderr)
    except (websockets.exceptions.WebSocketException, OSError, asyncio.TimeoutError) as e:
        print(f"client failed: {type(e).__name__}: {e}", file=sys.stderr)


async def receive_text(url):
    async with websockets.connect(url, **OPTIONS) as ws:
        return [m async for m in ws]


async def driver(base, agent):
    count = int((await receive_text(f"{base}/getCaseCount"))[0])
    print(f"{count} case(s)", file=sys.stderr)
    for n in range(1, count + 1):
        await echo(f"{base}/runCase?case={n}&agent={agent}")
    await receive_text(f"{base}/updateReports?agent={agent}")


def main(argv):
    if len(argv) == 3 and argv[1] == "--url":
        asyncio.run(echo(argv[2]))
    elif len(argv) in (2, 3) and not argv[1].startswith("-"):
        asyncio.run(driver(argv[1].rstrip("/"), argv[2] if len(argv) == 3 else "python-websockets"))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
