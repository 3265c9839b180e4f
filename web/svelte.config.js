import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** The dashboard: SvelteKit on Node, served on one port with the API by web/serve.ts. */
export default {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build' }),
    alias: {
      // The option builders the API's exports draw with, so the dashboard and a board paper cannot drift apart.
      $charts: '../api/charts',
      // Types only (`import type { AppType }`): the API's routes type the client.
      $api: '../api',
    },
    csp: {
      mode: 'hash',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        // ECharts and Svelte set inline style attributes on elements they draw.
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:'],
        'connect-src': ['self'],
        'font-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};
