// Starts the real production server (adapter-node build + realtime core) on a free loopback port
// with its own data folder, for integration tests. No mocks: real SQLite file, real sockets.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readConfig } from '../../server/config';
import { startServer, type RunningServer } from '../../server/index';

export interface TestServer {
  url: string;
  wsUrl: string;
  dataDir: string;
  running: RunningServer;
  /** Stops the server (flushing everything) and starts a new one on the same data folder and port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export function tempDataDir(prefix = 'roundtable-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startTestServer(options: { dataDir?: string; env?: Record<string, string> } = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    LIMIT_CREATE_PER_HOUR: '100000',
    // Cards without a name wait for a release moment; short here so tests about other things
    // do not wait (tests about the release set their own).
    LIMIT_RELEASE_WINDOW_MS: '200',
    ...options.env
  };
  const handler = path.resolve('build/handler.js');
  let running = await startServer(readConfig(env), handler);
  const port = (running.http.address() as { port: number }).port;
  const server: TestServer = {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    dataDir,
    get running() {
      return running;
    },
    async restart() {
      await running.close();
      running = await startServer(readConfig({ ...env, PORT: String(port) }), handler);
    },
    async close() {
      await running.close();
    }
  };
  return server;
}
