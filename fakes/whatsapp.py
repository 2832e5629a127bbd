"""A local fake of the WhatsApp Business Cloud API's template messages: nothing leaves the machine.

    python -m fakes.whatsapp --port 8002 --token demo-whatsapp-token \\
        [--phone-number-id 100000000000001] [--templates pesanan_baru,pembayaran,pengingat]

Listens on 127.0.0.1 only and keeps what it receives in memory. It answers with the real API's
JSON shapes and status codes (developers.facebook.com, WhatsApp Cloud API):

- `POST /<version>/<phone_number_id>/messages` with `Authorization: Bearer <token>` and a
  template message (`messaging_product: whatsapp`, `to`, `type: template`, `template.name`,
  `template.language.code`, `template.components[].parameters[]` of type text): 200 with
  `messaging_product`, `contacts[0].input/wa_id` and `messages[0].id` ("wamid...."); errors in
  the Graph API's shape `{"error": {"message", "type", "code", "error_data", "fbtrace_id"}}`:
  401 code 190 for a wrong token, 400 code 100 for an unknown phone number id or a malformed
  body, 404 code 132001 for a template it was not told about (any name when told none), 400
  code 131009 for a parameter that is not text;

Controls for tests and demos:

- `GET /_sim/messages.json`: every message accepted, oldest first; `DELETE /_config/data`:
  forget them; `POST /_config/mode` `{"mode": "up" | "down"}`: down answers every message with
  503 code 2 ("Service temporarily unavailable"), as during an outage;
- `GET /`: the "Pesan WhatsApp (demo)" page, each message with its recipient, template and
  parameters, links clickable (the maker's one-tap link).
"""

import argparse
import base64
import html
import itertools
import json
import re
import secrets
import sys
import threading
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

WITA = timezone(timedelta(hours=8))  # Kutai Timur's time, for the dev page
VERSION = re.compile(r"^v\d+\.\d+$")
LINK = re.compile(r"(https?://[^\s<>\"']+)")


class ApiError(Exception):
    """An answer in the Graph API's error shape."""

    def __init__(self, status: int, code: int, message: str, *, kind: str = "OAuthException"):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.kind = kind

    def body(self) -> dict:
        return {
            "error": {
                "message": self.message,
                "type": self.kind,
                "code": self.code,
                "error_data": {"messaging_product": "whatsapp", "details": self.message},
                "fbtrace_id": secrets.token_urlsafe(12),
            }
        }


class Store:
    """The messages received; one lock guards them."""

    def __init__(self, *, token: str, phone_number_id: str, templates: list[str]):
        self.token = token
        self.phone_number_id = phone_number_id
        self.templates = set(templates)
        self.lock = threading.Lock()
        self.sequence = itertools.count(1)
        self.clear()

    def clear(self) -> None:
        with self.lock:
            self.messages: list[dict] = []
            self.mode = "up"

    def accept(self, body) -> dict:
        if self.mode == "down":
            raise ApiError(503, 2, "Service temporarily unavailable")
        if not isinstance(body, dict):
            raise ApiError(400, 100, "Invalid parameter")
        if body.get("messaging_product") != "whatsapp":
            raise ApiError(400, 100, "The parameter messaging_product is required.")
        to = str(body.get("to") or "")
        if not to.isdigit() or not 8 <= len(to) <= 15:
            raise ApiError(400, 100, "Invalid parameter: to")
        if body.get("type") != "template":
            raise ApiError(400, 100, "This fake only takes template messages (type: template).")
        template = body.get("template")
        if not isinstance(template, dict) or not template.get("name"):
            raise ApiError(400, 131008, "Required parameter is missing: template.name")
        name = str(template["name"])
        language = (template.get("language") or {}).get("code")
        if not language:
            raise ApiError(400, 131008, "Required parameter is missing: template.language.code")
        if self.templates and name not in self.templates:
            raise ApiError(
                404, 132001, f"Template name does not exist in the translation: {name} ({language})"
            )
        parameters = []
        for component in template.get("components") or []:
            if not isinstance(component, dict) or component.get("type") != "body":
                continue
            for parameter in component.get("parameters") or []:
                if not isinstance(parameter, dict) or parameter.get("type") != "text":
                    raise ApiError(400, 131009, "Parameter value is not valid: only text here")
                text = parameter.get("text")
                if not isinstance(text, str) or not text.strip():
                    raise ApiError(400, 131009, "Parameter value is not valid: empty text")
                parameters.append(text)
        number = next(self.sequence)
        raw = f"{to}-{number}-{secrets.token_hex(8)}".encode()
        message_id = "wamid." + base64.b64encode(raw).decode().rstrip("=")
        with self.lock:
            self.messages.append(
                {
                    "id": message_id,
                    "to": to,
                    "template": name,
                    "language": language,
                    "parameters": parameters,
                    "received_at": datetime.now(UTC).isoformat(),
                }
            )
        return {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": message_id, "message_status": "accepted"}],
        }

    def public_messages(self) -> list[dict]:
        with self.lock:
            return [dict(message) for message in self.messages]


PAGE_STYLE = """
body{font-family:system-ui,sans-serif;margin:0;background:#e5ddd5;color:#111b21}
header{background:#075e54;color:#fff;padding:1rem}header h1{margin:0;font-size:1.3rem}
header p{margin:.3rem 0 0;opacity:.9}main{padding:1rem;max-width:40rem;margin:auto}
.note{background:#fff3cd;border:1px solid #e0c36a;padding:.75rem;border-radius:.5rem}
.bubble{background:#dcf8c6;border-radius:.5rem;padding:.75rem 1rem;margin:1rem 0;
box-shadow:0 1px 1px #0002}.bubble dl{display:grid;grid-template-columns:auto 1fr;
gap:.2rem .75rem;margin:0}.bubble dt{color:#54656f}.bubble dd{margin:0;word-break:break-all}
.bubble ol{margin:.25rem 0 0;padding-left:1.25rem}.bubble li{word-break:break-all}a{color:#027eb5}
"""


