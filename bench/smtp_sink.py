"""A local SMTP server that accepts every message and keeps none: production sends real SMTP."""

import asyncio
import threading


async def _session(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"220 bench-sink ESMTP\r\n")
    in_data = False
    while line := await reader.readline():
        if in_data:
            if line in (b".\r\n", b".\n"):
                in_data = False
                writer.write(b"250 OK queued\r\n")
            continue
        verb = line[:4].upper()
        if verb == b"EHLO":
            writer.write(b"250-bench-sink\r\n250 8BITMIME\r\n")
        elif verb == b"DATA":
            in_data = True
            writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
        elif verb == b"QUIT":
            writer.write(b"221 Bye\r\n")
            await writer.drain()
            break
        else:  # HELO, MAIL, RCPT, RSET, NOOP
            writer.write(b"250 OK\r\n")
        await writer.drain()
    writer.close()


def start(port: int) -> None:
    """Serve on 127.0.0.1:`port` from a daemon thread, until the process ends."""
    ready = threading.Event()

    def serve() -> None:
        async def main() -> None:
            server = await asyncio.start_server(_session, "127.0.0.1", port)
            ready.set()
            async with server:
                await server.serve_forever()

        asyncio.run(main())

    threading.Thread(target=serve, daemon=True).start()
    ready.wait(10)
