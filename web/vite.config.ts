import { sveltekit } from '@sveltejs/kit/vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const apiOrigin = process.env.VARIATION_ATLAS_API_ORIGIN ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [sveltekit()],
  css: { preprocessorOptions: { scss: { loadPaths: [fileURLToPath(new URL('../node_modules', import.meta.url))], quietDeps: true } } },
  server: {
    // api/charts lives beside web/ and is shared with the API's exports.
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
    // `vite dev` beside a running `npm run serve`: the dashboard's requests to /api go to it.
    proxy: { '/api': apiOrigin },
  },
  build: { chunkSizeWarningLimit: 1200 },
});
