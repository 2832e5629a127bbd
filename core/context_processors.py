from django.conf import settings


def site(request) -> dict:
    """Values every page needs: the cooperative's name and contact."""
    return {
        "COOPERATIVE_NAME": settings.COOPERATIVE_NAME,
        "COOPERATIVE_WHATSAPP": settings.COOPERATIVE_WHATSAPP,
        "SITE_URL": settings.SITE_URL,
    }
