import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Test accounts need no slow hashing; the real hasher is exercised by the accounts tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
