import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkwaarde.settings")
application = get_wsgi_application()

# Load the URLconf, and with it every view module, while the process starts (or, with gunicorn's --preload, once in
# the master before it forks its workers) rather than in the first request each worker serves: that request would
# otherwise take more than a second, and at a bid deadline it is one of the bids (docs/benchmarks.md). Importing
# opens no database connection (core/tests/test_wsgi.py).
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018 (the attribute loads the modules)
