"""The one door to Midtrans' Core API: charges, status, cancel, expire, refunds and notifications.

Nothing else in the project speaks Midtrans' wire protocol; the flows in `orders` call this module
with plain values and get plain values back. Amounts go in and come out as whole rupiah: Midtrans
writes them as strings like "350000.00", converted here and only here (`to_gross_amount`,
`from_gross_amount`).

Why `httpx` and not the official `midtransclient` (1.4.2): that library sends every request
through `requests` with no timeout at all, so one slow answer from the gateway would hold a web or
worker process forever, and it wraps only the same five REST calls we make here. So we call the
Core API ourselves, each call with a connect and read timeout (`MIDTRANS_TIMEOUT_SECONDS`) and
retries on network errors only (`MIDTRANS_MAX_NETWORK_RETRIES`), never on an answer:

- a GET of the status changes nothing, so it is always repeated;
- a charge is repeated with the same `order_id`, which Midtrans refuses to charge twice (406):
  a 406 after a retry means the first attempt went through, so we read that charge back;
- a cancel or expire answered 412 after a retry has already happened; the status says so;
- a refund is repeated with the same `refund_key`, which Midtrans answers once.
"""

import base64
import hashlib
import hmac
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import httpx
from django.conf import settings

logger = logging.getLogger(__name__)

CHANNELS = (
    "qris",
    "bca_va",
    "bni_va",
    "bri_va",
    "permata_va",
    "mandiri_bill",
    "gopay",
    "shopeepay",
)
# Midtrans writes its times as wall-clock time in Jakarta (GMT+7) with no offset.
MIDTRANS_TIME_ZONE = timezone(timedelta(hours=7))
MIDTRANS_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# Pauses before the first, second, ... retry of a call that never got an answer.
RETRY_PAUSES_SECONDS = (0.2, 0.5, 1.0)
# Midtrans cuts item names and ids longer than this.
ITEM_TEXT_LIMIT = 50
# Answers in the 2xx range are successes, and so is 407: "Success, transaction has expired".
EXPIRED_STATUS_CODE = "407"

_VA_BANKS = {"bca_va": "bca", "bni_va": "bni", "bri_va": "bri", "permata_va": "permata"}


class GatewayError(Exception):
    """Midtrans refused the request or could not be reached (`status_code` "" when unreachable)."""

    def __init__(self, message: str, *, status_code: str = "", retried: bool = False):
        super().__init__(message)
        self.status_code = status_code
        # Whether this answer came to a repeated request (the first one may have gone through).
        self.retried = retried


class DuplicateOrderId(GatewayError):
    """406: the order id was already used for a charge."""


class NotFound(GatewayError):
    """404: Midtrans knows no transaction with this order id."""


class InvalidNotification(Exception):
    """A notification body that is unsigned, tampered with, signed with another key or incomplete."""


@dataclass(frozen=True)
class Charge:
    """What we need of a transaction; `gross_amount` in rupiah, times aware."""

    order_id: str
    transaction_id: str
    payment_type: str
    # One of CHANNELS for the methods we offer (else Midtrans' payment_type).
    channel: str
    # Midtrans' transaction_status: pending, settlement, capture, deny, cancel, expire, refund,
    # partial_refund, failure.
    status: str
    fraud_status: str
    status_code: str
    gross_amount: int
    va_number: str
    bank: str
    biller_code: str
    bill_key: str
    qr_string: str
    # The e-wallet app's link (GoPay, ShopeePay): opens the app on a phone.
    deeplink_url: str
    expires_at: datetime | None
    settled_at: datetime | None


@dataclass(frozen=True)
class Notification:
    """A verified notification; only a hint: re-read the status before acting on it."""

    order_id: str
    transaction_id: str
    status: str
    status_code: str
    gross_amount: int
    fraud_status: str


@dataclass(frozen=True)
class RefundResult:
    refund_key: str
    amount: int
    status_code: str


def is_configured() -> bool:
    return bool(settings.MIDTRANS_SERVER_KEY)


