# durabull's image: installs, builds, and runs `durabull` (worker or serve).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["worker", "examples"]
