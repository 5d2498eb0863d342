# A slim, non-root image running `techpath serve`.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot bot
COPY handlers handlers
COPY framework_data framework_data
COPY cards cards
RUN pip install --no-cache-dir --disable-pip-version-check --prefix=/install .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    TECHPATH_HOST=0.0.0.0 \
    TECHPATH_PORT=3978 \
    TECHPATH_DATA_DIR=/app/data
COPY --from=build /install /usr/local
RUN useradd --system --uid 10001 --home-dir /app --create-home techpath \
    && mkdir -p /app/data && chown techpath /app/data
USER techpath
WORKDIR /app
EXPOSE 3978
# No curl in the slim image: the standard library checks /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"TECHPATH_PORT\", \"3978\")}/healthz', timeout=4)"]
ENTRYPOINT ["techpath"]
CMD ["serve"]
