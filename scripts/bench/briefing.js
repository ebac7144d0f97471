// The briefing scenario: a workshop as a long day leaves it, built through the real server the way
// people build it (cards written by many people on their own board connections, themes and key
// points written on the facilitator's, cards posted without a name, a closed vote, a consent round
// and an agreed version with changes since, a representative, the workshop ended), then every
// briefing format downloaded, each download timed from the request to its last byte.
// Nothing is written to the database behind the server's back.
//
// Typst memoizes layout inside its worker: a second PDF of the same workshop reuses most of the
// first's work (about a quarter of the CPU). So the figure that counts, a workshop's first
// download, is taken from several workshops with different words, after a tiny briefing has
// started the worker (whose start, fonts included, is reported on its own); repeat downloads of
// one workshop are reported apart.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateNKeysBetween } from 'fractional-indexing';
import { connectProvider, setThemes, whenSynced, writeCards, writeKeyPoints, writeThemes, LANES } from './board.js';
import { cardText, mapLimit, nowUs, randomHex, sessionSocket, sleep, themeName } from './lib.js';

/** The downloads timed, in the order of each round. */
export const BRIEFING_FORMATS = [
  { key: 'pdf', label: 'PDF', path: 'briefing.pdf' },
  { key: 'pdfEasy', label: 'PDF, easy read', path: 'briefing.pdf?version=easy' },
  { key: 'html', label: 'HTML', path: 'briefing.html' },
  { key: 'md', label: 'Markdown', path: 'briefing.md' },
  { key: 'csv', label: 'CSV', path: 'briefing.csv' },
  { key: 'json', label: 'JSON archive', path: 'briefing.json' }
];

const rand = () => Math.random();
const pick = (list) => list[Math.floor(rand() * list.length)];

async function command(socket, cmd) {
  const r = await socket.emitWithAck('command', cmd);
  if (!r?.ok) throw new Error(`${cmd.type} refused: ${r?.error?.code} ${r?.error?.message}`);
  return r;
}

/** Syncs a fresh client until the board holds what `expected` says (the server's stored state). */
async function boardOnServer(wsBase, boardId, token, expected, ms = 20_000) {
  const deadline = Date.now() + ms;
  let seen = null;
  while (Date.now() < deadline) {
    const provider = connectProvider(wsBase, boardId, token);
    try {
      await whenSynced(provider);
      const cards = [...provider.doc.getMap('cards').values()];
      seen = {
        cards: cards.length,
        themed: cards.filter((c) => typeof c.get('theme') === 'string').length,
        themes: provider.doc.getMap('themes').size,
        keyPoints: provider.doc.getMap('keypoints').size
      };
    } finally {
      provider.destroy();
      provider.doc.destroy();
    }
    if (Object.entries(expected).every(([k, v]) => seen[k] === v)) return seen;
    await sleep(200);
  }
  throw new Error(`the board did not reach ${JSON.stringify(expected)} on the server (last seen ${JSON.stringify(seen)})`);
}

/**
 * Builds the workshop. cfg: { cards, themes, themedShare, keyPoints, writers, members,
 * decisionMakers, observers, voteThemes, anonymous, hidden }; `variant` picks other words (so that
 * no two workshops share a card's words). Returns { workshopId, token, facts }.
 */
