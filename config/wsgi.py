import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from biys.core.wsgi import get_application

application = get_application()