def to_gross_amount(rupiah: int) -> int:
    """Rp 350.000 → 350000, the integer Midtrans takes in a request."""
    if not isinstance(rupiah, int) or isinstance(rupiah, bool):
        raise TypeError("Rupiah amounts are whole numbers.")
    if rupiah < 0:
        raise ValueError("A rupiah amount is never negative.")
    return rupiah


def from_gross_amount(value: str) -> int:
    """ "350000.00" (as Midtrans writes it) → 350000; a fraction of a rupiah is refused."""
    if isinstance(value, int) and not isinstance(value, bool):
        return to_gross_amount(value)
    if not isinstance(value, str):
        raise ValueError(f"Not an amount: {value!r}")
    whole, _dot, fraction = value.strip().partition(".")
    if not whole.isdigit() or (fraction and (not fraction.isdigit() or int(fraction) != 0)):
        raise ValueError(f"Not a whole rupiah amount: {value!r}")
    return int(whole)


def signature(order_id: str, status_code: str, gross_amount: str) -> str:
    """Midtrans' signature_key: SHA-512 hex of order id, status code, amount string and server key."""
    text = f"{order_id}{status_code}{gross_amount}{settings.MIDTRANS_SERVER_KEY}"
    return hashlib.sha512(text.encode("utf-8")).hexdigest()


def verify_notification(body: dict) -> Notification:
    """Check a notification's signature_key (constant-time) and fields; the values it claims."""
    if not settings.MIDTRANS_SERVER_KEY:
        raise InvalidNotification("Midtrans is not configured (MIDTRANS_SERVER_KEY is empty).")
    if not isinstance(body, dict):
        raise InvalidNotification("Not a Midtrans notification.")
    fields = ("order_id", "status_code", "gross_amount", "signature_key", "transaction_status")
    values = {name: body.get(name) for name in fields}
    if not all(isinstance(value, str) and value for value in values.values()):
        raise InvalidNotification("A notification field is missing.")
    expected = signature(values["order_id"], values["status_code"], values["gross_amount"])
    if not hmac.compare_digest(expected.encode(), values["signature_key"].lower().encode()):
        raise InvalidNotification("The signature does not match.")
    try:
        amount = from_gross_amount(values["gross_amount"])
    except ValueError as error:
        raise InvalidNotification(str(error)) from error
    return Notification(
        order_id=values["order_id"],
        transaction_id=str(body.get("transaction_id") or ""),
        status=values["transaction_status"],
        status_code=values["status_code"],
        gross_amount=amount,
        fraud_status=str(body.get("fraud_status") or ""),
    )


def charge(
    *,
    channel: str,
    order_id: str,
    amount: int,
    expires_at: datetime,
    email: str,
    name: str = "",
    phone: str = "",
    items: list[tuple[str, str, int, int]] = (),
    callback_url: str = "",
) -> Charge:
    """Charge `amount` rupiah by `channel` under our `order_id`, payable until `expires_at`.

    `items` are (id, name, price, quantity); when given they must add up to `amount`.
    `callback_url` is where the GoPay or ShopeePay app sends the buyer back after paying.
    """
    if channel not in CHANNELS:
        raise ValueError(f"Unknown Midtrans channel: {channel!r}")
    gross_amount = to_gross_amount(amount)
    if gross_amount < 1:
        raise ValueError("A charge is for at least Rp 1.")
    if items and sum(price * quantity for _id, _name, price, quantity in items) != amount:
        raise ValueError("The items do not add up to the amount charged.")
    body = {
        **_payment_details(channel, callback_url),
        "transaction_details": {"order_id": order_id, "gross_amount": gross_amount},
        "customer_details": {
            key: value
            for key, value in (("first_name", name), ("email", email), ("phone", phone))
            if value
        },
        "custom_expiry": _custom_expiry(expires_at),
    }
    if items:
        body["item_details"] = [
            {
                "id": str(item_id)[:ITEM_TEXT_LIMIT],
                "name": str(item_name)[:ITEM_TEXT_LIMIT],
                "price": to_gross_amount(price),
                "quantity": quantity,
            }
            for item_id, item_name, price, quantity in items
        ]
    headers = {}
    if settings.MIDTRANS_NOTIFICATION_URL:
        headers["X-Override-Notification"] = settings.MIDTRANS_NOTIFICATION_URL
    try:
        answer = _call("POST", "/v2/charge", json=body, headers=headers)
    except DuplicateOrderId as error:
        if not error.retried:
            raise
        # Our first attempt reached Midtrans after all: that charge is the one. (Midtrans' status
        # answer carries no qr_string nor app link: a QRIS or e-wallet charge recovered so has
        # them empty, and the caller may cancel it and charge again under a new order id.)
        existing = status(order_id)
        if existing.gross_amount != amount or existing.channel != channel:
            raise
        return existing
    return _charge(answer)