export async function buildBriefingWorkshop({ httpBase, wsBase, api, cfg, variant = 0, log }) {
  const words = (i) => cardText(variant * 1_000_000 + i);
  const t0 = nowUs();
  const w = await api.createWorkshop('Bench briefing: buses for shift workers');
  const boardId = w.boards[0].id;
  const fac = await api.join(w.links.facilitator, 'Facilitator');
  const roles = [
    ...Array(cfg.members).fill('member'),
    ...Array(cfg.decisionMakers).fill('decisionMaker'),
    ...Array(cfg.observers).fill('observer')
  ];
  const people = await mapLimit(roles, 8, async (role, i) => ({ role, ...(await api.join(w.links[role], `Person ${i + 1}`)) }));
  const voters = people.filter((p) => p.role !== 'observer');
  const writers = voters.slice(0, cfg.writers);

  // Cards: realistic lengths, spread over the lists (fewer questions than problems and solutions),
  // each list's order keys made up front so that writers typing at once do not collide.
  const lanes = Array.from({ length: cfg.cards }, (_, i) => (i % 4 === 0 ? LANES[0] : i % 4 === 1 || i % 4 === 3 ? LANES[2] : LANES[1]));
  const keys = Object.fromEntries(LANES.map((l) => [l, generateNKeysBetween(null, null, lanes.filter((x) => x === l).length)]));
  const used = Object.fromEntries(LANES.map((l) => [l, 0]));
  const specs = lanes.map((lane, i) => ({ id: randomHex(12), lane, order: keys[lane][used[lane]++], text: words(i) }));

  // Every writer on their own connection, as the board page would be: authorship is theirs.
  await mapLimit(writers, 10, async (person, wi) => {
    const provider = connectProvider(wsBase, boardId, person.sessionToken);
    try {
      await whenSynced(provider);
      const mine = specs.filter((_, i) => i % writers.length === wi);
      for (let i = 0; i < mine.length; i += 50) {
        writeCards(provider.doc, mine.slice(i, i + 50));
        await sleep(5);
      }
      const deadline = Date.now() + 10_000;
      while (provider.ws && provider.ws.bufferedAmount > 0 && Date.now() < deadline) await sleep(10);
      await sleep(50);
    } finally {
      provider.destroy();
      provider.doc.destroy();
    }
  });
  await boardOnServer(wsBase, boardId, fac.sessionToken, { cards: cfg.cards });

  // The facilitator's page: themes (most cards in one), then the key points, each from cards and themes.
  const themes = Array.from({ length: cfg.themes }, (_, i) => ({ id: randomHex(12), name: themeName(i) }));
  const assign = new Map();
  for (const s of specs) if (themes.length && rand() < cfg.themedShare) assign.set(s.id, pick(themes).id);
  const pointText = (i) =>
    `${['We agree that', 'Everyone wants', 'The group asks that', 'Most of us think'][i % 4]} ${words(50_000 + i)
      .replace(/\.$/, '')
      .slice(0, 300)
      .toLowerCase()}.`;
  const points = Array.from({ length: cfg.keyPoints }, (_, i) => ({
    id: randomHex(12),
    text: pointText(i),
    sources: [
      ...Array.from({ length: 2 + Math.floor(rand() * 6) }, () => pick(specs).id),
      ...(themes.length ? [`theme:${pick(themes).id}`] : [])
    ].filter((s, j, all) => all.indexOf(s) === j)
  }));
  const board = connectProvider(wsBase, boardId, fac.sessionToken);
  const sockets = [];
  try {
    await whenSynced(board);
    writeThemes(board.doc, themes);
    setThemes(board.doc, assign);
    writeKeyPoints(board.doc, points);
    await boardOnServer(wsBase, boardId, fac.sessionToken, {
      cards: cfg.cards,
      themed: assign.size,
      themes: themes.length,
      keyPoints: points.length
    });

    // Session control: everyone who votes is connected, as their pages would be.
    const facilitator = await sessionSocket(httpBase, w.id, fac.sessionToken);
    sockets.push(facilitator);
    let state = null;
    facilitator.on('state', (s) => (state = s));
    const voterSockets = await mapLimit(voters, 8, (p) => sessionSocket(httpBase, w.id, p.sessionToken));
    sockets.push(...voterSockets);
    const everyone = [facilitator, ...voterSockets];

    // Cards posted without a name (they go on the board at the next release moment, together).
    if (cfg.anonymous) {
      await command(facilitator, { type: 'settings.update', anonymousCards: 'optional' });
      await Promise.all(
        Array.from({ length: cfg.anonymous }, (_, i) =>
          command(voterSockets[i % voterSockets.length], {
            type: 'card.addAnonymous',
            boardId,
            lane: LANES[i % 3],
            text: words(90_000 + i)
          })
        )
      );
    }
    // A few cards a facilitator took off the board.
    for (const s of specs.slice(0, cfg.hidden))
      await command(facilitator, { type: 'card.hide', boardId, cardId: s.id, reason: 'It names a member of staff' });
    const hidden = new Set(specs.slice(0, cfg.hidden).map((s) => s.id));

    // A vote on the solutions of some themes, cast by everyone, then closed.
    let voteThemes = themes.slice(0, cfg.voteThemes).map((t) => t.id);
    // (On a tiny board the themes may hold no solution: then the vote is on every solution.)
    if (!specs.some((c) => c.lane === 'solutions' && !hidden.has(c.id) && voteThemes.includes(assign.get(c.id)))) voteThemes = [];
    const opened = await command(facilitator, {
      type: 'vote.open',
      boardId,
      on: { kind: 'cards', lanes: ['solutions'], ...(voteThemes.length ? { themes: voteThemes } : {}) },
      votesPerPerson: 3
    });
    const deadline = Date.now() + 10_000;
    while (!state?.votes?.some((v) => v.id === opened.voteId) && Date.now() < deadline) await sleep(20);
    const items = state?.votes?.find((v) => v.id === opened.voteId)?.items ?? [];
    if (!items.length) throw new Error('the vote has no items');
    let votes = 0;
    await Promise.all(
      everyone.map(async (s) => {
        for (let i = 0; i < 3; i++) {
          await command(s, { type: 'vote.cast', voteId: opened.voteId, itemId: pick(items) });
          votes++;
        }
      })
    );
    await command(facilitator, { type: 'vote.close', voteId: opened.voteId });

    // A consent round on the key points, then the facilitator marks them agreed.
    const round = await command(facilitator, { type: 'consent.open', boardId });
    await Promise.all(
      everyone.map(async (s) => {
        for (const p of points) {
          const u = rand();
          await command(s, {
            type: 'consent.answer',
            consentId: round.consentId,
            pointId: p.id,
            answer: u < 0.7 ? 'agree' : u < 0.9 ? 'live' : 'object'
          });
        }
      })
    );
    await command(facilitator, { type: 'consent.close', consentId: round.consentId });
    await command(facilitator, { type: 'keypoints.agree', boardId });

    // After the agreement: one point reworded and one added (the briefing shows what changed).
    const first = board.doc.getMap('keypoints').get(points[0].id);
    first.get('text').insert(first.get('text').length, ' This was changed after it was agreed.');
    const added = { id: randomHex(12), text: 'Bus times should be posted at the clinic as well.', sources: [specs.at(-1).id] };
    writeKeyPoints(board.doc, [added]);
    await boardOnServer(wsBase, boardId, fac.sessionToken, {
      cards: cfg.cards + cfg.anonymous - hidden.size,
      keyPoints: points.length + 1
    });

    const representative = people.find((p) => p.role === 'member');
    if (representative)
      await command(facilitator, {
        type: 'participant.setRepresentative',
        participantId: representative.participant.id,
        representative: true
      });
    await command(facilitator, { type: 'workshop.end' });
    const textChars = specs.reduce((n, s) => n + s.text.length, 0);
    log?.(
      `briefing: workshop built in ${((nowUs() - t0) / 1e6).toFixed(1)} s: ${cfg.cards + cfg.anonymous - hidden.size} cards (${Math.round(textChars / 1024)} KiB of words), ${themes.length} themes, ${points.length + 1} key points, ${votes} votes`
    );
    return {
      workshopId: w.id,
      token: fac.sessionToken,
      facts: {
        cards: cfg.cards + cfg.anonymous - hidden.size,
        textChars,
        themes: themes.length,
        cardsInThemes: [...assign.keys()].filter((id) => !hidden.has(id)).length,
        keyPoints: points.length + 1,
        voteItems: items.length,
        votes,
        consentAnswers: everyone.length * points.length,
        people: people.length + 1,
        buildSeconds: (nowUs() - t0) / 1e6
      }
    };
  } finally {
    for (const s of sockets) s.close();
    board.destroy();
    board.doc.destroy();
  }
}

