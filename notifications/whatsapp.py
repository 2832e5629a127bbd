"""The one door to the WhatsApp Business Cloud API: approved template messages to makers.

Nothing else in the project speaks the Cloud API's wire protocol; the outbox in
`notifications.services` calls `send_template` with plain values and gets the message id back.
A message is `POST /{version}/{phone_number_id}/messages` with a bearer token, `type: template`,
the template's name and language code, and its body parameters as text, in order; the answer's
`messages[0].id` (a "wamid.") is what we keep.

Called with `httpx`, each call with a connect and read timeout (`WHATSAPP_TIMEOUT_SECONDS`), like
`orders/payments/midtrans_api.py`. A request that could not even connect is repeated at once a
few times (`WHATSAPP_MAX_NETWORK_RETRIES`): nothing reached Meta. Anything else that is not an
answer, and any answer saying the service is busy or down, raises `Unavailable`: the outbox
keeps the message and a later run sends it. The Cloud API has no idempotency key, so a request
that reached Meta but whose answer was lost may be sent again then; its one-tap link is the same
single-use link, so a repeat changes nothing. An answer refusing this message (bad parameters,
a template that is not approved, a number not on WhatsApp) raises `Refused`.
"""

import logging
import time
from dataclasses import dataclass

import httpx
from django.conf import settings

logger = logging.getLogger(__name__)

# The kinds of message the outbox sends, each its own approved template (settings name them).
NEW_ORDER = "new_order"
PAYMENT = "payment"
REMINDER = "reminder"
INVITATION = "invitation"
KINDS = (NEW_ORDER, PAYMENT, REMINDER, INVITATION)
# Our languages as WhatsApp's template language codes.
LANGUAGE_CODES = {"id": "id", "en": "en"}
# Pauses before the first, second, ... repeat of a request that could not connect.
RETRY_PAUSES_SECONDS = (0.2, 0.5, 1.0)
# Graph API error codes that mean "later", not "never" (docs: WhatsApp error codes): the API
# service (2), app rate limits (4, 80007), Cloud API throughput (130429), unknown (131000),
# the service unavailable (131016, 133004), the access token (190: a token to renew, which
# must not cost any message its attempts).
TEMPORARY_CODES = {1, 2, 4, 190, 80007, 130429, 131000, 131016, 133004}
# Meta caps a text parameter's length; a longer one is refused (131009).
PARAMETER_LIMIT = 1000


class WhatsAppError(Exception):
    """The Cloud API did not take the message (`code` is Meta's error code, 0 when unknown)."""

    def __init__(self, message: str, *, code: int = 0, status: int = 0):
        super().__init__(message)
        self.code = code
        self.status = status


class Unavailable(WhatsAppError):
    """Unreachable, busy, down, or not authorised now: try again later, at no cost."""


class Refused(WhatsAppError):
    """This message was refused for what it is: counting against it, keep the rest going."""


@dataclass(frozen=True)
class Sent:
    message_id: str
    wa_id: str


def is_configured(kind: str = "") -> bool:
    """Token and phone number id set, and a template named for `kind` (when given)."""
    if not (settings.WHATSAPP_TOKEN and settings.WHATSAPP_PHONE_NUMBER_ID):
        return False
    return bool(template_name(kind)) if kind else True


def template_name(kind: str) -> str:
    """The approved template's name for a kind of message; "" when none is set."""
    return settings.WHATSAPP_TEMPLATES.get(kind, "")


def language_code(language: str) -> str:
    return LANGUAGE_CODES.get((language or "").split("-")[0], LANGUAGE_CODES["id"])


def recipient(phone: str) -> str:
    """ "+6281234567890" → "6281234567890": the Cloud API takes digits with the country code."""
    return "".join(character for character in phone if character.isdigit())


def template_body(*, to: str, template: str, language: str, parameters: list[str]) -> dict:
    """The JSON of one template message."""
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": recipient(to),
        "type": "template",
        "template": {
            "name": template,
            "language": {"code": language_code(language)},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": str(value)[:PARAMETER_LIMIT]}
                        for value in parameters
                    ],
                }
            ],
        },
    }


def send_template(*, to: str, template: str, language: str, parameters: list[str]) -> Sent:
    """Send one approved template message; the Cloud API's message id."""
    if not is_configured():
        raise Unavailable("WhatsApp is not configured (WHATSAPP_TOKEN, WHATSAPP_PHONE_NUMBER_ID).")
    body = template_body(to=to, template=template, language=language, parameters=parameters)
    url = (
        f"{settings.WHATSAPP_API_BASE}/{settings.WHATSAPP_API_VERSION}/"
        f"{settings.WHATSAPP_PHONE_NUMBER_ID}/messages"
    )
    headers = {
        "Authorization": f"Bearer {settings.WHATSAPP_TOKEN}",
        "Accept": "application/json",
    }
    seconds = settings.WHATSAPP_TIMEOUT_SECONDS
    timeout = httpx.Timeout(seconds, connect=seconds, read=seconds)
    retries = max(0, settings.WHATSAPP_MAX_NETWORK_RETRIES)
    attempt = 0
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        while True:
            try:
                response = client.post(url, json=body, headers=headers)
                break
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                # Not connected: nothing was sent, so repeating cannot double the message.
                if attempt >= retries:
                    raise Unavailable(f"WhatsApp could not be reached: {error!r}") from error
                pause = RETRY_PAUSES_SECONDS[min(attempt, len(RETRY_PAUSES_SECONDS) - 1)]
                logger.warning(
                    "WhatsApp connect failed (%r); retry %d of %d", error, attempt + 1, retries
                )
                attempt += 1
                time.sleep(pause)
            except httpx.TransportError as error:
                raise Unavailable(f"WhatsApp did not answer: {error!r}") from error
    return _answer(response)


def _answer(response: httpx.Response) -> Sent:
    """The message id of a success, or the error the answer stands for."""
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        kind = Unavailable if response.status_code >= 500 else Refused
        raise kind(
            f"WhatsApp answered HTTP {response.status_code} without JSON.",
            status=response.status_code,
        )
    if response.status_code < 300 and "error" not in answer:
        messages = answer.get("messages")
        if isinstance(messages, list) and messages and isinstance(messages[0], dict):
            message_id = str(messages[0].get("id") or "")
            if message_id:
                contacts = answer.get("contacts") or [{}]
                wa_id = contacts[0].get("wa_id", "") if isinstance(contacts[0], dict) else ""
                return Sent(message_id=message_id, wa_id=str(wa_id))
        raise Unavailable("WhatsApp answered without a message id.", status=response.status_code)
    error = answer.get("error") if isinstance(answer.get("error"), dict) else {}
    code = error.get("code") if isinstance(error.get("code"), int) else 0
    details = (error.get("error_data") or {}).get("details") if isinstance(error, dict) else ""
    message = str(error.get("message") or f"HTTP {response.status_code}")
    if details:
        message = f"{message} ({details})"
    temporary = (
        code in TEMPORARY_CODES or response.status_code == 429 or response.status_code >= 500
    )
    kind = Unavailable if temporary else Refused
    raise kind(
        f"WhatsApp refused the message: {code} {message}", code=code, status=response.status_code
    )
