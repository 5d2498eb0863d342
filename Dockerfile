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
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY --from=build /install /usr/local
RUN useradd --system --uid 10001 --home-dir /app --create-home techpath
USER techpath
WORKDIR /app
ENTRYPOINT ["techpath"]
CMD ["serve"]
