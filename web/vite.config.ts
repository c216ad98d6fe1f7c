// Builds the single-page app into web/dist, which the API server serves (config.webDist).
// `npx vite --config web/vite.config.ts` runs a dev server that proxies the API to `npm run dev` on :8080.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.API_ORIGIN ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 800 },
  server: {
    port: 5173,
    proxy: {
      '/api': api,
      '/media': api,
      '/ws': { target: api, ws: true },
    },
  },
});
