# kubeproof worker image. Not built in kubeproof's own CI (no container engine runs there); the entrypoint
# command below is what test/integration/package.test.ts runs outside a container.
#
#   docker build -t kubeproof-worker .
#
# Base pinned by exact version tag (node 20.20.2, Debian bookworm, slim). No digest is given because none could
# be verified from here; pin one with `docker buildx imagetools inspect node:20.20.2-bookworm-slim` and append
# @sha256:<digest> when you build.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# ---- build: dev dependencies, compile to dist/, bundle the Kubernetes client, prebundle the workflow code ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/bundle-workflows.ts scripts/bundle-client-node.ts scripts/write-catalog.ts ./scripts/
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies and the compiled code only, as a non-root user ----
FROM ${NODE_IMAGE} AS runtime
# Two glibc malloc arenas instead of up to eight per core: the worker's threads (workflow threads, libuv, V8, the
# Temporal core's) each took an arena of their own and kept what they freed. 20 runs at once on one worker peaked
# at 283-285 MiB with it, 310-319 MiB without, at the same speed (BENCHMARKS.md; the benches run the worker so too).
ENV NODE_ENV=production MALLOC_ARENA_MAX=2
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY --from=build /app/dist ./dist
# The node image's unprivileged user (uid 1000); nothing under /app is writable by it.
USER node
ENTRYPOINT ["node", "dist/worker/main.js"]
