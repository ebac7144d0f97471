// Integration tests run the real production build (adapter-node's handler). Build it once if it
// is missing; `npm test` builds before running vitest, so this only matters for `npx vitest`.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

export default function setup(): void {
  if (!existsSync('build/handler.js') || !existsSync('dist/server.js')) {
    execSync('npm run build', { stdio: 'inherit' });
  }
}
