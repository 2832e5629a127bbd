"""Row locks shared by the order rooms."""

from django.db import connection


def only_own_rows() -> tuple[str, ...]:
    """`select_for_update(of=...)`: lock the queried table's rows only, not the joined ones.

    Databases without `FOR UPDATE OF` (SQLite) get the plain lock, which is all they have.
    """
    return ("self",) if connection.features.has_select_for_update_of else ()
