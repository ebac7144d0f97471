// Starts the built server for the browser tests, as Playwright's webServer. It runs a copy of
// build/ and dist/ (so a rebuild during the run cannot swap files under a running test) with a
// fresh, temporary data folder, and removes both when the server stops.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
if (!fs.existsSync(path.join(root, 'dist/server.js')) || !fs.existsSync(path.join(root, 'build/handler.js'))) {
  process.stderr.write('The app is not built. Run `npm run build` before the browser tests.\n');
  process.exit(1);
}

// The copy lives under node_modules so the server still finds its npm packages from there.
const cacheDir = path.join(root, 'node_modules/.cache');
fs.mkdirSync(cacheDir, { recursive: true });
// Real path: dist/server.js only starts when it is the script node was given, compared by real path.
const appDir = fs.realpathSync(fs.mkdtempSync(path.join(cacheDir, 'roundtable-e2e-')));
fs.cpSync(path.join(root, 'build'), path.join(appDir, 'build'), { recursive: true });
fs.cpSync(path.join(root, 'dist'), path.join(appDir, 'dist'), { recursive: true });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtable-e2e-data-'));

function cleanUp() {
  fs.rmSync(appDir, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const child = spawn(process.execPath, [path.join(appDir, 'dist/server.js')], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: process.env.PORT ?? '4173',
    HOST: process.env.HOST ?? '127.0.0.1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    LIMIT_CREATE_PER_HOUR: process.env.LIMIT_CREATE_PER_HOUR ?? '100000'
  }
});

for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT'])) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  cleanUp();
  process.exit(code ?? (signal ? 1 : 0));
});
