# droid2api image. Build:  docker build -t droid2api .
# BASE_IMAGE lets a machine without a registry build from a local stand-in (scripts/container-test.sh).
ARG BASE_IMAGE=node:22-bookworm-slim

# Production dependencies. Compilers only here: better-sqlite3 builds from source when no
# prebuilt binary can be downloaded. Build leftovers, docs, maps and types are dropped so the
# final stage copies only what runs.
FROM ${BASE_IMAGE} AS deps
WORKDIR /build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && cd node_modules/better-sqlite3 \
 && find build -mindepth 1 -maxdepth 1 ! -name Release -exec rm -rf {} + \
 && find build/Release -mindepth 1 ! -name better_sqlite3.node -exec rm -rf {} + \
 && rm -rf deps src \
 && cd /build/node_modules \
 && find . -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.md' -o -name '*.markdown' \) -delete \
 && find . -depth -type d \( -name test -o -name tests -o -name __tests__ -o -name docs -o -name example -o -name examples \) -exec rm -rf {} + \
 && rm -rf .bin .package-lock.json

# TypeScript → JavaScript, the gateway's own code only (src/), with the status page's assets.
FROM ${BASE_IMAGE} AS build
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json tsconfig.image.json ./
COPY scripts/copy-web-assets.mjs ./scripts/
COPY src ./src
# The server, then the status page's browser modules (their own tsconfig, DOM types), then
# its HTML and CSS, which tsc does not copy: all land in dist/src/web/.
RUN npx tsc -p tsconfig.image.json \
 && npx tsc -p src/web/browser/tsconfig.json \
 && node scripts/copy-web-assets.mjs

# Runtime. The code lives in /opt/droid2api, outside the working directory /app: a volume
# mounted over /app (droid2api v2's guide) can neither hide nor freeze it. State goes to
# /app/data, a volume owned by the runtime user. No key or .env is ever copied in.
FROM ${BASE_IMAGE}
ENV NODE_ENV=production DATA_DIR=/app/data
WORKDIR /opt/droid2api
COPY --from=deps /build/node_modules ./node_modules
COPY --from=build /build/dist/src ./dist/src
COPY package.json config.json ./
RUN mkdir -p /app/data && chown node:node /app /app/data && chmod 0700 /app/data
WORKDIR /app
USER node
VOLUME /app/data
EXPOSE 3000
# node is PID 1 and handles SIGTERM itself (drains open streams, then exits 0).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "/opt/droid2api/dist/src/main.js"]
