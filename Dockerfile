# syntax=docker/dockerfile:1
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
COPY rules ./rules
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
# git is needed by `hephaestus check --diff` and by file discovery in checkouts.
RUN apt-get update && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 hephaestus
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER hephaestus
ENV HEPHAESTUS_HOST=0.0.0.0 \
    HEPHAESTUS_PORT=3000 \
    HEPHAESTUS_DATA_DIR=/home/hephaestus/data \
    PYTHONUNBUFFERED=1
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('HEPHAESTUS_PORT', '3000')}/healthz\", timeout=2)"]
ENTRYPOINT ["hephaestus"]
CMD ["serve"]