def status(order_id: str) -> Charge:
    """The transaction as Midtrans has it now (GET /v2/<order_id>/status)."""
    answer = _call("GET", f"/v2/{_path(order_id)}/status")
    return _charge(answer)


def cancel(order_id: str) -> Charge:
    """Withdraw a pending charge; 412 (GatewayError) when it is no longer pending."""
    return _change(order_id, "cancel", "cancel")


def expire(order_id: str) -> Charge:
    """End a pending charge now, as if its time had run out; 412 when it is no longer pending."""
    return _change(order_id, "expire", "expire")


def refund(order_id: str, *, amount: int, refund_key: str, reason: str) -> RefundResult:
    """Refund `amount` rupiah of a settled charge (QRIS, GoPay, ShopeePay); a key refunds once."""
    body = {"refund_key": refund_key, "amount": to_gross_amount(amount), "reason": reason}
    answer = _call("POST", f"/v2/{_path(order_id)}/refund", json=body)
    refunded = answer.get("refund_amount")
    return RefundResult(
        refund_key=str(answer.get("refund_key") or refund_key),
        amount=from_gross_amount(refunded) if refunded is not None else amount,
        status_code=str(answer.get("status_code") or ""),
    )


def _change(order_id: str, action: str, final_status: str) -> Charge:
    try:
        answer = _call("POST", f"/v2/{_path(order_id)}/{action}")
    except GatewayError as error:
        if not (error.retried and error.status_code == "412"):
            raise
        # The attempt that got no answer did it; the status tells.
        current = status(order_id)
        if current.status != final_status:
            raise
        return current
    return _charge(answer)


def _payment_details(channel: str, callback_url: str) -> dict:
    if channel in _VA_BANKS:
        return {"payment_type": "bank_transfer", "bank_transfer": {"bank": _VA_BANKS[channel]}}
    if channel == "mandiri_bill":
        return {
            "payment_type": "echannel",
            "echannel": {"bill_info1": "Pembayaran:", "bill_info2": "Batik Kutai Timur"},
        }
    if channel == "qris":
        return {"payment_type": "qris", "qris": {"acquirer": "gopay"}}
    if channel == "gopay" and callback_url:
        return {
            "payment_type": "gopay",
            "gopay": {"enable_callback": True, "callback_url": callback_url},
        }
    if channel == "shopeepay" and callback_url:
        return {"payment_type": "shopeepay", "shopeepay": {"callback_url": callback_url}}
    return {"payment_type": channel}


