# syntax=docker/dockerfile:1
# The base is pinned by digest (python:3.12-slim, the Debian trixie 3.12.14 build), so a rebuild
# gets the same bytes; Python 3.12 is also what the Action and CI use. Bump the digest and
# requirements.lock together.
FROM python:3.12-slim@sha256:78387bc3881b8273120a12ebe6c1ab22b018ccc2c9adf565ae1ac9b536e184ea

LABEL org.opencontainers.image.title="Hephaestus" \
      org.opencontainers.image.description="GitHub App, Action and CLI that explains failed CI, analyses and repairs code." \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.base.name="docker.io/library/python:3.12-slim" \
      org.opencontainers.image.base.digest="sha256:78387bc3881b8273120a12ebe6c1ab22b018ccc2c9adf565ae1ac9b536e184ea"

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

# git is needed by `hephaestus check --diff` and by file discovery in checkouts. Debian's
# versions move within a release, so the digest-pinned base is what makes this reproducible.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 10001 hephaestus \
    && useradd --create-home --uid 10001 --gid 10001 hephaestus

# Dependencies before the source: a code change reuses this layer. The same lock as the Action,
# every file checked against its hash, wheels only (nothing is built from an sdist).
COPY requirements.lock /tmp/requirements.lock
RUN python -m pip install --no-cache-dir --disable-pip-version-check --no-deps \
        --require-hashes --only-binary :all: -r /tmp/requirements.lock \
    && rm /tmp/requirements.lock

# The source runs from /app/src, as in the Action (src/ghbot/rules links to /app/rules).
WORKDIR /app
COPY rules ./rules
COPY src ./src

ENV PYTHONPATH=/app/src \
    PYTHONUNBUFFERED=1 \
    HEPHAESTUS_HOST=0.0.0.0 \
    HEPHAESTUS_PORT=3000 \
    HEPHAESTUS_DATA_DIR=/data

# App credentials and SQLite state live in the data dir: a volume, owned by the unprivileged user.
RUN mkdir /data && chown 10001:10001 /data
VOLUME ["/data"]
# By number, so Kubernetes' runAsNonRoot can verify it without the image's /etc/passwd.
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('HEPHAESTUS_PORT', '3000')}/healthz\", timeout=2)"]
ENTRYPOINT ["python", "-m", "ghbot"]
CMD ["serve"]
