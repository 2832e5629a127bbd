"""The client's address, the one way every part of the site reads it (logs, login limits).

Behind a reverse proxy (Caddy in docker-compose.yml) REMOTE_ADDR is the proxy's. Each trusted
proxy appends the address it saw to X-Forwarded-For, so the client is the entry that many hops
from the right (TRUSTED_PROXY_COUNT). Entries further left were written by the client and are
never believed; with no trusted proxy the header is ignored altogether.
"""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = request.headers.get("X-Forwarded-For", "")
    if hops <= 0 or not forwarded:
        return remote
    entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
    if len(entries) < hops:
        # Not through every proxy (someone reached the app directly): its own address counts.
        return remote
    return entries[-hops]
