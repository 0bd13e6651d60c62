# leadstream image: every role runs from it (`run --role gateway|enricher|mapper|delivery`).
# The Helm chart in helm/ refers to it; build with `docker build -t leadstream:$(git rev-parse --short HEAD) .`
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies first so their layer is reused while only sources change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    TENANT_CONFIG_DIR=/etc/leadstream/tenants
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The Avro schemas are read at run time from schemas/avro beside the package (src/kafka/avro-schemas.ts).
COPY schemas ./schemas
# The tenant store's SQL migrations, applied by `leadstream db migrate` (src/db/migrate.ts).
COPY db ./db
# The official image's `node` user, by number so Kubernetes can check runAsNonRoot without /etc/passwd.
USER 1000:1000
EXPOSE 8080 9464
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["run", "--role", "all"]
