# syntax=docker/dockerfile:1
# Multi-stage build: compile in the Rust image, run in a slim Debian image as a non-root user.

FROM rust:1-bookworm AS build
WORKDIR /src
# perl and make build the vendored OpenSSL that libpq links; the rest is in the image.
RUN apt-get update && apt-get install -y --no-install-recommends perl make && rm -rf /var/lib/apt/lists/*
COPY Cargo.toml Cargo.lock rustfmt.toml clippy.toml ./
COPY src ./src
COPY bench ./bench
COPY migrations ./migrations
COPY openapi ./openapi
RUN cargo build --release --locked --bin lvzhi

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/lvzhi --create-home lvzhi
COPY --from=build /src/target/release/lvzhi /usr/local/bin/lvzhi
USER lvzhi
WORKDIR /var/lib/lvzhi
ENV LVZHI_BIND=0.0.0.0:8080 \
    LVZHI_DATA_DIR=/var/lib/lvzhi \
    LVZHI_LOG_FORMAT=json
EXPOSE 8080
VOLUME ["/var/lib/lvzhi"]
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["/usr/local/bin/lvzhi"]
CMD ["serve"]
