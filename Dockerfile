# LgNet production image: gunicorn (web) or `lgnet db_worker` (tasks) behind a TLS proxy.
# Settings come from the environment (docs/runbooks/deployment.md, .env.example); compose.yaml
# runs both processes with PostgreSQL.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LGNET_ENV=production \
    LGNET_ATTACHMENTS_ROOT=/var/lib/lgnet/attachments \
    WEB_CONCURRENCY=3

# WeasyPrint (privacy notice, art. 15 export) needs Pango and HarfBuzz; DejaVu has Arabic glyphs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 lgnet \
    && useradd --system --uid 10001 --gid lgnet --create-home --home-dir /home/lgnet \
        --shell /usr/sbin/nologin lgnet  # a home for the font cache and gunicorn's control socket

WORKDIR /app

# Dependencies first (a layer that changes only with pyproject.toml), then the code.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
# Editable: the settings find templates/, static/ and locale/ beside the code (BASE_DIR = /app).
RUN pip install --no-deps -e . \
    && python -m compileall -q lgnet config

# Static files, hashed and compressed for whitenoise, with the production storage. These values
# exist only for this build step: collectstatic neither connects to the database nor signs anything.
RUN LGNET_ENV=production \
    SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only \
    LGNET_LINKAGE_KEY=build-only \
    ALLOWED_HOSTS=build.invalid \
    DATABASE_URL=postgres://build@127.0.0.1:9/build \
    lgnet collectstatic --no-input --verbosity 0

RUN mkdir -p /app/var /var/lib/lgnet/attachments /var/lib/lgnet/backups \
    && chown -R lgnet:lgnet /app/var /var/lib/lgnet

USER lgnet
EXPOSE 8000
VOLUME ["/var/lib/lgnet/attachments", "/var/lib/lgnet/backups"]

# /healthz through the same door as the proxy: a host name from ALLOWED_HOSTS and
# X-Forwarded-Proto: https (production redirects plain HTTP). 200 only when the database answers.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["python", "-c", "import os, urllib.request as u; host = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.*') or 'localhost'; u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': host, 'X-Forwarded-Proto': 'https'}), timeout=4)"]

# The web process; compose.yaml runs `lgnet db_worker` from the same image for the tasks.
# Access log without query strings (ids only), as `make serve`.
CMD ["sh", "-c", "lgnet migrate --no-input && exec gunicorn config.wsgi:application --bind 0.0.0.0:8000 --timeout 60 --access-logfile - --access-logformat '%(t)s \"%(m)s %(U)s\" %(s)s %(b)s %(M)sms'"]
