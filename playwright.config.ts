// Browser tests for Roundtable, on Debian's Chromium (never a browser downloaded by Playwright).
// See /work/shared/ECOSYSTEM.md section 3. Run `npm run build` first: the web server below serves
// the built app (build/ and dist/server.js) from a fresh, empty data folder.
import { defineConfig, devices } from '@playwright/test';

const PORT = Number(process.env.PLAYWRIGHT_PORT ?? 4173);
const BASE_URL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: 'tests/e2e',
  workers: 1,
  reporter: 'list',
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    ...devices['Desktop Chrome'],
    baseURL: BASE_URL,
    headless: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic'
      ]
    }
  },
  webServer: {
    // start-server.js makes a temporary DATA_DIR, runs `node dist/server.js` in it and removes it on exit.
    command: 'node tests/e2e/start-server.js',
    url: `${BASE_URL}/healthz`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    env: {
      PORT: String(PORT),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      LIMIT_CREATE_PER_HOUR: '100000',
      LIMIT_RELEASE_WINDOW_MS: '1000'
    }
  }
});
