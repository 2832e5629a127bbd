from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings

from core.client_address import client_address


class AccountAdapter(DefaultAccountAdapter):
    """Sends allauth's emails in the language the visitor is using; reads the client's address
    the site's one way (its login limits count per real client behind the proxy)."""

    def get_client_ip(self, request) -> str:
        return client_address(request)

    def send_mail(self, template_prefix, email, context):
        from django.utils import translation

        with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
            super().send_mail(template_prefix, email, context)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Social login stays hidden unless its keys are configured."""

    def list_apps(self, request, provider=None, client_id=None):
        if not (settings.GOOGLE_CLIENT_ID and settings.GOOGLE_CLIENT_SECRET):
            return []
        return super().list_apps(request, provider=provider, client_id=client_id)