def _custom_expiry(expires_at: datetime) -> dict:
    """Midtrans counts the expiry from `order_time` in whole minutes: round down, at least one."""
    if expires_at.tzinfo is None:
        raise ValueError("expires_at must be an aware datetime.")
    now = datetime.now(MIDTRANS_TIME_ZONE).replace(microsecond=0)
    minutes = max(1, int((expires_at - now).total_seconds() // 60))
    return {
        "order_time": now.strftime(f"{MIDTRANS_TIME_FORMAT} +0700"),
        "expiry_duration": minutes,
        "unit": "minute",
    }


def _path(order_id: str) -> str:
    # Our order ids are letters, digits and dashes; anything else must not change the URL's meaning.
    return quote(order_id, safe="")


def _base_url() -> str:
    if not settings.MIDTRANS_SERVER_KEY:
        raise GatewayError("Midtrans is not configured (MIDTRANS_SERVER_KEY is empty).")
    return settings.MIDTRANS_API_BASE


def _call(method: str, path: str, *, json: dict | None = None, headers: dict | None = None) -> dict:
    """Send one request, repeating it on network errors only; its answer, or the error it means.

    An error raised for the answer to a repeated request says so (`retried`).
    """
    url = f"{_base_url()}{path}"
    key = base64.b64encode(f"{settings.MIDTRANS_SERVER_KEY}:".encode()).decode()
    all_headers = {
        "Accept": "application/json",
        "Authorization": f"Basic {key}",
        **(headers or {}),
    }
    seconds = settings.MIDTRANS_TIMEOUT_SECONDS
    timeout = httpx.Timeout(seconds, connect=seconds, read=seconds)
    retries = max(0, settings.MIDTRANS_MAX_NETWORK_RETRIES)
    attempt = 0
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        while True:
            try:
                response = client.request(method, url, json=json, headers=all_headers)
                break
            except httpx.TransportError as error:
                if attempt >= retries:
                    raise GatewayError(f"Midtrans could not be reached: {error!r}") from error
                pause = RETRY_PAUSES_SECONDS[min(attempt, len(RETRY_PAUSES_SECONDS) - 1)]
                logger.warning(
                    "Midtrans %s %s failed (%r); retry %d of %d",
                    method,
                    path,
                    error,
                    attempt + 1,
                    retries,
                )
                attempt += 1
                time.sleep(pause)
    return _answer(response, retried=attempt > 0)


def _answer(response: httpx.Response, *, retried: bool) -> dict:
    """The answer's JSON, or the error it stands for; Midtrans' own status_code has the last word."""
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise GatewayError(
            f"Midtrans answered HTTP {response.status_code} without JSON.",
            status_code=str(response.status_code),
            retried=retried,
        )
    code = str(answer.get("status_code") or response.status_code)
    succeeded = response.status_code < 400 and (code.startswith("2") or code == EXPIRED_STATUS_CODE)
    if succeeded:
        return answer
    message = str(answer.get("status_message") or f"HTTP {response.status_code}")
    details = answer.get("validation_messages")
    if isinstance(details, list):
        message = f"{message} ({'; '.join(str(item) for item in details)})"
    kind = {"404": NotFound, "406": DuplicateOrderId}.get(code, GatewayError)
    raise kind(f"Midtrans refused the request: {code} {message}", status_code=code, retried=retried)


def _time(value) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value.strip(), MIDTRANS_TIME_FORMAT).replace(
            tzinfo=MIDTRANS_TIME_ZONE
        )
    except ValueError:
        return None


def _charge(answer: dict) -> Charge:
    payment_type = str(answer.get("payment_type") or "")
    va_numbers = answer.get("va_numbers") or []
    first_va = va_numbers[0] if va_numbers and isinstance(va_numbers[0], dict) else {}
    va_number, bank = str(first_va.get("va_number") or ""), str(first_va.get("bank") or "")
    if answer.get("permata_va_number"):
        va_number, bank = str(answer["permata_va_number"]), "permata"
    if payment_type == "echannel":
        bank = "mandiri"
    channel = {"echannel": "mandiri_bill"}.get(payment_type, payment_type)
    if payment_type == "bank_transfer" and bank:
        channel = f"{bank}_va"
    deeplink = ""
    for action in answer.get("actions") or []:
        if isinstance(action, dict) and action.get("name") == "deeplink-redirect":
            deeplink = str(action.get("url") or "")
    try:
        amount = from_gross_amount(answer.get("gross_amount"))
    except ValueError as error:
        raise GatewayError(f"Midtrans answered an amount we cannot read: {error}") from error
    return Charge(
        order_id=str(answer.get("order_id") or ""),
        transaction_id=str(answer.get("transaction_id") or ""),
        payment_type=payment_type,
        channel=channel,
        status=str(answer.get("transaction_status") or ""),
        fraud_status=str(answer.get("fraud_status") or ""),
        status_code=str(answer.get("status_code") or ""),
        gross_amount=amount,
        va_number=va_number,
        bank=bank,
        biller_code=str(answer.get("biller_code") or ""),
        bill_key=str(answer.get("bill_key") or ""),
        qr_string=str(answer.get("qr_string") or ""),
        deeplink_url=deeplink,
        expires_at=_time(answer.get("expiry_time")),
        settled_at=_time(answer.get("settlement_time")),
    )
