"""The Content-Security-Policy, in one place: built from the Stripe addresses in use."""

from urllib.parse import urlsplit

from django.utils.csp import CSP

# What Stripe.js needs (Stripe's own CSP guide): its script and frames, 3-D Secure, its API.
STRIPE_SCRIPTS = ["https://js.stripe.com", "https://*.js.stripe.com"]
STRIPE_FRAMES = [*STRIPE_SCRIPTS, "https://hooks.stripe.com"]
STRIPE_CONNECT = ["https://api.stripe.com"]


def _origin(url: str) -> list[str]:
    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


def _unique(*sources: str) -> list[str]:
    return list(dict.fromkeys(sources))  # Stripe's own address may be the configured one.


def content_security_policy(*, stripe_js_url: str = "", stripe_api_base: str = "") -> dict:
    """Scripts only from this site and Stripe (no inline script: the few behaviours live in
    static/js/site.js), frames and calls only to Stripe, no plugins, no framing by others.
    Inline style attributes stay allowed (colour swatches, Stripe Elements).

    A Stripe.js or API address other than Stripe's own (a local fake in tests) is added.
    """
    js = _origin(stripe_js_url)
    api = _origin(stripe_api_base)
    return {
        "default-src": [CSP.SELF],
        "script-src": _unique(CSP.SELF, *STRIPE_SCRIPTS, *js),
        "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
        "img-src": [CSP.SELF, "data:", "https:"],
        "connect-src": _unique(CSP.SELF, *STRIPE_CONNECT, *js, *api),
        "frame-src": _unique(CSP.SELF, *STRIPE_FRAMES, *js),
        "font-src": [CSP.SELF],
        "object-src": [CSP.NONE],
        "base-uri": [CSP.SELF],
        # Signing in with Google posts a form here that redirects to Google (form-action covers
        # the redirect too).
        "form-action": [CSP.SELF, "https://accounts.google.com"],
        "frame-ancestors": [CSP.NONE],
    }