/** What pdfinfo says about a PDF: pages, and whether it claims PDF/UA. */
function pdfInfo(buf) {
  const file = path.join(os.tmpdir(), `roundtable-bench-${randomHex(6)}.pdf`);
  try {
    fs.writeFileSync(file, buf);
    const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
    if (info.status !== 0) return { pages: null, error: (info.stderr || 'pdfinfo is missing').trim() };
    const meta = spawnSync('pdfinfo', ['-meta', file], { encoding: 'utf8' });
    return {
      pages: Number(/^Pages:\s+(\d+)/m.exec(info.stdout)?.[1] ?? NaN) || null,
      tagged: /^Tagged:\s+yes/m.test(info.stdout),
      pdfUA: /pdfuaid:part/.test(meta.stdout ?? '')
    };
  } finally {
    fs.rmSync(file, { force: true });
  }
}

const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length ? v[Math.floor((v.length - 1) / 2)] : null;
};

async function download(httpBase, w, f, serverCpu) {
  const cpu0 = serverCpu();
  const t0 = nowUs();
  const res = await fetch(`${httpBase}/api/workshops/${w.workshopId}/${f.path}`, { headers: { authorization: `Bearer ${w.token}` } });
  const body = Buffer.from(await res.arrayBuffer());
  const ms = (nowUs() - t0) / 1000;
  const cpu1 = serverCpu();
  if (res.status !== 200) throw new Error(`GET ${f.path} answered ${res.status}: ${body.toString('utf8').slice(0, 200)}`);
  return { ms, serverCpuMs: cpu0 === null || cpu1 === null ? null : (cpu1 - cpu0) * 1000, body };
}

