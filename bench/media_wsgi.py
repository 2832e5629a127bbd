"""The site's WSGI application plus the media folder, for the page-weight benchmark only.

In production photos come from S3 or the web server; here WhiteNoise serves MEDIA_ROOT so the
browser downloads real thumbnails.
"""

from django.conf import settings
from whitenoise import WhiteNoise

from marketplace.wsgi import application as site

application = WhiteNoise(site)
application.add_files(str(settings.MEDIA_ROOT), prefix=settings.MEDIA_URL)
