# The production image: gunicorn serving Django, the same image runs the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
# Only what the pages serve: axe-core, a devDependency, is for the browser tests alone.
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
# Production unless told otherwise: settings then refuse to start without their secrets.
ENV DJANGO_ENV=production PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/venv UV_PYTHON_DOWNLOADS=never PATH="/venv/bin:$PATH"
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev gettext \
    && rm -rf /var/lib/apt/lists/* && pip install --no-cache-dir uv==0.13.8
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
COPY --from=assets /app/node_modules ./node_modules
# collectstatic and compilemessages (the .mo catalogues, not kept in git) need settings, not
# services: throwaway values, never used at run time.
RUN DJANGO_ENV=production SECRET_KEY=build-only-$(head -c 48 /dev/urandom | base64 | tr -d '/+=') \
    DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    ALLOWED_HOSTS=localhost sh -c 'python manage.py collectstatic --no-input \
    && python manage.py compilemessages --ignore=node_modules'
RUN useradd --system --home /app rfs && chown -R rfs /app
USER rfs
EXPOSE 8000
CMD ["gunicorn", "rfs.wsgi", "--config", "gunicorn.conf.py"]
