"""WSGI entry point, used by gunicorn."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, their modules) lives as long as the process: moved
# out of the garbage collector's sight, the collections a request sets off no longer walk it.
gc.collect()
gc.freeze()
