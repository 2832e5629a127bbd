import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_is_in_indonesian_by_default(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in html
    assert "Batik dari para pembatik Kutai Timur" in html


def test_home_in_english(client):
    response = client.get("/en/")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Batik from the makers of Kutai Timur" in html


def test_language_switch_remembers_the_choice(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_robots_and_sitemap(client):
    assert "Sitemap:" in client.get("/robots.txt").content.decode()
    assert client.get("/sitemap.xml").status_code == 200
