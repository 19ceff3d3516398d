# syntax=docker/dockerfile:1
# orderflow's own processes in one image, on Node 24 (the version package.json pins). Node runs the
# TypeScript sources directly (type stripping), so there is no build step: the stages install production
# dependencies, then copy them and the source layers into a slim runtime that runs as `node` (uid 1000).
#
#   docker build -t orderflow:0.1.0 .
#   docker run orderflow:0.1.0 workflows/workers/payment-worker.ts      # any process: its entry point
#
# Every process loads the OpenTelemetry bootstrap first (ENTRYPOINT), as the native stack does.

ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only (the Temporal core bridge and @swc/core ship prebuilt linux-x64 binaries);
# optional ones (the embedded PostgreSQL of the tests) stay out.
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    ORDERFLOW_STATE_DIR=/var/lib/orderflow \
    HOST=0.0.0.0 \
    METRICS_HOST=0.0.0.0
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
# The layers a process needs (README "Layout"): no tests, tools, stack or alerts.
COPY --chown=root:root package.json ./
COPY --chown=root:root platform ./platform
COPY --chown=root:root observability ./observability
COPY --chown=root:root contracts ./contracts
COPY --chown=root:root order-store ./order-store
COPY --chown=root:root events ./events
COPY --chown=root:root consumers ./consumers
COPY --chown=root:root services ./services
COPY --chown=root:root workflows ./workflows
RUN mkdir -p /var/lib/orderflow && chown node:node /var/lib/orderflow
USER node
VOLUME ["/var/lib/orderflow"]
# order-api 8080, the simulated services 8101-8108, the workers' metrics 9401-9403 (SDK 9411-9413),
# the consumers 8201-8204 and the lag exporter 8209.
EXPOSE 8080 8101-8108 8201-8204 8209 9401-9403 9411-9413
ENTRYPOINT ["node", "--disable-warning=TimeoutNegativeWarning", "--import", "./observability/tracing/bootstrap.ts"]
CMD ["services/order-api/main.ts"]