function summary(samples) {
  const ms = samples.map((s) => s.ms);
  const cpu = samples.map((s) => s.serverCpuMs).filter((x) => x !== null);
  return { ms, medianMs: median(ms), maxMs: ms.length ? Math.max(...ms) : null, serverCpuMedianMs: median(cpu) };
}

/**
 * Downloads, one at a time: first the PDF of `warmup` (a tiny briefing: it starts the PDF worker),
 * then every format of each of `workshops` once (each workshop's first download), then every format
 * of the first workshop `again` more times. serverCpu() reads the server's CPU seconds (all its
 * threads, Typst's too), to tell working from waiting.
 */
export async function timeBriefing({ httpBase, warmup, workshops, again, serverCpu, log }) {
  const pdf = BRIEFING_FORMATS[0];
  const cold = await download(httpBase, warmup, pdf, serverCpu);
  log?.(`briefing: the PDF worker started with a tiny briefing in ${cold.ms.toFixed(0)} ms`);
  const first = Object.fromEntries(BRIEFING_FORMATS.map((f) => [f.key, []]));
  const repeat = Object.fromEntries(BRIEFING_FORMATS.map((f) => [f.key, []]));
  const last = {};
  for (const [i, w] of workshops.entries()) {
    for (const f of BRIEFING_FORMATS) {
      const d = await download(httpBase, w, f, serverCpu);
      first[f.key].push(d);
      last[f.key] = d.body;
    }
    log?.(
      `briefing, workshop ${i + 1}, first download: ${BRIEFING_FORMATS.map((f) => `${f.key} ${first[f.key].at(-1).ms.toFixed(0)} ms`).join(', ')}`
    );
  }
  for (let r = 0; r < again; r++) {
    for (const f of BRIEFING_FORMATS) repeat[f.key].push(await download(httpBase, workshops[0], f, serverCpu));
    log?.(`briefing, workshop 1 again: ${BRIEFING_FORMATS.map((f) => `${f.key} ${repeat[f.key].at(-1).ms.toFixed(0)} ms`).join(', ')}`);
  }
  const formats = {};
  for (const f of BRIEFING_FORMATS) {
    formats[f.key] = {
      label: f.label,
      path: f.path,
      kB: last[f.key].length / 1000,
      first: summary(first[f.key]),
      again: summary(repeat[f.key])
    };
  }
  formats.pdf.info = pdfInfo(last.pdf);
  formats.pdfEasy.info = pdfInfo(last.pdfEasy);
  return { coldWorker: { ms: cold.ms, serverCpuMs: cold.serverCpuMs, kB: cold.body.length / 1000 }, formats };
}
