"""Text stored as what happened (an English message and its values), shown in the reader's language.

A timeline note or a notification is read long after it was written, by people who may read
another language than whoever caused it. So it is stored as a `Phrase`: the English msgid, marked
with `gettext_noop` where it is written, and its values; `str(phrase)` translates it into the
language active when it is shown. Values may be text, numbers, dates, datetimes (shown in the
site's time zone) or other phrases (e.g. a status label); they are kept as JSON.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext


@dataclass(frozen=True)
class Phrase:
    """An English msgid with its values, translated when it is turned into text."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        text = gettext(self.msgid)
        if not self.params:
            return text
        return text % {name: _render(value) for name, value in self.params.items()}

    def as_json(self) -> dict:
        return {"msgid": self.msgid, "params": {k: _dump(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: dict) -> "Phrase":
        return cls(data["msgid"], {k: _load(v) for k, v in (data.get("params") or {}).items()})


def phrase(msgid: str, **params) -> Phrase:
    """A phrase of `msgid` (mark it with gettext_noop) and its values."""
    return Phrase(msgid, params)


@dataclass(frozen=True)
class When:
    """A moment shown with a format of its own ("j F Y H:i"), in the site's time zone."""

    at: datetime
    format: str = "DATETIME_FORMAT"


def as_json(value: "Phrase | str | None") -> dict | None:
    """What a model keeps of a text: the phrase's JSON, or None for text typed by a person."""
    return value.as_json() if isinstance(value, Phrase) else None


def fields(name: str, value: "Phrase | str") -> dict:
    """A model's `<name>` and `<name>_phrase` for `value`: its text now, and the phrase if any."""
    return {name: str(value), f"{name}_phrase": as_json(value)}


def stored(data: dict | None, text: str = "") -> "Phrase | str":
    """What a model kept: its phrase, or its text when it has none (typed, or written before)."""
    if not data:
        return text
    try:
        return Phrase.from_json(data)
    except (KeyError, TypeError, ValueError):
        return text


def render(data: dict | None, text: str = "") -> str:
    """The stored phrase in the active language; the stored text when there is no phrase."""
    value = stored(data, text)
    if isinstance(value, str):
        return value
    try:
        return str(value)
    except (KeyError, TypeError, ValueError):
        # A phrase whose values no longer fit its (translated) message: the text as written.
        return text


def _render(value):
    if isinstance(value, Phrase):
        return str(value)
    if isinstance(value, When):
        return date_format(timezone.localtime(value.at), value.format)
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    return value


def _dump(value):
    if isinstance(value, Phrase):
        return {"$phrase": value.as_json()}
    if isinstance(value, When):
        return {"$datetime": value.at.isoformat(), "format": value.format}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    return value


def _load(value):
    if isinstance(value, dict):
        if "$phrase" in value:
            return Phrase.from_json(value["$phrase"])
        if "$datetime" in value:
            at = datetime.fromisoformat(value["$datetime"])
            return When(at, value.get("format", "DATETIME_FORMAT"))
        if "$date" in value:
            return date.fromisoformat(value["$date"])
    return value
