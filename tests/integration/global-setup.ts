// Integration tests run the real production build (adapter-node's handler). Build it once if it
// is missing; `npm test` builds before running vitest, so this only matters for `npx vitest`.
// It also gives the run a folder for its Postgres cluster (tests/helpers/postgres.ts): started by
// the first test file that needs it, stopped by its pid here when the run ends.
import { existsSync, mkdtempSync } from 'node:fs';
import { execSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { stopRunCluster } from '../helpers/postgres';

export default function setup(project: TestProject): () => Promise<void> {
  if (!existsSync('build/handler.js') || !existsSync('dist/server.js')) {
    execSync('npm run build', { stdio: 'inherit' });
  }
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'roundtable-pg-'));
  project.provide('postgresRunDir', runDir);
  return () => stopRunCluster(runDir);
}
