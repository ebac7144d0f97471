// The bench's BENCH_PROCESSES_NICE (scripts/lib/services.js reniceTree): a process, every thread
// of it and every process under it get the nice value. Positive values need no root.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { reniceTree, sleep } from '../../scripts/lib/services.js';

/** The nice value of every thread of `pid`, from /proc (field 19 of stat, after the command). */
function nices(pid: number): number[] {
  return fs.readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

function childPids(pid: number): number[] {
  return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
}

/** Processes to kill after each test (the child's own child outlives it otherwise). */
const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

describe.runIf(process.platform === 'linux')('reniceTree', () => {
  it('sets the nice value of a process, its threads and the processes under it', async () => {
    // A Node process (several threads) that starts a child of its own, then waits.
    const parent = spawn(
      process.execPath,
      ['-e', "require('node:child_process').spawn('sleep', ['30'], { stdio: 'ignore' }); setInterval(() => {}, 1000)"],
      { stdio: 'ignore' }
    );
    const pid = parent.pid!;
    started.push(pid);
    let children: number[] = [];
    for (let i = 0; i < 100 && !children.length; i++) {
      await sleep(50);
      children = childPids(pid);
    }
    started.push(...children);
    expect(children).toHaveLength(1);
    expect(nices(pid).length).toBeGreaterThan(1);
    expect(new Set([...nices(pid), ...nices(children[0])])).toEqual(new Set([0]));

    reniceTree(pid, 7);

    expect(new Set(nices(pid))).toEqual(new Set([7]));
    expect(new Set(nices(children[0]))).toEqual(new Set([7]));
  });

  it('leaves a process that has gone alone', () => {
    expect(() => reniceTree(2 ** 22 + 12345, 5)).not.toThrow();
  });
});
