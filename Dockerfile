# newsstream worker image: multi-stage build, runs as a non-root user, health-checked.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY streams ./streams
COPY schemas ./schemas
RUN python -m venv /opt/newsstream \
 && /opt/newsstream/bin/pip install --no-cache-dir --upgrade pip \
 && /opt/newsstream/bin/pip install --no-cache-dir .

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home-dir /app newsstream
COPY --from=build /opt/newsstream /opt/newsstream
ENV PATH=/opt/newsstream/bin:$PATH \
    NEWSSTREAM_WEB_HOST=0.0.0.0 \
    NEWSSTREAM_WEB_PORT=6066 \
    PYTHONUNBUFFERED=1
WORKDIR /app
USER newsstream
EXPOSE 6066
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:6066/health', timeout=2).status == 200 else 1)"
ENTRYPOINT ["newsstream"]
CMD ["worker"]
