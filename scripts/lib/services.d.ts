// Types of services.js, for the tests that import it (tests/integration/redis-faults.test.ts,
// tests/unit/bench-renice.test.ts).
export interface StartedService {
  name: string;
  /** The process (Redis) or the postmaster (Postgres), for reniceTree. */
  pid: number;
  stop(): unknown;
  /** Postgres only: an immediate stop (a crash), and a start again on the same port. */
  crash?(): unknown;
  start?(): unknown;
}
export function sleep(ms: number): Promise<void>;
export function freePort(): Promise<number>;
export function answers(port: number): Promise<boolean>;
export function whenHealthy(port: number, child: import('node:child_process').ChildProcess, tries?: number): Promise<boolean>;
export function postgresBin(): string;
export function startRedis(started: StartedService[]): Promise<string>;
export function startPostgres(started: StartedService[], tmp: string, database?: string): Promise<string>;
export function stopChild(child: import('node:child_process').ChildProcess): Promise<unknown>;
export function reniceTree(pid: number, nice: number): void;
