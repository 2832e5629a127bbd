"""A local fake of Midtrans' Core API, in the spirit of localstripe: nothing reaches the internet.

    python -m fakes.midtrans --port 8001 --server-key SB-Mid-server-demo \\
        [--notification-url URL] [--public-url URL]

Listens on 127.0.0.1 only and keeps its state in memory. It answers with the real API's JSON
shapes and status codes (docs.midtrans.com):

- `POST /v2/charge` for bank_transfer (bca, bni, bri, permata), echannel (Mandiri bill), qris,
  gopay and shopeepay: 201 pending, with `custom_expiry` honoured; 406 for an order id in use,
  401 for a wrong server key (Basic auth), 400 for a bad amount or item_details not adding up;
- `GET /v2/<order_id>/status`; `POST /v2/<order_id>/cancel` and `/expire` (pending only, else
  412); `POST /v2/<order_id>/refund` (settled QRIS, GoPay, ShopeePay; one refund per refund_key);
- signed HTTP notifications (signature_key = SHA-512 of order_id + status_code + gross_amount +
  server key) POSTed to the charge's `X-Override-Notification` URL, else `--notification-url`,
  from a background thread, retried with backoff while the receiver fails.

Controls for tests and demos (no money moves anywhere):

- `POST /_sim/pay/<order_id>`: the buyer pays (settlement); `POST /_sim/scan` with `qr_string`:
  a QRIS/GoPay QR is scanned and paid; `POST /_sim/expire/<order_id>`: the charge's time runs out;
  `POST /_sim/notify/<order_id>`: the last notification is sent again (a duplicate);
- `POST /_config/notifications` `{"mode": "send" | "hold"}`: hold drops notifications (a lost
  webhook); `DELETE /_config/data` forgets everything; `GET /_sim/charges.json`,
  `GET /_sim/notifications.json`: what happened;
- `GET /` or `/simulator/`: the "Simulator pembayaran (demo)" page, to pay a demo order by hand.
"""

import argparse
import base64
import hashlib
import heapq
import html
import itertools
import json
import random
import secrets
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlsplit

JAKARTA = timezone(timedelta(hours=7))  # Midtrans' times: GMT+7 wall time
WITA = timezone(timedelta(hours=8))  # Kutai Timur's time, for the simulator page
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
MERCHANT_ID = "G000000000"
PAYMENT_TYPES = ("bank_transfer", "echannel", "qris", "gopay", "shopeepay")
VA_BANKS = ("bca", "bni", "bri", "permata")
REFUNDABLE = ("qris", "gopay", "shopeepay")
# Default expiry when the charge names no custom_expiry (Midtrans: 24 h for bank transfers).
DEFAULT_EXPIRY = {
    "bank_transfer": timedelta(hours=24),
    "echannel": timedelta(hours=24),
    "qris": timedelta(minutes=15),
    "gopay": timedelta(minutes=15),
    "shopeepay": timedelta(minutes=15),
}
EXPIRY_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
# The status_code Midtrans gives a transaction in a status answer and in a notification.
STATUS_CODES = {
    "pending": ("201", "201"),
    "settlement": ("200", "200"),
    "capture": ("200", "200"),
    "expire": ("407", "202"),
    "cancel": ("200", "202"),
    "deny": ("202", "202"),
    "refund": ("200", "200"),
    "partial_refund": ("200", "200"),
}
CLOSED_STATUSES = ("expire", "cancel", "deny", "failure")
RETRY_PAUSES_SECONDS = (0.5, 1, 2, 4, 8)
CHANNEL_NAMES = {
    "bca": "BCA Virtual Account",
    "bni": "BNI Virtual Account",
    "bri": "BRI Virtual Account",
    "permata": "Permata Virtual Account",
    "echannel": "Mandiri Bill Payment",
    "qris": "QRIS",
    "gopay": "GoPay",
    "shopeepay": "ShopeePay",
}


