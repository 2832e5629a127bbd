"""Which shipping zone an address is in, from its Kemendagri regency code."""

from collections.abc import Mapping

from regions.models import Province, Regency

from .models import ShippingZone

KUTAI_TIMUR = "64.08"
# Kalimantan Barat, Tengah, Selatan, Timur and Utara.
KALIMANTAN_PROVINCES = frozenset({"61", "62", "63", "64", "65"})


def shipping_zone_for(*, regency_code: str) -> str:
    """Kabupaten Kutai Timur is local, the rest of Kalimantan is Kalimantan, the rest Indonesia.

    The province is the code's first part ("64.72", Kota Samarinda, is in "64", Kalimantan Timur).
    """
    if regency_code == KUTAI_TIMUR:
        return ShippingZone.LOCAL
    if regency_code.split(".")[0] in KALIMANTAN_PROVINCES:
        return ShippingZone.KALIMANTAN
    return ShippingZone.INDONESIA


def _plain(name: str) -> str:
    words = name.lower().replace(".", " ").split()
    while words and words[0] in {"kabupaten", "kab", "kota", "provinsi", "administrasi"}:
        words = words[1:]
    return " ".join(words)


# Province names as the old checkout listed them where the official list spells them out.
_OLD_PROVINCE_NAMES = {"dki jakarta": "31", "di yogyakarta": "34"}


def shipping_zone_of(address: Mapping[str, str]) -> str:
    """The zone of an address (its fields as `address_dict()` gives them): from its regency
    code, or for an address saved before codes were kept, from its names in the official list."""
    return shipping_zone_for(regency_code=address.get("regency_code") or _code_from_names(address))


def _code_from_names(address: Mapping[str, str]) -> str:
    """The regency code of a typed kabupaten and province ("Kutai Timur", "Kalimantan Timur" is
    "64.08"); the province's code alone when the kabupaten is not found in it; else ""."""
    province = _plain(address.get("province", ""))
    province_code = _OLD_PROVINCE_NAMES.get(province) or next(
        (p.code for p in Province.objects.all() if _plain(p.name) == province), ""
    )
    if not province_code:
        return ""
    regency = _plain(address.get("kabupaten", ""))
    regencies = Regency.objects.in_parent(province_code)
    # "Bogor" is both a kabupaten and a kota: either is in the same province, which is what counts.
    return next((r.code for r in regencies if _plain(r.name) == regency), province_code)
