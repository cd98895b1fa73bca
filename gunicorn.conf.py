"""gunicorn, as the image and the compose file run it (`--config gunicorn.conf.py`)."""

bind = "0.0.0.0:8000"
workers = 3
accesslog = "-"
# The path without its query string (%(U)s, not %(r)s) and no referrer: staff search by
# name and email in `?q=`, and a search must not land in the access log.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s" %(M)sms'
