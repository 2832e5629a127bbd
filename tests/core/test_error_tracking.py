"""Errors reach Sentry when SENTRY_DSN is set: tagged with the request id, with no personal data.

A local receiver stands in for Sentry: the SDK posts its envelopes to it as it would to sentry.io.
"""

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.conf import settings

SCRIPT = """
import django
django.setup()
import sentry_sdk
from core.logging import request_id_var
request_id_var.set("req-4f2a9c")
try:
    raise RuntimeError("the payout run failed")
except RuntimeError:
    sentry_sdk.capture_exception()
sentry_sdk.flush(timeout=5)
"""


def _receiver():
    bodies: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            bodies.append(body)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, bodies


def test_an_error_is_sent_tagged_with_the_request_id_and_without_personal_data():
    server, bodies = _receiver()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "marketplace.settings",
           "SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_address[1]}/1"}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=settings.BASE_DIR, env=env,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    server.shutdown()
    assert result.returncode == 0, result.stderr
    events = [
        json.loads(line)
        for body in bodies
        for line in body.splitlines()
        if line.startswith(b"{") and b'"exception"' in line
    ]
    assert events, bodies
    [event] = events
    assert event["tags"]["request_id"] == "req-4f2a9c"
    assert event["exception"]["values"][0]["value"] == "the payout run failed"
    assert "user" not in event or "ip_address" not in event.get("user", {})
