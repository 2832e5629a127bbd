"""`{% translate %}` through the project's i18n library: constants kept per language."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Engine, engines
from django.utils import translation

# Django's own i18n library, for comparison.
DJANGO = Engine(libraries={"i18n": "django.templatetags.i18n"})


def render(source: str, context: dict | None = None, *, language: str = "id") -> str:
    template = engines["django"].from_string("{% load translations %}" + source)
    with translation.override(language):
        return template.render(context or {})


def test_our_templates_load_the_project_library_not_django_s():
    base = Path(settings.BASE_DIR)
    folders = [base / "templates", *base.glob("*/templates")]
    loads_django_i18n = [
        str(path.relative_to(base))
        for folder in folders
        for path in folder.rglob("*")
        if path.suffix in {".html", ".txt"}
        and re.search(r"{%\s*load\s[^%]*\bi18n\b", path.read_text(encoding="utf-8"))
    ]
    assert loads_django_i18n == []
    template = engines["django"].from_string('{% load translations %}{% translate "Cart" %}')
    assert type(template.template.nodelist[-1]).__name__ == "ConstantTranslateNode"


def test_a_constant_follows_the_language_of_each_render():
    tag = '{% translate "Cart" %}'
    assert [render(tag, language=lang) for lang in ("id", "en", "id")] == [
        "Keranjang",
        "Cart",
        "Keranjang",
    ]


@pytest.mark.parametrize(
    "source",
    [
        '{% translate "Cart" %}',
        '{% translate "Tom & <Jerry>" %}',
        '{% autoescape off %}{% translate "Tom & <Jerry>" %}{% endautoescape %}',
        '{% translate "100%% cotton" %}',
        "{% translate word %}",
        '{% translate "Cart" as label %}[{{ label }}]',
        '{% translate "Cart"|upper %}',
        '{% translate "Cart" noop %}',
        '{% translate "May" context "month name" %}',
        "{% blocktranslate %}Cart{% endblocktranslate %}",
    ],
)
@pytest.mark.parametrize("language", ["id", "en"])
def test_every_form_renders_as_with_django_s_own_library(source, language):
    context = {"word": "Search"}
    with translation.override(language):
        expected = DJANGO.from_string("{% load i18n %}" + source).render(Context(context))
        # Twice: the second render comes from what the first kept.
        assert render(source, context, language=language) == expected
        assert render(source, context, language=language) == expected