class ApiError(Exception):
    """An answer with Midtrans' error shape: the HTTP status equals the body's status_code."""

    def __init__(self, code: str, message: str, validation_messages: list[str] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.validation_messages = validation_messages

    def body(self) -> dict:
        body = {"status_code": self.code, "status_message": self.message, "id": str(uuid.uuid4())}
        if self.validation_messages:
            body["validation_messages"] = self.validation_messages
        return body


def midtrans_time(moment: datetime) -> str:
    return moment.astimezone(JAKARTA).strftime(TIME_FORMAT)


def amount_string(rupiah: int) -> str:
    return f"{rupiah}.00"


def rupiah_text(rupiah: int) -> str:
    return "Rp " + f"{rupiah:,}".replace(",", ".")


def sign(order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    return hashlib.sha512(f"{order_id}{status_code}{gross_amount}{server_key}".encode()).hexdigest()


def _tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def _crc16(text: str) -> str:
    """CRC-16/CCITT-FALSE, the checksum that ends every QRIS string."""
    crc = 0xFFFF
    for byte in text.encode("ascii"):
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def qris_string(transaction_id: str, rupiah: int) -> str:
    """A dynamic QRIS payload (EMVCo merchant-presented) naming this transaction."""
    payload = "".join(
        [
            _tlv("00", "01"),
            _tlv("01", "12"),
            _tlv("26", _tlv("00", "COM.GO-JEK.WWW") + _tlv("01", "936009140000000000")),
            _tlv("51", _tlv("00", "ID.CO.QRIS.WWW") + _tlv("02", "ID1020000000001")),
            _tlv("52", "5999"),
            _tlv("53", "360"),
            _tlv("54", str(rupiah)),
            _tlv("58", "ID"),
            _tlv("59", "BATIK KUTAI TIMUR DEMO"),
            _tlv("60", "SANGATTA"),
            _tlv("62", _tlv("05", transaction_id.replace("-", "")[:25])),
        ]
    )
    payload += "6304"
    return payload + _crc16(payload)


class Store:
    """Every charge, its notifications and the delivery queue; one lock guards it all."""

    def __init__(self, *, server_key: str, notification_url: str, public_url: str):
        self.server_key = server_key
        self.notification_url = notification_url
        self.public_url = public_url.rstrip("/")
        self.lock = threading.RLock()
        self.wake = threading.Condition(self.lock)
        self.random = random.Random()
        self.sequence = itertools.count(1)
        self.clear()

    def clear(self) -> None:
        with self.lock:
            self.charges: dict[str, dict] = {}
            self.mode = "send"
            self.deliveries: list = []  # heap of (due, sequence, delivery)
            self.log: list[dict] = []
            self.refund_ids = itertools.count(1)

    # --- lookups ---

    def find(self, key: str) -> dict:
        charge = self.charges.get(key)
        if charge is None:
            charge = next(
                (item for item in self.charges.values() if item["transaction_id"] == key), None
            )
        if charge is None:
            raise ApiError("404", "Transaction doesn't exist.")
        self.expire_if_due(charge)
        return charge

    def digits(self, count: int) -> str:
        return "".join(self.random.choice("0123456789") for _ in range(count))

    # --- the API ---

    def create(self, body: dict, *, notification_url: str) -> dict:
        payment_type, details = self.validate(body)
        order_id = body["transaction_details"]["order_id"]
        amount = details["amount"]
        with self.lock:
            existing = self.charges.get(order_id)
            if existing is not None:
                self.expire_if_due(existing)
                if existing["status"] not in CLOSED_STATUSES:
                    raise ApiError(
                        "406", "order_id has been paid and utilized, please use another order ID"
                    )
            now = datetime.now(JAKARTA).replace(microsecond=0)
            start, lifetime = details["expiry"] or (now, DEFAULT_EXPIRY[payment_type])
            transaction_id = str(uuid.uuid4())
            charge = {
                "order_id": order_id,
                "transaction_id": transaction_id,
                "payment_type": payment_type,
                "bank": details["bank"],
                "gross_amount": amount,
                "transaction_time": now,
                "expiry_time": start + lifetime,
                "settlement_time": None,
                "status": "pending",
                "fraud_status": "accept",
                "va_number": "",
                "biller_code": "",
                "bill_key": "",
                "qr_string": "",
                "refunds": [],
                "notification_url": notification_url,
                "last_notification": None,
                "customer": body.get("customer_details") or {},
                # Where the e-wallet app sends the buyer back after paying (GoPay, ShopeePay).
                "callback_url": str((body.get(payment_type) or {}).get("callback_url") or ""),
            }
            if payment_type == "bank_transfer":
                prefixes = {"bca": ("12345", 6), "bni": ("9888", 12), "bri": ("1234", 14)}
                prefix, count = prefixes.get(details["bank"], ("8778", 12))
                charge["va_number"] = prefix + self.digits(count)
            elif payment_type == "echannel":
                charge["biller_code"], charge["bill_key"] = "70012", self.digits(12)
            if payment_type in ("qris", "gopay"):
                charge["qr_string"] = qris_string(transaction_id, amount)
            self.charges[order_id] = charge
            answer = self.charge_answer(charge)
            self.notify(charge)
            return answer

    def validate(self, body: dict) -> tuple[str, dict]:
        if not isinstance(body, dict):
            raise ApiError("400", "One or more parameters in the payload is invalid.")
        problems = []
        payment_type = body.get("payment_type")
        if payment_type not in PAYMENT_TYPES:
            raise ApiError(
                "400",
                "One or more parameters in the payload is invalid.",
                [f"payment_type {payment_type!r} is not supported by this fake"],
            )
        bank = ""
        if payment_type == "bank_transfer":
            bank = (body.get("bank_transfer") or {}).get("bank")
            if bank not in VA_BANKS:
                problems.append("bank_transfer.bank must be one of bca, bni, bri, permata")
        elif payment_type == "echannel":
            bank = "mandiri"
        details = body.get("transaction_details")
        if not isinstance(details, dict):
            raise ApiError(
                "400",
                "One or more parameters in the payload is invalid.",
                ["transaction_details is required"],
            )
        order_id = details.get("order_id")
        if not isinstance(order_id, str) or not order_id or len(order_id) > 50:
            problems.append("transaction_details.order_id is required (at most 50 characters)")
        amount = details.get("gross_amount")
        if isinstance(amount, float) and amount.is_integer():
            amount = int(amount)
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
            problems.append("transaction_details.gross_amount must be a whole number of at least 1")
            amount = None
        items = body.get("item_details")
        if items is not None and amount is not None:
            try:
                total = sum(int(item["price"]) * int(item["quantity"]) for item in items)
            except (KeyError, TypeError, ValueError):
                problems.append("item_details must have a price and quantity each")
            else:
                if total != amount:
                    problems.append(
                        "transaction_details.gross_amount is not equal to the sum of item_details"
                    )
        expiry = None
        custom = body.get("custom_expiry")
        if custom is not None:
            try:
                unit = str(custom.get("unit") or "minute").rstrip("s")
                lifetime = timedelta(seconds=int(custom["expiry_duration"]) * EXPIRY_UNITS[unit])
                start = datetime.now(JAKARTA).replace(microsecond=0)
                if custom.get("order_time"):
                    start = datetime.strptime(custom["order_time"], f"{TIME_FORMAT} %z")
                expiry = (start.astimezone(JAKARTA), lifetime)
            except (AttributeError, KeyError, TypeError, ValueError):
                problems.append("custom_expiry is invalid")
        if problems:
            raise ApiError("400", "One or more parameters in the payload is invalid.", problems)
        return payment_type, {"amount": amount, "bank": bank, "expiry": expiry}

    def cancel(self, key: str) -> dict:
        return self.close(key, "cancel", "200", "Success, transaction is canceled")

    def expire(self, key: str) -> dict:
        return self.close(key, "expire", "407", "Success, transaction has expired")

    def close(self, key: str, status: str, code: str, message: str) -> dict:
        with self.lock:
            charge = self.find(key)
            if charge["status"] != "pending":
                raise ApiError("412", "Merchant cannot modify the status of the transaction")
            charge["status"] = status
            self.notify(charge)
            return {**self.base(charge), "status_code": code, "status_message": message}

    def refund(self, key: str, body: dict) -> dict:
        with self.lock:
            charge = self.find(key)
            body = body if isinstance(body, dict) else {}
            refund_key = str(body.get("refund_key") or uuid.uuid4())
            done = next(
                (item for item in charge["refunds"] if item["refund_key"] == refund_key), None
            )
            if done is None:
                if charge["payment_type"] not in REFUNDABLE or charge["status"] not in (
                    "settlement",
                    "partial_refund",
                ):
                    raise ApiError("412", "Merchant cannot modify the status of the transaction")
                left = charge["gross_amount"] - sum(item["amount"] for item in charge["refunds"])
                amount = body.get("amount", left)
                if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
                    raise ApiError(
                        "400",
                        "One or more parameters in the payload is invalid.",
                        ["amount must be a whole number of at least 1"],
                    )
                if amount > left:
                    raise ApiError("412", "Refund amount exceeds the amount that can be refunded")
                done = {
                    "refund_chargeback_id": next(self.refund_ids),
                    "refund_chargeback_uuid": str(uuid.uuid4()),
                    "amount": amount,
                    "created_at": datetime.now(JAKARTA),
                    "reason": str(body.get("reason") or ""),
                    "refund_key": refund_key,
                }
                charge["refunds"].append(done)
                refunded = sum(item["amount"] for item in charge["refunds"])
                charge["status"] = (
                    "refund" if refunded == charge["gross_amount"] else "partial_refund"
                )
                self.notify(charge)
            return {
                **self.base(charge),
                "status_code": "200",
                "status_message": "Success, refund request is approved",
                "refund_chargeback_id": done["refund_chargeback_id"],
                "refund_amount": amount_string(done["amount"]),
                "refund_key": done["refund_key"],
            }

    # --- the simulator ---

    def pay(self, key: str) -> dict:
        with self.lock:
            charge = self.find(key)
            if charge["status"] != "pending":
                raise ApiError("412", f"The transaction is {charge['status']}, not pending")
            charge["status"] = "settlement"
            charge["settlement_time"] = datetime.now(JAKARTA).replace(microsecond=0)
            self.notify(charge)
            return self.status_answer(charge)

    def scan(self, qr_string: str) -> dict:
        with self.lock:
            qr_string = qr_string.strip()
            charge = next(
                (
                    item
                    for item in self.charges.values()
                    if qr_string and item["qr_string"] == qr_string
                ),
                None,
            )
            if charge is None:
                raise ApiError("404", "No transaction has this QR code.")
            return self.pay(charge["order_id"])

    def run_out(self, key: str) -> dict:
        with self.lock:
            charge = self.find(key)
            if charge["status"] != "pending":
                raise ApiError("412", f"The transaction is {charge['status']}, not pending")
            charge["expiry_time"] = datetime.now(JAKARTA).replace(microsecond=0)
            self.expire_if_due(charge)
            return self.status_answer(charge)

    def renotify(self, key: str) -> dict:
        with self.lock:
            charge = self.find(key)
            if charge["last_notification"] is None:
                raise ApiError("404", "No notification was made for this transaction yet.")
            self.queue(charge, dict(charge["last_notification"]))
            return charge["last_notification"]

    def expire_if_due(self, charge: dict) -> None:
        if charge["status"] == "pending" and charge["expiry_time"] <= datetime.now(JAKARTA):
            charge["status"] = "expire"
            self.notify(charge)

    def expire_due(self) -> None:
        with self.lock:
            for charge in list(self.charges.values()):
                self.expire_if_due(charge)

    # --- answers ---

    def base(self, charge: dict) -> dict:
        return {
            "transaction_id": charge["transaction_id"],
            "order_id": charge["order_id"],
            "merchant_id": MERCHANT_ID,
            "gross_amount": amount_string(charge["gross_amount"]),
            "currency": "IDR",
            "payment_type": charge["payment_type"],
            "transaction_time": midtrans_time(charge["transaction_time"]),
            "transaction_status": charge["status"],
            "fraud_status": charge["fraud_status"],
        }

    def payment_fields(self, charge: dict) -> dict:
        fields = {"expiry_time": midtrans_time(charge["expiry_time"])}
        if charge["payment_type"] == "bank_transfer":
            if charge["bank"] == "permata":
                fields["permata_va_number"] = charge["va_number"]
            else:
                fields["va_numbers"] = [{"bank": charge["bank"], "va_number": charge["va_number"]}]
                fields["payment_amounts"] = []
        elif charge["payment_type"] == "echannel":
            fields["biller_code"] = charge["biller_code"]
            fields["bill_key"] = charge["bill_key"]
        elif charge["payment_type"] == "qris":
            fields["acquirer"] = "gopay"
        if charge["settlement_time"] is not None:
            fields["settlement_time"] = midtrans_time(charge["settlement_time"])
            if "payment_amounts" in fields:
                fields["payment_amounts"] = [
                    {
                        "paid_at": fields["settlement_time"],
                        "amount": amount_string(charge["gross_amount"]),
                    }
                ]
        if charge["refunds"]:
            fields["refund_amount"] = amount_string(
                sum(item["amount"] for item in charge["refunds"])
            )
            fields["refunds"] = [
                {
                    "refund_chargeback_id": item["refund_chargeback_id"],
                    "refund_chargeback_uuid": item["refund_chargeback_uuid"],
                    "refund_amount": amount_string(item["amount"]),
                    "created_at": midtrans_time(item["created_at"]),
                    "reason": item["reason"],
                    "refund_key": item["refund_key"],
                    "refund_method": "",
                }
                for item in charge["refunds"]
            ]
        return fields

    def charge_answer(self, charge: dict) -> dict:
        payment_type = charge["payment_type"]
        messages = {
            "bank_transfer": "Success, Bank Transfer transaction is created",
            "echannel": "OK, Mandiri Bill transaction is successful",
            "qris": "QRIS transaction is created",
            "gopay": "GoPay transaction is created",
            "shopeepay": "ShopeePay transaction is created",
        }
        answer = {
            **self.base(charge),
            "status_code": "201",
            "status_message": messages[payment_type],
            **self.payment_fields(charge),
        }
        api = f"{self.public_url}/v2"
        app_link = f"{self.public_url}/simulator/app/{charge['transaction_id']}"
        qr_image = {
            "name": "generate-qr-code",
            "method": "GET",
            "url": f"{api}/{payment_type}/{charge['transaction_id']}/qr-code",
        }
        if payment_type in ("qris", "gopay"):
            answer["qr_string"] = charge["qr_string"]
        if payment_type == "qris":
            answer["actions"] = [qr_image]
        elif payment_type == "gopay":
            answer["actions"] = [
                qr_image,
                {"name": "deeplink-redirect", "method": "GET", "url": app_link},
                {
                    "name": "get-status",
                    "method": "GET",
                    "url": f"{api}/{charge['transaction_id']}/status",
                },
                {
                    "name": "cancel",
                    "method": "POST",
                    "url": f"{api}/{charge['transaction_id']}/cancel",
                    "fields": [],
                },
            ]
        elif payment_type == "shopeepay":
            answer["actions"] = [{"name": "deeplink-redirect", "method": "GET", "url": app_link}]
        return answer

    def status_answer(self, charge: dict) -> dict:
        code = STATUS_CODES[charge["status"]][0]
        return {
            **self.base(charge),
            "status_code": code,
            "status_message": "Success, transaction is found",
            **self.payment_fields(charge),
        }

    def notification(self, charge: dict) -> dict:
        code = STATUS_CODES[charge["status"]][1]
        amount = amount_string(charge["gross_amount"])
        return {
            **self.base(charge),
            **self.payment_fields(charge),
            "status_code": code,
            "status_message": "midtrans payment notification",
            "signature_key": sign(charge["order_id"], code, amount, self.server_key),
        }

    # --- notifications ---

    def notify(self, charge: dict) -> None:
        body = self.notification(charge)
        charge["last_notification"] = body
        self.queue(charge, body)

    def queue(self, charge: dict, body: dict) -> None:
        url = charge["notification_url"] or self.notification_url
        entry = {
            "order_id": body["order_id"],
            "transaction_status": body["transaction_status"],
            "status_code": body["status_code"],
            "url": url,
            "attempts": 0,
            "delivered": False,
            "held": self.mode == "hold",
        }
        self.log.append(entry)
        if url and self.mode == "send":
            heapq.heappush(self.deliveries, (time.monotonic(), next(self.sequence), entry, body))
            self.wake.notify_all()

    def deliver_forever(self) -> None:
        """The sending thread: posts each due notification, and re-queues it while it fails."""
        while True:
            with self.lock:
                while not self.deliveries or self.deliveries[0][0] > time.monotonic():
                    wait = self.deliveries[0][0] - time.monotonic() if self.deliveries else 0.5
                    self.wake.wait(timeout=max(0.01, min(wait, 0.5)))
                    self.expire_due()
                _due, _sequence, entry, body = heapq.heappop(self.deliveries)
            delivered = post_json(entry["url"], body)
            with self.lock:
                entry["attempts"] += 1
                entry["delivered"] = delivered
                if not delivered and entry["attempts"] <= len(RETRY_PAUSES_SECONDS):
                    pause = RETRY_PAUSES_SECONDS[entry["attempts"] - 1]
                    due = time.monotonic() + pause
                    heapq.heappush(self.deliveries, (due, next(self.sequence), entry, body))

    def public_charges(self) -> list[dict]:
        with self.lock:
            self.expire_due()
            return [
                {**self.status_answer(charge), "qr_string": charge["qr_string"]}
                for charge in self.charges.values()
            ]


def post_json(url: str, body: dict) -> bool:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError, ValueError):
        return False


def wita(moment: datetime) -> str:
    months = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
    local = moment.astimezone(WITA)
    return f"{local.day} {months[local.month - 1]} {local.year} {local:%H:%M} WITA"


PAGE_STYLE = """
body{font-family:system-ui,sans-serif;margin:0;background:#f6f1e7;color:#2b2118}
header{background:#7a3b12;color:#fff;padding:1rem}header h1{margin:0;font-size:1.3rem}
header p{margin:.3rem 0 0;opacity:.9}main{padding:1rem;max-width:48rem;margin:auto}
.note{background:#fff3cd;border:1px solid #e0c36a;padding:.75rem;border-radius:.5rem}
.flash{background:#e3f4e1;border:1px solid #8cc084;padding:.75rem;border-radius:.5rem}
.card{background:#fff;border-radius:.5rem;padding:1rem;margin:1rem 0;box-shadow:0 1px 3px #0002}
.card dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem .75rem;margin:0 0 .75rem}
.card dt{color:#6b5b4b}.card dd{margin:0;word-break:break-all}
button{font-size:1rem;padding:.6rem 1rem;border-radius:.4rem;border:0;margin:.2rem 0}
.pay{background:#1d7a3a;color:#fff}.late{background:#ddd;color:#333}
textarea{width:100%;box-sizing:border-box;min-height:5rem;font-family:monospace}
form{display:inline-block;margin-right:.5rem}table{width:100%;border-collapse:collapse}
td,th{text-align:left;padding:.3rem;border-bottom:1px solid #eee;font-size:.9rem}
"""


def simulator_page(store: Store, *, message: str = "", only: str = "") -> str:
    charges = store.public_charges()
    if only:
        charges = [item for item in charges if item["transaction_id"] == only]
    pending = [item for item in charges if item["transaction_status"] == "pending"]
    others = [item for item in charges if item["transaction_status"] != "pending"][-10:]
    esc = html.escape
    cards = []
    for item in pending:
        with store.lock:
            charge = store.charges[item["order_id"]]
        channel = CHANNEL_NAMES.get(
            charge["bank"] or charge["payment_type"], charge["payment_type"]
        )
        rows = [("Order ID", item["order_id"]), ("Metode / Method", channel)]
        if charge["va_number"]:
            rows.append(("Nomor VA", charge["va_number"]))
        if charge["bill_key"]:
            rows += [("Kode perusahaan", charge["biller_code"]), ("Kode bayar", charge["bill_key"])]
        if charge["qr_string"]:
            rows.append(("QRIS", charge["qr_string"]))
        rows += [
            ("Jumlah / Amount", rupiah_text(charge["gross_amount"])),
            ("Batas bayar / Deadline", wita(charge["expiry_time"])),
        ]
        order_path = quote(item["order_id"], safe="")
        cards.append(
            '<section class="card"><dl>'
            + "".join(f"<dt>{esc(label)}</dt><dd>{esc(value)}</dd>" for label, value in rows)
            + f'</dl><form method="post" action="/_sim/pay/{order_path}">'
            + ('<input type="hidden" name="from_app" value="1">' if only else "")
            + '<button class="pay" type="submit">Bayar</button></form>'
            f'<form method="post" action="/_sim/expire/{order_path}">'
            '<button class="late" type="submit">Kedaluwarsa</button></form></section>'
        )
    if not cards:
        cards.append('<p class="card">Belum ada tagihan yang menunggu. / No pending charges.</p>')
    history = "".join(
        f"<tr><td>{esc(item['order_id'])}</td><td>{esc(item['transaction_status'])}</td>"
        f"<td>{esc(rupiah_text(int(item['gross_amount'].split('.')[0])))}</td></tr>"
        for item in reversed(others)
    )
    flash = f'<p class="flash" role="status">{esc(message)}</p>' if message else ""
    return f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Simulator pembayaran (demo)</title><style>{PAGE_STYLE}</style></head>
<body><header><h1>Simulator pembayaran (demo)</h1>
<p>Payment simulator (demo): a local stand-in for Midtrans</p></header>
<main>
<p class="note"><strong>Tidak ada uang yang berpindah.</strong> Halaman ini meniru bank dan dompet
digital untuk pesanan demo. / No money moves: this page plays the bank and the e-wallet for demo
orders.</p>
{flash}
<h2>Menunggu pembayaran / Waiting for payment</h2>
{"".join(cards)}
<section class="card"><h2>Pindai QRIS / Scan a QRIS</h2>
<form method="post" action="/_sim/scan" style="display:block">
<label for="qr">Tempel teks QRIS dari halaman pesanan / Paste the QRIS text of the order page</label>
<textarea id="qr" name="qr_string" required></textarea>
<button class="pay" type="submit">Pindai dan bayar / Scan and pay</button></form></section>
<h2>Riwayat / History</h2>
<table><tr><th>Order ID</th><th>Status</th><th>Jumlah</th></tr>{history}</table>
</main></body></html>"""


class Handler(BaseHTTPRequestHandler):
    server_version = "FakeMidtrans/1.0"
    store: Store  # each server gets its own subclass holding its store (see serve())

    def log_message(self, format, *args):
        sys.stderr.write(f"fake-midtrans: {format % args}\n")

    # --- plumbing ---

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if "application/x-www-form-urlencoded" in (self.headers.get("Content-Type") or ""):
            return {key: values[0] for key, values in parse_qs(raw.decode()).items()}
        if not raw:
            return {}
        try:
            return json.loads(raw)
        except ValueError:
            return None

    def from_form(self) -> bool:
        return "application/x-www-form-urlencoded" in (self.headers.get("Content-Type") or "")

    def send(self, status: int, body, content_type: str = "application/json") -> None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def back_to_page(self, message: str) -> None:
        self.redirect(f"/simulator/?msg={quote(message)}")

    def redirect(self, location: str) -> None:
        self.send_response(303)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def authorized(self) -> bool:
        header = self.headers.get("Authorization") or ""
        expected = base64.b64encode(f"{self.store.server_key}:".encode()).decode()
        return secrets.compare_digest(header.encode(), f"Basic {expected}".encode())

    def route(self, method: str) -> None:
        parts = urlsplit(self.path)
        path = [unquote(part) for part in parts.path.strip("/").split("/") if part]
        try:
            if path[:1] == ["v2"]:
                if not self.authorized():
                    raise ApiError(
                        "401",
                        "Access denied due to unauthorized transaction, please check client or server key",
                    )
                self.send(200, self.api(method, path[1:]))
            elif path[:1] in (["_sim"], ["_config"]):
                self.control(method, path)
            elif method == "GET" and (path in ([], ["simulator"])):
                message = parse_qs(parts.query).get("msg", [""])[0]
                self.send(200, simulator_page(self.store, message=message), "text/html")
            elif method == "GET" and path[:2] == ["simulator", "app"] and len(path) == 3:
                self.send(200, simulator_page(self.store, only=path[2]), "text/html")
            else:
                raise ApiError("404", "The requested resource is not found")
        except ApiError as error:
            if self.from_form() and path[:1] == ["_sim"]:
                self.back_to_page(error.message)
            else:
                self.send(int(error.code), error.body())

    def api(self, method: str, path: list[str]) -> dict:
        store = self.store
        if method == "POST" and path == ["charge"]:
            body = self.read_body()
            url = self.headers.get("X-Override-Notification") or ""
            return store.create(body, notification_url=url.split(",")[0].strip())
        if len(path) == 2:
            key, action = path
            if method == "GET" and action == "status":
                with store.lock:
                    return store.status_answer(store.find(key))
            if method == "POST" and action == "cancel":
                return store.cancel(key)
            if method == "POST" and action == "expire":
                return store.expire(key)
            if method == "POST" and action == "refund":
                return store.refund(key, self.read_body())
        raise ApiError("404", "The requested resource is not found")

    def control(self, method: str, path: list[str]) -> None:
        store = self.store
        if method == "GET" and path == ["_sim", "charges.json"]:
            return self.send(200, store.public_charges())
        if method == "GET" and path == ["_sim", "notifications.json"]:
            with store.lock:
                return self.send(200, [dict(entry) for entry in store.log])
        if method == "DELETE" and path == ["_config", "data"]:
            store.clear()
            return self.send(200, {"status": "cleared"})
        if method == "POST" and path == ["_config", "notifications"]:
            mode = (self.read_body() or {}).get("mode")
            if mode not in ("send", "hold"):
                raise ApiError("400", 'mode must be "send" or "hold"')
            with store.lock:
                store.mode = mode
            return self.send(200, {"mode": mode})
        if method == "POST" and path == ["_sim", "scan"]:
            answer = store.scan(str((self.read_body() or {}).get("qr_string") or ""))
            return self.done(answer, f"Dibayar: {answer['order_id']}")
        if method == "POST" and len(path) == 3 and path[1] in ("pay", "expire", "notify"):
            action = {"pay": store.pay, "expire": store.run_out, "notify": store.renotify}[path[1]]
            form = (self.read_body() or {}) if self.from_form() else {}
            answer = action(path[2])
            with store.lock:
                back = store.charges[answer["order_id"]]["callback_url"]
            if path[1] == "pay" and form.get("from_app") and back:
                # Paid in the "app": it sends the buyer back to the shop, as GoPay does.
                return self.redirect(back)
            words = {
                "pay": "Dibayar",
                "expire": "Kedaluwarsa",
                "notify": "Notifikasi dikirim ulang",
            }
            return self.done(answer, f"{words[path[1]]}: {path[2]}")
        raise ApiError("404", "The requested resource is not found")

    def done(self, answer: dict, message: str) -> None:
        if self.from_form():
            self.back_to_page(message)
        else:
            self.send(200, answer)

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_DELETE(self):
        self.route("DELETE")


def serve(*, port: int, server_key: str, notification_url: str = "", public_url: str = ""):
    """Start the fake on 127.0.0.1:`port` (0: any free port); the server, not yet serving."""
    store = Store(server_key=server_key, notification_url=notification_url, public_url="")
    server = ThreadingHTTPServer(("127.0.0.1", port), type("Bound", (Handler,), {"store": store}))
    server.daemon_threads = True
    store.public_url = (public_url or f"http://127.0.0.1:{server.server_address[1]}").rstrip("/")
    threading.Thread(target=store.deliver_forever, name="notifications", daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m fakes.midtrans", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--server-key", default="SB-Mid-server-demo")
    parser.add_argument("--notification-url", default="", help="where notifications go by default")
    parser.add_argument("--public-url", default="", help="this server's address in action URLs")
    options = parser.parse_args(argv)
    server = serve(
        port=options.port,
        server_key=options.server_key,
        notification_url=options.notification_url,
        public_url=options.public_url,
    )
    host, port = server.server_address[:2]
    print(f"Fake Midtrans on http://{host}:{port}/ (simulator: /simulator/)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
