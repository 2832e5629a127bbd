"""The one door to Stripe: PaymentIntents, refunds and webhook events, in plain values.

Nothing else in the project imports the `stripe` SDK (the card flows in `card.py` call this module).
Amounts go in and come out as whole rupiah; the conversion to Stripe's hundredths happens here and
only here.
"""

import json
from dataclasses import dataclass

import stripe
from django.conf import settings

CURRENCY = "idr"
# Stripe counts IDR in hundredths of a rupiah even though nobody pays in sen.
STRIPE_UNITS_PER_RUPIAH = 100


class PaymentError(Exception):
    """Stripe refused the request or could not be reached."""


class InvalidWebhook(Exception):
    """A webhook body that is unsigned, tampered with, signed with another secret or too old."""


@dataclass(frozen=True)
class Intent:
    """What we need of a PaymentIntent; `amount` in rupiah."""

    id: str
    status: str
    amount: int
    currency: str
    client_secret: str
    order_id: int | None
    failure_message: str


@dataclass(frozen=True)
class Refund:
    """What we need of a Refund; `amount` in rupiah."""

    id: str
    status: str
    amount: int
    payment_intent_id: str
    # Ours, echoed back in the refund's metadata; empty for refunds made in Stripe's dashboard.
    idempotency_key: str


def is_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def to_stripe_amount(rupiah: int) -> int:
    """Rp 350.000 → 35000000."""
    if not isinstance(rupiah, int) or isinstance(rupiah, bool):
        raise TypeError("Rupiah amounts are whole numbers.")
    return rupiah * STRIPE_UNITS_PER_RUPIAH


def from_stripe_amount(amount: int) -> int:
    """35000000 → Rp 350.000 (Stripe only allows whole rupiah for IDR charges)."""
    return int(amount) // STRIPE_UNITS_PER_RUPIAH


def intent_idempotency_key(order_id: int, attempt: int = 1) -> str:
    """Our key for creating an order's PaymentIntent; a new attempt only after a cancel."""
    suffix = "" if attempt == 1 else f"-{attempt}"
    return f"order-{order_id}-create-intent{suffix}"


def cancel_idempotency_key(order_id: int, intent_id: str) -> str:
    """Our key for cancelling one of the order's intents (each attempt has its own intent)."""
    return f"order-{order_id}-cancel-{intent_id}"


def refund_idempotency_key(order_id: int, suborder_id: int | None) -> str:
    """Our key for refunding one sub-order, or the whole order when `suborder_id` is None."""
    part = f"suborder-{suborder_id}" if suborder_id is not None else "full"
    return f"order-{order_id}-refund-{part}"


def _client() -> stripe.StripeClient:
    if not settings.STRIPE_SECRET_KEY:
        raise PaymentError("Stripe is not configured (STRIPE_SECRET_KEY is empty).")
    options = {}
    if settings.STRIPE_API_BASE:
        options["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
        **options,
    )


def _plain(obj) -> dict:
    return obj if isinstance(obj, dict) else obj.to_dict()


def _intent(obj) -> Intent:
    obj = _plain(obj)
    error = obj.get("last_payment_error") or {}
    metadata = obj.get("metadata") or {}
    order_id = metadata.get("order_id")
    return Intent(
        id=obj["id"],
        status=obj["status"],
        amount=from_stripe_amount(obj["amount"]),
        currency=obj["currency"],
        client_secret=obj.get("client_secret") or "",
        order_id=int(order_id) if order_id and str(order_id).isdigit() else None,
        failure_message=(error.get("message") or "") if isinstance(error, dict) else "",
    )


def _refund(obj) -> Refund:
    obj = _plain(obj)
    return Refund(
        id=obj["id"],
        status=obj.get("status") or "pending",
        amount=from_stripe_amount(obj["amount"]),
        payment_intent_id=obj.get("payment_intent") or "",
        idempotency_key=str((obj.get("metadata") or {}).get("idempotency_key") or ""),
    )


def create_intent(
    *,
    order_id: int,
    reference: str,
    amount: int,
    idempotency_key: str,
    payment_method: str | None = None,
) -> Intent:
    """Create a card PaymentIntent for `amount` rupiah, tagged with the order.

    `payment_method` is for server-side flows and tests; in the browser Stripe.js supplies the card.
    """
    params = {
        "amount": to_stripe_amount(amount),
        "currency": CURRENCY,
        "payment_method_types": ["card"],
        "metadata": {"order_id": str(order_id), "order_reference": reference},
    }
    if payment_method:
        params["payment_method"] = payment_method
    try:
        obj = _client().v1.payment_intents.create(
            params=params, options={"idempotency_key": idempotency_key}
        )
    except stripe.StripeError as error:
        raise PaymentError(str(error)) from error
    return _intent(obj)


def retrieve_intent(intent_id: str) -> Intent:
    try:
        return _intent(_client().v1.payment_intents.retrieve(intent_id))
    except stripe.StripeError as error:
        raise PaymentError(str(error)) from error


def confirm_intent(intent_id: str, *, idempotency_key: str) -> Intent:
    """Confirm an intent that already holds a payment method; a decline comes back as a status."""
    client = _client()
    try:
        obj = client.v1.payment_intents.confirm(
            intent_id, options={"idempotency_key": idempotency_key}
        )
    except stripe.CardError:
        return retrieve_intent(intent_id)
    except stripe.StripeError as error:
        raise PaymentError(str(error)) from error
    return _intent(obj)


def cancel_intent(intent_id: str, *, idempotency_key: str) -> Intent:
    try:
        obj = _client().v1.payment_intents.cancel(
            intent_id, options={"idempotency_key": idempotency_key}
        )
    except stripe.StripeError as error:
        raise PaymentError(str(error)) from error
    return _intent(obj)


def refund(
    *, intent_id: str, amount: int, idempotency_key: str, metadata: dict[str, str]
) -> Refund:
    """Refund `amount` rupiah of a succeeded PaymentIntent; the same key never refunds twice."""
    params = {
        "payment_intent": intent_id,
        "amount": to_stripe_amount(amount),
        "metadata": {**metadata, "idempotency_key": idempotency_key},
    }
    try:
        obj = _client().v1.refunds.create(
            params=params, options={"idempotency_key": idempotency_key}
        )
    except stripe.StripeError as error:
        raise PaymentError(str(error)) from error
    return _refund(obj)


def construct_event(payload: bytes, sig_header: str | None) -> dict:
    """Verify a webhook's signature (and age) and return the event as a plain dict."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret or not sig_header:
        raise InvalidWebhook("Missing signature or webhook secret.")
    try:
        stripe.WebhookSignature.verify_header(
            payload.decode("utf-8"),
            sig_header,
            secret,
            tolerance=settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
        )
        event = json.loads(payload)
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as error:
        raise InvalidWebhook(str(error)) from error
    if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
        raise InvalidWebhook("Not a Stripe event.")
    return event


def event_object(event: dict) -> dict:
    """The object an event is about (`data.object`)."""
    return (event.get("data") or {}).get("object") or {}


def intent_from_event_object(obj: dict) -> Intent:
    return _intent(obj)


def refunds_from_event_object(obj: dict) -> list[Refund]:
    """The refunds a `charge.refunded` charge or a `refund.*` / `charge.refund.*` refund carries."""
    if obj.get("object") == "refund":
        return [_refund(obj)]
    listed = (obj.get("refunds") or {}).get("data") or []
    intent_id = obj.get("payment_intent") or ""
    return [_refund({"payment_intent": intent_id, **item}) for item in listed]
