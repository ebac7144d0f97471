// Operations: a backup taken while the server runs, the facilitator's CSV export (guarded
// against spreadsheet formulas), and /healthz.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCard, boardToJSON } from '../../src/lib/board/schema';
import { safeCell, toCsv } from '../../src/lib/server/csv';
import { startTestServer, type TestServer } from '../helpers/server';
import { connectBoard, createWorkshop, join, until } from '../helpers/clients';

describe('csv', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(safeCell('=HYPERLINK("http://evil")')).toBe('\'=HYPERLINK("http://evil")');
    for (const bad of ['+1', '-1+2', '@SUM(A1)', '\tx', '\rx']) expect(safeCell(bad).startsWith("'")).toBe(true);
    expect(safeCell('ordinary words')).toBe('ordinary words');
    expect(toCsv([['a "quote"', '=1+1']])).toBe('"a ""quote""","\'=1+1"');
  });
});

describe('operations', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('backs up the database while the server runs', async () => {
    const w = await createWorkshop(server.url, 'Backed up');
    const target = path.join(server.dataDir, 'copy.sqlite');
    const out = execFileSync(process.execPath, ['scripts/backup.js', target], {
      env: { ...process.env, DATA_DIR: server.dataDir },
      encoding: 'utf8'
    });
    expect(out).toContain('Backup written');
    const copy = new Database(target, { readonly: true });
    expect(copy.prepare('SELECT title FROM workshops WHERE id = ?').get(w.id)).toEqual({ title: 'Backed up' });
    copy.close();
  });

  it('exports the cards as CSV for the facilitator only, with formulas neutralised', async () => {
    const w = await createWorkshop(server.url);
    const fac = await join(server.url, w.links.facilitator, 'Fay');
    const member = await join(server.url, w.links.member, 'Mo');
    const b = connectBoard(server.wsUrl, w.boards[0].id, member.sessionToken);
    await b.synced;
    addCard(b.doc, 'problems', '=cmd|"/c calc"!A1');
    addCard(b.doc, 'solutions', 'Peer coaches');
    const f = connectBoard(server.wsUrl, w.boards[0].id, fac.sessionToken);
    await f.synced;
    await until(f.doc, () => boardToJSON(f.doc).solutions.length === 1 && boardToJSON(f.doc).problems.length === 1);
    const res = await fetch(`${server.url}/w/${w.id}/export.csv`, { headers: { authorization: `Bearer ${fac.sessionToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = await res.text();
    expect(text).toContain('"\'=cmd|""/c calc""!A1"');
    expect(text).toContain('"Peer coaches"');
    const denied = await fetch(`${server.url}/w/${w.id}/export.csv`, { headers: { authorization: `Bearer ${member.sessionToken}` } });
    expect(denied.status).toBe(403);
    b.destroy();
    f.destroy();
  });

  it('answers /healthz with 200 while the store is healthy', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
  });
});
