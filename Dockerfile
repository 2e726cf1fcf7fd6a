# syntax=docker/dockerfile:1
#
# The purchase-prediction service as one image: the REST API (the default command) and the
# training and scoring command lines (dist/apps/train/*.js) that the Kubernetes Jobs run.
#   build:   the workspace on node:20, npm ci, npm run build, and the model bundle to bake in (if any)
#   runtime: node:20 slim, the build output, production dependencies only, a non-root user
# deploy/README.md says how to build, run and deploy it. tools/e2e/src/container-runtime.spec.ts
# replays the runtime stage without a container runtime and holds this file to what it replays.
#
#   docker build -t purchase-api .                                          no bundle: mount one at /models
#   docker build --build-arg MODEL_BUNDLE=train -t purchase-api .           the default model, trained here
#   docker build --build-arg MODEL_BUNDLE=deploy/bundles/current -t purchase-api .   a bundle from the context

ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /workspace
# The dependencies alone first, so that this layer stays cached while only sources change.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build
# none: no bundle (mount one at MODEL_DIR); train: train the default model on the bundled data;
# any other value: a bundle directory in the build context, verified and published as
# `npm run train -- --from-bundle` does. /models ends up with <version>/ and current, or empty.
ARG MODEL_BUNDLE=none
RUN sh deploy/docker/bake-model.sh "$MODEL_BUNDLE" /models

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# MODEL_DIR lies outside the working directory: the service trains a model at start-up only for
# the default models/current, and an image (read-only, maybe mounted) must never try to.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    MODEL_DIR=/models/current
WORKDIR /app
COPY --from=build /workspace/package.json /workspace/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY --from=build /workspace/dist/apps ./dist/apps
COPY --from=build /models /models
# The node user of the base image, by number: Kubernetes' runAsNonRoot can only verify a number.
USER 1000:1000
EXPOSE 8000
# The service drains on SIGTERM for DRAIN_DELAY_MS + SHUTDOWN_GRACE_MS (15 s by default): give
# `docker stop` more than that (-t 20), as the Deployment's terminationGracePeriodSeconds does.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/api/main.js"]
