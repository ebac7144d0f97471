// Nothing anyone has seen is ever lost: the server stores an update before relaying it, so after
// SIGKILL in the middle of a burst of edits from several clients, every edit that reached another
// client is there after a restart. `npm run soak` repeats this (SOAK_TRIALS) and reports the count.
// The same trial runs once over Postgres (DATABASE_URL, a real throwaway cluster): there an edit is
// relayed only after its transaction commits.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, boardToJSON, cardsOf } from '../../src/lib/board/schema';
import { tempDataDir } from '../helpers/server';
import { freePort, spawnServer } from '../helpers/process-server';
import { connectBoard, createWorkshop, join, until } from '../helpers/clients';
import { testDatabase } from '../helpers/postgres';

const TRIALS = Number(process.env.SOAK_TRIALS ?? 1);

async function trial(store: Record<string, string> = {}): Promise<{ seen: number; lost: string[]; dataDir: string }> {
  const dataDir = tempDataDir('roundtable-durability-');
  const port = await freePort();
  // Compact every few updates, so the kill often lands during or right after a compaction.
  const env = { COMPACT_EVERY: '3', ...store };
  let server = await spawnServer(dataDir, port, env);
  const w = await createWorkshop(server.url);
  const boardId = w.boards[0].id;
  const tokens = await Promise.all(['A', 'B', 'C', 'Watcher'].map(async (n) => (await join(server.url, w.links.member, n)).sessionToken));
  const writers = tokens.slice(0, 3).map((t) => connectBoard(server.wsUrl, boardId, t));
  const watcher = connectBoard(server.wsUrl, boardId, tokens[3]);
  await Promise.all([...writers, watcher].map((c) => c.synced));

  // Everything the watcher receives came through the server from another client.
  const seen = new Set<string>();
  const record = () => {
    cardsOf(watcher.doc).forEach((card) => {
      const text = card.get('text');
      if (text instanceof Y.Text) seen.add(text.toString());
    });
  };
  watcher.doc.on('update', record);

  let n = 0;
  const burst = setInterval(() => {
    writers.forEach((wr, i) => addCard(wr.doc, (['questions', 'problems', 'solutions'] as const)[i], `edit ${i}-${n}`));
    n++;
  }, 2);
  await until(watcher.doc, () => seen.size >= 60, 10_000);
  server.child.kill('SIGKILL');
  await server.exited;
  clearInterval(burst);
  watcher.doc.off('update', record);
  // The writers still hold edits the server never stored; take them away so they cannot resend.
  for (const c of [...writers, watcher]) c.destroy();

  server = await spawnServer(dataDir, port, env);
  const fresh = connectBoard(server.wsUrl, boardId, tokens[3]);
  await fresh.synced;
  const stored = new Set(
    Object.values(boardToJSON(fresh.doc))
      .flat()
      .map((c) => c.text)
  );
  fresh.destroy();
  server.child.kill('SIGTERM');
  await server.exited;
  return { seen: seen.size, lost: [...seen].filter((t) => !stored.has(t)), dataDir };
}

describe('durability', () => {
  it('flushes, compacts and exits cleanly on SIGTERM, keeping every edit', async () => {
    const dataDir = tempDataDir('roundtable-sigterm-');
    const port = await freePort();
    let server = await spawnServer(dataDir, port);
    const w = await createWorkshop(server.url);
    const me = await join(server.url, w.links.member, 'Ann');
    const a = connectBoard(server.wsUrl, w.boards[0].id, me.sessionToken);
    await a.synced;
    for (let i = 0; i < 30; i++) addCard(a.doc, 'questions', `q${i}`);
    const b = connectBoard(server.wsUrl, w.boards[0].id, me.sessionToken);
    await b.synced;
    await until(b.doc, () => boardToJSON(b.doc).questions.length === 30);
    const closed = new Promise<number>((resolve) =>
      a.provider.on('connection-close', (e: { code: number } | null) => resolve(e?.code ?? 0))
    );
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(await closed).toBe(4503); // "the server is restarting": pages reconnect
    a.destroy();
    b.destroy();
    server = await spawnServer(dataDir, port);
    const c = connectBoard(server.wsUrl, w.boards[0].id, me.sessionToken);
    await c.synced;
    expect(boardToJSON(c.doc).questions).toHaveLength(30);
    c.destroy();
    server.child.kill('SIGTERM');
    await server.exited;
  });

  it(
    `keeps every edit another client had received after SIGKILL mid-burst (${TRIALS} trial${TRIALS === 1 ? '' : 's'})`,
    async () => {
      let passed = 0;
      const failures: string[] = [];
      for (let i = 0; i < TRIALS; i++) {
        const result = await trial();
        if (result.lost.length === 0) passed++;
        else
          failures.push(
            `trial ${i + 1}: lost ${result.lost.length} of ${result.seen} seen edits, e.g. ${result.lost.slice(0, 3).join(', ')}`
          );
      }
      if (TRIALS > 1) console.log(`durability soak: ${passed} of ${TRIALS} trials kept every seen edit`);
      expect(failures).toEqual([]);
    },
    60_000 + TRIALS * 30_000
  );

  it('keeps every edit another client had received after SIGKILL mid-burst, on Postgres', async () => {
    // The server keeps its tables in the database's default schema (public).
    const { url } = await testDatabase();
    const result = await trial({ DATABASE_URL: url });
    expect(result.seen).toBeGreaterThanOrEqual(60);
    expect(result.lost).toEqual([]);
    // Everything was in Postgres: no SQLite file was made beside it.
    expect(fs.existsSync(path.join(result.dataDir, 'roundtable.sqlite'))).toBe(false);
  }, 60_000);
});
