// Issue 11, item 7: a newcomer's first screen should be the address to open and nothing alarming.
// `npm install` warned about leveldown's install script, `npm start` (its build) printed a hint to
// run `npm run preview` (there is none: `npm run serve`), "Generated an empty chunk" and a report
// on slow plugin callbacks, and a green `npm test` printed MaxListenersExceededWarning and
// "MISSED … Targets (issue 5)" from the benchmark's smoke run. Each is checked here the way a
// newcomer meets it: the commands' own output.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { connectBoard } from '../helpers/clients';
import { tempDataDir } from '../helpers/server';

const run = promisify(execFile);

/** Lines no newcomer should meet in a build or a green test run. */
const ALARMING = [
  /npm run preview/,
  /empty chunk/i,
  /PLUGIN_TIMINGS|BUNDLER_TIMINGS|callbacks ran for/i,
  /MISSED/,
  /MaxListeners/,
  /warn/i
];

const alarming = (output: string) => output.split('\n').filter((line) => ALARMING.some((re) => re.test(line)));

describe('what a newcomer sees', () => {
  it('npm install has no package with an install script left unreviewed (allowScripts covers the lock file)', () => {
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { allowScripts?: Record<string, boolean> };
    const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const withScripts = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([where]) => where.replace(/^.*node_modules\//, ''));
    expect(withScripts.filter((name) => !(name in (pkg.allowScripts ?? {})))).toEqual([]);
    // leveldown is an optional part of the reference server's LevelDB storage, which is not used.
    expect(pkg.allowScripts?.leveldown).toBe(false);
  });

  it('npm run build prints that it built, and no hint, chunk or timing report', async () => {
    // npm test builds once and hands its output over; run alone, this builds.
    const log = process.env.ROUNDTABLE_BUILD_LOG;
    const output = log
      ? fs.readFileSync(log, 'utf8')
      : await run('npm', ['run', '--silent', 'build'], { maxBuffer: 64 << 20 }).then((r) => r.stdout + r.stderr);
    expect(alarming(output)).toEqual([]);
    expect(output.trim()).toMatch(/^Building Roundtable… done in \d+ s\.$/);
  }, 180_000);

  it("the benchmark's smoke run reports that it ran, not targets met or missed", async () => {
    const out = tempDataDir('roundtable-bench-');
    try {
      const { stdout, stderr } = await run(
        'node',
        ['scripts/bench.js', '--quick', '--only', 'rush', '--no-ref', '--no-page', '--no-wait', '--out', out],
        {
          maxBuffer: 64 << 20
        }
      );
      expect(alarming(stdout + stderr)).toEqual([]);
      expect(stdout).not.toMatch(/Targets \(issues? /);
      expect(stdout).toContain('Smoke run (--quick): 1 of 1 runs worked (rush).');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);

  it('tests that hold more than ten boards open at once print no MaxListenersExceededWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    // y-websocket adds a process 'exit' listener per provider; nothing needs to listen on the port.
    const boards = Array.from({ length: 12 }, (_, i) => connectBoard('ws://127.0.0.1:9', `board-${i}`, 'token'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const b of boards) b.destroy();
    process.off('warning', onWarning);
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
  });
});
