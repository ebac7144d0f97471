import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Dev only: attaches the same realtime core (/sync, /socket.io, /healthz) to Vite's dev server,
 * so `npm run dev` behaves like production with hot reload.
 */
function roundtableRealtime(): Plugin {
  return {
    name: 'roundtable-realtime',
    apply: 'serve',
    async configureServer(server) {
      if (!server.httpServer) return;
      // Loaded through Vite rather than imported here, so loading this config never reads the
      // server's files (Vite's config loader warns about their extensionless imports).
      const { readConfig } = (await server.ssrLoadModule('/server/config.ts')) as typeof import('./server/config');
      const { createRealtime, openStore } = (await server.ssrLoadModule('/server/realtime.ts')) as typeof import('./server/realtime');
      const { createLogger } = (await server.ssrLoadModule('/server/logger.ts')) as typeof import('./server/logger');
      const { provideApp } = (await server.ssrLoadModule('/src/lib/server/app.ts')) as typeof import('./src/lib/server/app');
      const config = readConfig();
      const logger = createLogger(config.logLevel);
      const realtime = createRealtime(config, { store: await openStore(config, logger), logger });
      provideApp(realtime.app);
      realtime.attach(server.httpServer as import('node:http').Server);
      server.middlewares.use((req, res, next) => {
        if (!realtime.health(req, res)) next();
      });
      server.httpServer.once('close', () => void realtime.close());
    }
  };
}

export default defineConfig({
  plugins: [roundtableRealtime(), sveltekit()],
  server: { port: Number(process.env.PORT ?? 5173), host: process.env.HOST ?? '0.0.0.0' },
  // A quiet build (issue 11, item 7): no report on slow plugin callbacks, which a 2-core machine
  // always triggers. scripts/build.js shows the build's warnings and hides its progress.
  build: { rolldownOptions: { checks: { bundlerTimings: false } } },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'src/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    globalSetup: ['tests/integration/global-setup.ts'],
    fileParallelism: false
  }
});