def wita(moment: str) -> str:
    local = datetime.fromisoformat(moment).astimezone(WITA)
    return f"{local:%d-%m-%Y %H:%M} WITA"


def linked(text: str) -> str:
    """The text escaped, with its web links clickable."""
    parts = LINK.split(text)
    return "".join(
        f'<a href="{html.escape(part)}">{html.escape(part)}</a>' if index % 2 else html.escape(part)
        for index, part in enumerate(parts)
    )


def messages_page(store: Store) -> str:
    esc = html.escape
    bubbles = []
    for message in reversed(store.public_messages()):
        parameters = "".join(f"<li>{linked(text)}</li>" for text in message["parameters"])
        bubbles.append(
            '<section class="bubble" data-testid="message"><dl>'
            f"<dt>Kepada / To</dt><dd>+{esc(message['to'])}</dd>"
            f"<dt>Template</dt><dd>{esc(message['template'])} ({esc(message['language'])})</dd>"
            f"<dt>Waktu / Time</dt><dd>{esc(wita(message['received_at']))}</dd>"
            f"<dt>ID</dt><dd>{esc(message['id'])}</dd>"
            f"</dl><p>Parameter:</p><ol>{parameters}</ol></section>"
        )
    if not bubbles:
        bubbles.append('<p class="bubble">Belum ada pesan. / No messages yet.</p>')
    return f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Pesan WhatsApp (demo)</title><style>{PAGE_STYLE}</style></head>
<body><header><h1>Pesan WhatsApp (demo)</h1>
<p>WhatsApp messages (demo): a local stand-in for the WhatsApp Business Cloud API</p></header>
<main>
<p class="note"><strong>Tidak ada pesan yang benar-benar terkirim.</strong> Halaman ini menampilkan
pesan template yang akan diterima para pembatik. / Nothing is really sent: this page shows the
template messages the makers would get.</p>
{"".join(bubbles)}
</main></body></html>"""


class Handler(BaseHTTPRequestHandler):
    server_version = "FakeWhatsApp/1.0"
    store: Store  # each server gets its own subclass holding its store (see serve())

    def log_message(self, format, *args):
        sys.stderr.write(f"fake-whatsapp: {format % args}\n")

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return {}
        try:
            return json.loads(raw)
        except ValueError:
            return None

    def send(self, status: int, body, content_type: str = "application/json") -> None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def authorized(self) -> bool:
        header = self.headers.get("Authorization") or ""
        return secrets.compare_digest(header.encode(), f"Bearer {self.store.token}".encode())

    def route(self, method: str) -> None:
        path = [unquote(part) for part in urlsplit(self.path).path.strip("/").split("/") if part]
        try:
            if len(path) == 3 and VERSION.match(path[0]) and path[2] == "messages":
                if method != "POST":
                    raise ApiError(
                        400, 100, "Unsupported get request.", kind="GraphMethodException"
                    )
                if not self.authorized():
                    raise ApiError(
                        401, 190, "Invalid OAuth access token - Cannot parse access token"
                    )
                if path[1] != self.store.phone_number_id:
                    raise ApiError(
                        400,
                        100,
                        f"Unsupported post request. Object with ID '{path[1]}' does not exist, "
                        "cannot be loaded due to missing permissions, or does not support this "
                        "operation.",
                        kind="GraphMethodException",
                    )
                self.send(200, self.store.accept(self.read_body()))
            elif method == "GET" and path == []:
                self.send(200, messages_page(self.store), "text/html")
            elif method == "GET" and path == ["_sim", "messages.json"]:
                self.send(200, self.store.public_messages())
            elif method == "DELETE" and path == ["_config", "data"]:
                self.store.clear()
                self.send(200, {"status": "cleared"})
            elif method == "POST" and path == ["_config", "mode"]:
                mode = (self.read_body() or {}).get("mode")
                if mode not in ("up", "down"):
                    raise ApiError(400, 100, 'mode must be "up" or "down"')
                with self.store.lock:
                    self.store.mode = mode
                self.send(200, {"mode": mode})
            else:
                raise ApiError(404, 803, "Unknown path components", kind="OAuthException")
        except ApiError as error:
            self.send(error.status, error.body())

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_DELETE(self):
        self.route("DELETE")


def serve(*, port: int, token: str, phone_number_id: str, templates: list[str] = ()):
    """Start the fake on 127.0.0.1:`port` (0: any free port); the server, not yet serving."""
    store = Store(token=token, phone_number_id=phone_number_id, templates=list(templates))
    server = ThreadingHTTPServer(("127.0.0.1", port), type("Bound", (Handler,), {"store": store}))
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m fakes.whatsapp", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--port", type=int, default=8002)
    parser.add_argument("--token", default="demo-whatsapp-token")
    parser.add_argument("--phone-number-id", default="100000000000001")
    parser.add_argument(
        "--templates", default="", help="comma-separated template names it knows (empty: any)"
    )
    options = parser.parse_args(argv)
    templates = [name.strip() for name in options.templates.split(",") if name.strip()]
    server = serve(
        port=options.port,
        token=options.token,
        phone_number_id=options.phone_number_id,
        templates=templates,
    )
    host, port = server.server_address[:2]
    print(f"Fake WhatsApp Cloud API on http://{host}:{port}/ (messages: /)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
