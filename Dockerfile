# Production image of 취밋: Node 22, locked packages, the web app built in.
# Build: docker build -t chwimeet .   (deploy/docker-compose.yml does this for you)
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# the web app, and the server compiled once by esbuild (dist/server: no TypeScript compiling at each start)
RUN npm run build:web && npm run build:server

FROM node:22-bookworm-slim
ENV NODE_ENV=production PORT=8080 HOST=0.0.0.0 DATA_DIR=/data
WORKDIR /app
# The compiled server needs only the runtime packages (dev packages such as vite and react are left out).
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# the compiled server reads its data files (migrations, embedder weights) where they are in the sources
COPY server ./server
COPY --from=build /app/dist/server ./dist/server
# the migrated template database: an embedded start (no DATABASE_URL) on an empty /data skips the migrations
COPY db ./db
COPY tsconfig.json ./
COPY --from=build /app/web/dist ./web/dist
# Everything the app writes lives under /data (embedded PGlite, uploads), owned by the user it runs as.
# A named volume mounted at /data/uploads starts as a copy of this folder, ownership included; without
# it the volume is root's and every upload answers EACCES.
RUN mkdir -p /data/uploads && chown -R node:node /data
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:8080/readyz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# SIGTERM → graceful shutdown (drain HTTP, close WebSockets); node as PID 1 gets the signal directly.
CMD ["node", "--enable-source-maps", "dist/server/main.js"]
