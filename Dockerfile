# One image for every role of the server (all-in-one, ingest, gateway, sim, record, replay).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY web/package.json web/
COPY e2e/package.json e2e/
RUN npx -y pnpm@12.4.2 install --frozen-lockfile
COPY . .
RUN npx -y pnpm@12.4.2 --filter @realtimemap/web build
ENV NODE_ENV=production
EXPOSE 8080
ENTRYPOINT ["server/node_modules/.bin/tsx", "server/src/cli/main.ts"]
CMD ["start"]
