# Production image of 취밋: Node 22, locked packages, the web app built in.
# Build: docker build -t chwimeet .   (deploy/docker-compose.yml does this for you)
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:web

FROM node:22-bookworm-slim
ENV NODE_ENV=production PORT=8080 HOST=0.0.0.0 DATA_DIR=/data
WORKDIR /app
# tsx runs the TypeScript server directly; dev packages (vite, react) are not needed at run time.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY server ./server
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
CMD ["node", "--import", "tsx", "server/src/main.ts"]
