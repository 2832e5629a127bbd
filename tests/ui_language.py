"""Which words of the other language a page's UI chrome says (user content set aside).

A small dictionary per language is enough: words a page's own text (labels, buttons, headings,
hints, placeholders) would use, which the other language never does. What people wrote (shop
names and stories, listing titles, motif names, addresses, reviews) is removed before looking.
"""

import re
from html.parser import HTMLParser

# Indonesian UI words: none may appear on an English page ("kemeja": English says "shirt").
INDONESIAN = frozenset((
    "keranjang", "masuk", "daftar", "pesanan", "beranda", "cari", "semua", "simpan", "kirim",
    "bayar", "tambah", "lihat", "ulasan", "harga", "stok", "habis", "pembayaran", "pengiriman",
    "akun", "keluar", "jual", "kembali", "ubah", "hapus", "tutup", "belum", "sudah", "terima",
    "tolak", "dengan", "untuk", "atau", "tidak", "yang", "dan", "dari", "sampai", "pilih", "salah",
    "satu", "anda", "kami", "ini", "baru", "produk", "pembeli", "pembatik", "penjual", "dasbor",
    "keuangan", "pencairan", "notifikasi", "favorit", "koleksi", "tentang", "halaman",
    "sebelumnya", "berikutnya", "urutkan", "terbaru", "termurah", "tersedia", "dibuat", "dikirim",
    "diterima", "selesai", "dibatalkan", "ditolak", "menunggu", "jumlah", "provinsi", "alamat",
    "penerima", "ukuran", "pesan", "buat", "toko", "saya", "kata", "sandi", "ikuti", "semua",
    "hari", "minggu", "bulan", "tahun", "des", "mei", "agu", "okt", "kemeja",
))  # fmt: skip
# English UI words: none may appear on an Indonesian page.
ENGLISH = frozenset((
    "cart", "sign", "login", "log", "orders", "search", "save", "send", "pay", "add", "see",
    "view", "review", "reviews", "price", "stock", "sold", "shipping", "account", "sell", "back",
    "edit", "delete", "close", "not", "yet", "accept", "decline", "with", "for", "or", "the",
    "and", "from", "to", "select", "option", "your", "our", "this", "new", "product", "products",
    "buyer", "maker", "dashboard", "payout", "notifications", "favourites", "collection", "about",
    "help", "page", "previous", "next", "sort", "newest", "cheapest", "available", "ready",
    "shipped", "received", "completed", "cancelled", "declined", "waiting", "checkout", "address",
    "recipient", "size", "message", "shop", "password", "follow", "all", "day", "week", "month",
    "year", "dec", "may", "aug", "oct",
))  # fmt: skip
# The cooperative's name is a name, and Indonesian banks say "virtual account" in English too.
BOTH = (
    "Bahasa Indonesia", "English", "Koperasi Pembatik Kutai Timur", "Virtual Account",
    "virtual account",
)  # fmt: skip
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
SKIPPED_TAGS = {"script", "style", "template", "noscript"}
READ_ATTRIBUTES = ("placeholder", "aria-label", "title")


class _Texts(HTMLParser):
    """The page's text nodes and the attributes a reader hears or sees."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self._skipping += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.texts.append(value)
        if tag == "input":
            values = dict(attrs)
            if values.get("type") in ("submit", "button") and values.get("value"):
                self.texts.append(values["value"])

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.texts.append(data)


def _without_content(text: str, content: list[str]) -> str:
    for piece in content:
        if piece in text:
            text = text.replace(piece, " ")
    stripped = text.strip(" …·,.:;()-–—|\n\t")
    if stripped and any(stripped in piece for piece in content):
        return ""  # a shortened piece of someone's text ("…" truncated)
    return text


def foreign_words(html: str, *, language: str, content: list[str]) -> dict[str, str]:
    """The other language's words this page says outside `content` (people's own text), each
    with the text it stands in."""
    foreign = INDONESIAN if language == "en" else ENGLISH
    # Longest first, so that a title is removed before a motif name inside it; not a size ("S"),
    # which would cut words.
    pieces = {piece.strip() for piece in content if piece and len(piece.strip()) > 2}
    content = sorted(pieces, key=len, reverse=True)
    parser = _Texts()
    parser.feed(html)
    found: dict[str, str] = {}
    for text in parser.texts:
        for same in BOTH:
            text = text.replace(same, " ")
        text = _without_content(text, content)
        for word in WORD.findall(text):
            if word.lower() in foreign:
                found.setdefault(word, " ".join(text.split())[:80])
    return found
