// Forums on the server: making one (answered with its facilitator link), who its facilitators
// are (a forum link, never an account), its workshops, joining a parent forum with the parent's
// join-as-child link, sharing agreed key points up and withdrawing them, and reading what a forum
// may see: its own workshops' agreed points and its child forums' shared points, each with its
// provenance (the forum tree it came up through, counts only). Roll-up onto a board (bring,
// merge, unmerge) is here too, as functions over the store and the BoardPeer that the session
// handlers (server/session/rollup.ts) call in the workshop's turn. The rules are pure, in
// src/lib/domain/forums.ts. The read functions (`sharedView`, `lineage`, `collectiveView`) are
// what a board meeting's preparation builds on.
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { themeOfSource } from '../src/lib/domain/support';
import {
  FORUM_RULES,
  FORUM_TEXT,
  backingOf,
  checkForumName,
  checkJoin,
  isForumLevel,
  mergeCards,
  rankPoints,
  totalBacking,
  unmergeCard,
  type CollectivePoint,
  type ForumRef,
  type LineageNode,
  type OwnPoint,
  type RollupCardView,
  type SharedView
} from '../src/lib/domain/forums';

export type { CollectivePoint, ForumRef, LineageNode, OwnPoint, RollupCardView, SharedView };
import { isLane, type Lane } from '../src/lib/board/schema';
import { AppError } from '../src/lib/protocol/errors';
import type { ForumLinkRecord, ForumRecord, RollupCardRecord, SharedPointRecord, Store } from './persistence/types';
import type { BoardPeer } from './session/ports';
import { KeyedQueue } from './keyed-queue';
import { looksLikeToken, newRecordId, newToken } from './tokens';

export interface ForumOverview {
  forum: ForumRef & { createdAt: number };
  parent: ForumRef | null;
  workshops: { id: string; title: string; createdAt: number; points: OwnPoint[] }[];
  children: ForumRef[];
  /** The forum's join-as-child links that work (tokens). */
  childLinks: string[];
  /** Points child forums shared with this one, withdrawn ones too, newest first. */
  shared: SharedView[];
  /** The collective view: own workshops' agreed points and child forums' live shared points, ranked. */
  view: CollectivePoint[];
}

export interface ForumDeps {
  store: Store;
  boards: BoardPeer;
  createPerHour: number;
}

const ref = (f: ForumRecord): ForumRef => ({ id: f.id, name: f.name, level: f.level });

const notFound = () => new AppError('not_found', FORUM_TEXT.notFound, 404);

export class ForumService {
  private limiter: RateLimiterMemory;
  // Parent changes take turns, so two joins at once cannot make a loop the check did not see.
  private tree = new KeyedQueue();

  constructor(private deps: ForumDeps) {
    this.limiter = new RateLimiterMemory({ points: deps.createPerHour, duration: 3600 });
  }

  /** POST /api/forums: a new forum, answered with its facilitator link's token. */
  async create(input: { name?: unknown; level?: unknown }, address: string): Promise<{ forum: ForumRecord; token: string }> {
    const name = checkForumName(input.name);
    if (!name.ok) throw new AppError('invalid_input', name.message, 400, 'name');
    if (!isForumLevel(input.level)) throw new AppError('invalid_input', FORUM_TEXT.levelMissing, 400, 'level');
    try {
      await this.limiter.consume(address);
    } catch {
      throw new AppError('rate_limited', 'You have made a lot of forums in the last hour. Try again later.', 429);
    }
    const now = Date.now();
    const forum: ForumRecord = { id: newRecordId(), name: name.value, level: input.level, parentId: null, createdAt: now };
    const link: ForumLinkRecord = { token: newToken(), forumId: forum.id, kind: 'facilitator', createdAt: now, revokedAt: null };
    await this.deps.store.forums.create(forum, [link]);
    return { forum, token: link.token };
  }

  /**
   * The forum a facilitator link opens (/forum/<token>); refused when it is not a working
   * facilitator link. The same answer for a token that is no forum link as for a turned-off one's
   * forum that is gone, so tokens cannot be probed.
   */
  async open(token: unknown): Promise<ForumRecord> {
    const link = looksLikeToken(token) ? await this.deps.store.forums.link(token) : null;
    if (!link || link.kind !== 'facilitator')
      throw new AppError('unknown_invite', "This forum link does not work. Ask the forum's facilitator for a new one.", 404);
    if (link.revokedAt !== null)
      throw new AppError('revoked_invite', "This forum link has been turned off. Ask the forum's facilitator for a new one.", 410);
    const forum = await this.deps.store.forums.get(link.forumId);
    if (!forum) throw notFound();
    return forum;
  }

  /** The forum `forumId`, when `token` is one of its working facilitator links: 401 without one, 403 for another forum's. */
  async facilitator(forumId: string, token: string | null): Promise<ForumRecord> {
    if (!token) throw new AppError('not_signed_in', FORUM_TEXT.notSignedIn, 401);
    const link = looksLikeToken(token) ? await this.deps.store.forums.link(token) : null;
    if (!link || link.kind !== 'facilitator' || link.revokedAt !== null) throw new AppError('not_signed_in', FORUM_TEXT.notSignedIn, 401);
    if (link.forumId !== forumId) throw new AppError('forbidden', FORUM_TEXT.forbidden, 403);
    const forum = await this.deps.store.forums.get(forumId);
    if (!forum) throw notFound();
    return forum;
  }

  /** A join-as-child link for this forum (POST /api/forums/<id>/child-links). */
  async childLink(forum: ForumRecord): Promise<string> {
    const link: ForumLinkRecord = { token: newToken(), forumId: forum.id, kind: 'child', createdAt: Date.now(), revokedAt: null };
    await this.deps.store.forums.addLink(link);
    return link.token;
  }

  /**
   * A new facilitator link for the forum, and every other one turned off (as `invite.renew` does
   * for a workshop's links): for a link that reached the wrong person. The new one is stored first,
   * so the forum is never left without a working link.
   */
  async renewLink(forum: ForumRecord): Promise<string> {
    const { store } = this.deps;
    // One forum's renewals take turns: two at once could otherwise each turn off the other's new link.
    return this.tree.run(`links:${forum.id}`, async () => {
      const now = Date.now();
      const link: ForumLinkRecord = { token: newToken(), forumId: forum.id, kind: 'facilitator', createdAt: now, revokedAt: null };
      await store.forums.addLink(link);
      for (const old of await store.forums.links(forum.id))
        if (old.kind === 'facilitator' && old.revokedAt === null && old.token !== link.token) await store.forums.revokeLink(old.token, now);
      return link.token;
    });
  }

  /** Turns off one of the forum's join-as-child links (forums that joined with it stay joined); 404 for any other link. */
  async revokeChildLink(forum: ForumRecord, token: unknown): Promise<void> {
    const { store } = this.deps;
    const link = looksLikeToken(token) ? await store.forums.link(token) : null;
    if (!link || link.kind !== 'child' || link.forumId !== forum.id)
      throw new AppError('not_found', "That is not one of this forum's join links.", 404, 'link');
    if (link.revokedAt === null) await store.forums.revokeLink(link.token, Date.now());
  }

  /** `child` joins the forum whose join-as-child link `token` is: never its own ancestor, and only upwards. */
  async joinParent(child: ForumRecord, token: unknown): Promise<ForumRecord> {
    const { store } = this.deps;
    const link = looksLikeToken(token) ? await store.forums.link(token) : null;
    if (!link || link.kind !== 'child')
      throw new AppError(
        'invalid_input',
        'That is not a join link of a forum. Ask the other forum\'s facilitator for its "join as a child forum" link.',
        400,
        'link'
      );
    if (link.revokedAt !== null)
      throw new AppError('revoked_invite', 'That join link has been turned off. Ask for a new one.', 410, 'link');
    return this.tree.run('tree', async () => {
      const parent = await store.forums.get(link.forumId);
      const fresh = await store.forums.get(child.id);
      if (!parent || !fresh) throw notFound();
      const parents = await this.parentMap(parent.id);
      const joined = checkJoin(fresh, parent, (id) => (id === fresh.id ? fresh.parentId : (parents.get(id) ?? null)));
      if (!joined.ok) throw new AppError('invalid_input', joined.message, 400, 'link');
      await store.forums.setParent(fresh.id, parent.id);
      return parent;
    });
  }

  /** Each forum's parent from `from` up (a few steps: levels go up). */
  private async parentMap(from: string): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    for (let at: string | null = from; at !== null && !out.has(at);) {
      const f: ForumRecord | null = await this.deps.store.forums.get(at);
      out.set(at, f?.parentId ?? null);
      at = f?.parentId ?? null;
    }
    return out;
  }

  /** A workshop's facilitator adds it to the forum a facilitator link opens. */
  async addWorkshop(workshopId: string, token: unknown): Promise<ForumRecord> {
    const raw = typeof token === 'string' ? (token.trim().split('/').pop() ?? '') : token;
    let forum: ForumRecord;
    try {
      forum = await this.open(raw);
    } catch {
      throw new AppError(
        'invalid_input',
        "That is not a forum's link that works. Paste the link the forum's facilitator gave you.",
        400,
        'forum'
      );
    }
    const added = await this.deps.store.forums.addWorkshop({ forumId: forum.id, workshopId, addedAt: Date.now() });
    if (!added) throw new AppError('not_allowed_now', 'This workshop already belongs to a forum.', 409, 'forum');
    return forum;
  }

  /** Adds a workshop made inside the forum (POST /api/forums/<id>/workshops). */
  async adopt(forum: ForumRecord, workshopId: string): Promise<void> {
    await this.deps.store.forums.addWorkshop({ forumId: forum.id, workshopId, addedAt: Date.now() });
  }

  /** The agreed key points of a forum's workshop: each board's latest agreed version. */
  private async ownPoints(forumId: string, workshopId: string, shared: SharedPointRecord[]): Promise<OwnPoint[]> {
    const versions = await this.deps.store.keyPoints.versions(workshopId);
    const latest = new Map<string, (typeof versions)[number]>();
    for (const v of versions) if ((latest.get(v.boardId)?.number ?? 0) < v.number) latest.set(v.boardId, v);
    const out: OwnPoint[] = [];
    for (const v of latest.values()) {
      for (const p of v.points) {
        if (!p.text.trim()) continue;
        const mine = shared
          .filter((s) => s.forumId === forumId && s.boardId === v.boardId && s.pointId === p.id && s.version === v.number)
          .sort((a, b) => Number(a.withdrawnAt !== null) - Number(b.withdrawnAt !== null) || b.sharedAt - a.sharedAt)[0];
        out.push({
          workshopId,
          boardId: v.boardId,
          pointId: p.id,
          version: v.number,
          text: p.text,
          agreedAt: v.agreedAt,
          backing: backingOf(p.support),
          shared: mine ? { id: mine.id, withdrawnAt: mine.withdrawnAt } : null
        });
      }
    }
    return out;
  }

  /**
   * Shares one agreed key point of one of the forum's workshops with the parent forum: frozen as
   * agreed, with the shared points behind it when its sources are rolled-up cards.
   */
  async share(forum: ForumRecord, input: { workshopId?: unknown; boardId?: unknown; pointId?: unknown }): Promise<SharedPointRecord> {
    const { store, boards } = this.deps;
    if (!forum.parentId)
      throw new AppError(
        'not_allowed_now',
        'This forum has not joined a parent forum yet, so there is nobody to share with. Join one first.',
        409
      );
    const ids = ['workshopId', 'boardId', 'pointId'] as const;
    for (const k of ids) {
      if (typeof input[k] !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(input[k]))
        throw new AppError('invalid_input', `${k} must be the id of an agreed key point's ${k.replace('Id', '')}.`, 400, k);
    }
    const { workshopId, boardId, pointId } = input as Record<(typeof ids)[number], string>;
    if ((await store.forums.forumOf(workshopId)) !== forum.id)
      throw new AppError('forbidden', 'That workshop is not part of this forum.', 403, 'workshopId');
    const workshop = await store.workshops.get(workshopId);
    if (!workshop) throw notFound();
    const version = (await store.keyPoints.versions(workshopId))
      .filter((v) => v.boardId === boardId)
      .sort((a, b) => b.number - a.number)[0];
    const point = version?.points.find((p) => p.id === pointId);
    if (!version || !point)
      throw new AppError(
        'invalid_input',
        'That key point is not in the latest agreed version of its board. Only agreed key points can be shared.',
        400,
        'pointId'
      );
    // The shared points behind it: the rolled-up cards among its sources (named, or in a theme it names).
    const rolled = new Map((await store.forums.rollups(workshopId)).filter((r) => r.boardId === boardId).map((r) => [r.cardId, r]));
    const themes = new Set(point.sources.map((s) => themeOfSource(s.id)).filter((t): t is string => t !== null));
    const inThemes = themes.size
      ? await boards.read(boardId, (b) =>
          b
            .facts()
            .filter((c) => c.theme !== null && themes.has(c.theme))
            .map((c) => c.id)
        )
      : [];
    const origins: string[] = [];
    for (const cardId of [...point.sources.map((s) => s.id), ...inThemes]) {
      for (const s of rolled.get(cardId)?.sources ?? []) if (!origins.includes(s)) origins.push(s);
    }
    return store.forums.share({
      id: newRecordId(),
      forumId: forum.id,
      workshopId,
      workshopTitle: workshop.title,
      boardId,
      pointId,
      version: version.number,
      text: point.text,
      agreedAt: version.agreedAt,
      backing: backingOf(point.support),
      origins,
      sharedAt: Date.now(),
      withdrawnAt: null
    });
  }

  /** Withdraws a point this forum shared: the parent then shows it as withdrawn by this forum. */
  async withdraw(forum: ForumRecord, sharedId: string): Promise<SharedPointRecord> {
    const [point] = await this.deps.store.forums.sharedPoints([sharedId]);
    if (!point || point.forumId !== forum.id) throw new AppError('not_found', 'This forum has shared no such point.', 404);
    return (await this.deps.store.forums.withdraw(sharedId, Date.now()))!;
  }

  /** Where shared points came from, each as a tree down to the groups where it was first agreed. */
  async lineage(points: readonly SharedPointRecord[]): Promise<Map<string, LineageNode>> {
    const { store } = this.deps;
    const records = new Map(points.map((p) => [p.id, p]));
    const forums = new Map<string, ForumRecord | null>();
    // Levels go up, so a tree is at most three deep; each level is one read.
    let wanted = points.flatMap((p) => p.origins).filter((id) => !records.has(id));
    for (let depth = 0; wanted.length && depth < 5; depth++) {
      for (const p of await store.forums.sharedPoints(wanted)) records.set(p.id, p);
      wanted = [...records.values()].flatMap((p) => p.origins).filter((id) => !records.has(id));
    }
    for (const p of records.values()) if (!forums.has(p.forumId)) forums.set(p.forumId, await store.forums.get(p.forumId));
    const node = (p: SharedPointRecord, seen: Set<string>): LineageNode => {
      const f = forums.get(p.forumId);
      const forum: ForumRef = f ? ref(f) : { id: p.forumId, name: 'A forum', level: 'local' };
      const next = new Set(seen).add(p.id);
      return {
        id: p.id,
        forum,
        workshopTitle: p.workshopTitle,
        agreedAt: p.agreedAt,
        backing: p.backing,
        withdrawn: p.withdrawnAt === null ? null : { at: p.withdrawnAt, by: forum.name },
        from: p.origins.flatMap((o) => (records.has(o) && !next.has(o) ? [node(records.get(o)!, next)] : []))
      };
    };
    return new Map(points.map((p) => [p.id, node(p, new Set())]));
  }

  /** Shared points as seen from above, with provenance. */
  async sharedView(points: readonly SharedPointRecord[]): Promise<SharedView[]> {
    const trees = await this.lineage(points);
    return points.map((p) => {
      const lineage = trees.get(p.id)!;
      const groups = leaves(lineage);
      return {
        id: p.id,
        text: p.text,
        forum: lineage.forum,
        workshopTitle: p.workshopTitle,
        agreedAt: p.agreedAt,
        sharedAt: p.sharedAt,
        backing: p.backing,
        withdrawn: lineage.withdrawn,
        breadth: groups.length,
        total: totalBacking(groups.map((g) => g.backing)),
        lineage
      };
    });
  }

  /** What a forum's facilitators see: its workshops and their agreed points, its children, their shared points, the collective view. */
  async overview(forum: ForumRecord): Promise<ForumOverview> {
    const { store } = this.deps;
    const [parent, children, links, inForum] = await Promise.all([
      forum.parentId ? store.forums.get(forum.parentId) : null,
      store.forums.children(forum.id),
      store.forums.links(forum.id),
      store.forums.workshops(forum.id)
    ]);
    const mine = await store.forums.sharedBy([forum.id]);
    const workshops: ForumOverview['workshops'] = [];
    for (const w of inForum) {
      const record = await store.workshops.get(w.workshopId);
      if (!record) continue;
      workshops.push({
        id: record.id,
        title: record.title,
        createdAt: record.createdAt,
        points: await this.ownPoints(forum.id, record.id, mine)
      });
    }
    const fromChildren = await store.forums.sharedBy(children.map((c) => c.id));
    const shared = (await this.sharedView(fromChildren)).reverse();
    return {
      forum: { ...ref(forum), createdAt: forum.createdAt },
      parent: parent ? ref(parent) : null,
      workshops,
      children: children.map(ref),
      childLinks: links.filter((l) => l.kind === 'child' && l.revokedAt === null).map((l) => l.token),
      shared,
      view: await this.collectiveView(forum, workshops, fromChildren)
    };
  }

  /**
   * The key points agreed across a forum's workshops and shared by its child forums (not
   * withdrawn), ranked by breadth, then agreement across role groups, then volume.
   */
  private async collectiveView(
    forum: ForumRecord,
    workshops: ForumOverview['workshops'],
    fromChildren: SharedPointRecord[]
  ): Promise<CollectivePoint[]> {
    const { store } = this.deps;
    const own: SharedPointRecord[] = [];
    for (const w of workshops) {
      const rolled = new Map((await store.forums.rollups(w.id)).map((r) => [`${r.boardId}/${r.cardId}`, r]));
      const versions = await store.keyPoints.versions(w.id);
      for (const p of w.points) {
        const agreed = versions.find((v) => v.boardId === p.boardId && v.number === p.version)?.points.find((x) => x.id === p.pointId);
        const origins = [...new Set((agreed?.sources ?? []).flatMap((s) => rolled.get(`${p.boardId}/${s.id}`)?.sources ?? []))];
        // As if shared, to read its provenance the same way (never stored).
        own.push({
          id: `agreed:${w.id}:${p.boardId}:${p.pointId}`,
          forumId: forum.id,
          workshopId: w.id,
          workshopTitle: w.title,
          boardId: p.boardId,
          pointId: p.pointId,
          version: p.version,
          text: p.text,
          agreedAt: p.agreedAt,
          backing: p.backing,
          origins,
          sharedAt: p.agreedAt,
          withdrawnAt: null
        });
      }
    }
    const forums = new Map<string, ForumRecord>([[forum.id, forum]]);
    const live = fromChildren.filter((p) => p.withdrawnAt === null);
    const views = await this.sharedView([...own, ...live]);
    const items: CollectivePoint[] = views.map((v, i) => {
      const rec = i < own.length ? own[i] : live[i - own.length];
      const f = forums.get(rec.forumId);
      return {
        id: i < own.length ? v.id : `shared:${v.id}`,
        text: v.text,
        breadth: v.breadth,
        total: v.total,
        from: { forum: f ? ref(f) : v.forum, workshopTitle: v.workshopTitle, agreedAt: v.agreedAt },
        groups: leaves(v.lineage).map((g) => ({
          forum: g.forum,
          workshopTitle: g.workshopTitle,
          agreedAt: g.agreedAt,
          backing: g.backing
        })),
        lineage: v.lineage
      };
    });
    return rankPoints(items.map((p) => ({ ...p, backing: p.total }))).map(({ backing: _b, ...p }) => p);
  }

  // ---- Roll-up onto a workshop's board ------------------------------------------------------

  /** The forum of a workshop, and its child forums (whose shared points it may bring in). */
  async rollupScope(workshopId: string): Promise<{ forum: ForumRecord | null; children: ForumRecord[] }> {
    const { store } = this.deps;
    const forumId = await store.forums.forumOf(workshopId);
    const forum = forumId ? await store.forums.get(forumId) : null;
    return { forum, children: forum ? await store.forums.children(forum.id) : [] };
  }

  /** For the workshop's facilitators: the points its forum's child forums shared, by child, with provenance. */
  async rollupOptions(workshopId: string): Promise<{ forum: ForumRef | null; children: { forum: ForumRef; points: SharedView[] }[] }> {
    const { forum, children } = await this.rollupScope(workshopId);
    const points = await this.deps.store.forums.sharedBy(children.map((c) => c.id));
    const views = await this.sharedView(points);
    return {
      forum: forum ? ref(forum) : null,
      children: children.map((c) => ({ forum: ref(c), points: views.filter((v) => v.forum.id === c.id) }))
    };
  }

  /** The workshop's rolled-up cards with where each came from (for anyone in the workshop). */
  async rollupCards(workshopId: string): Promise<RollupCardView[]> {
    const records = await this.deps.store.forums.rollups(workshopId);
    const points = await this.deps.store.forums.sharedPoints(records.flatMap((r) => r.sources));
    const views = new Map((await this.sharedView(points)).map((v) => [v.id, v]));
    const words = new Map<string, Map<string, string>>();
    for (const boardId of new Set(records.map((r) => r.boardId))) {
      words.set(boardId, await this.deps.boards.read(boardId, (b) => new Map(b.facts().map((c) => [c.id, c.text]))));
    }
    return records.map((r) => {
      const sources = r.sources.flatMap((s) => (views.has(s) ? [views.get(s)!] : []));
      // Every group behind every source, once each: a merged card keeps all their support, exactly.
      const groups = [...new Map(sources.flatMap((s) => leaves(s.lineage)).map((g) => [g.id, g])).values()];
      return {
        boardId: r.boardId,
        cardId: r.cardId,
        text: words.get(r.boardId)?.get(r.cardId) ?? null,
        sources,
        breadth: groups.length,
        total: totalBacking(groups.map((g) => g.backing))
      };
    });
  }

  /**
   * Brings shared points onto a board as cards (rollup.bring), each referring to its provenance
   * record: only points a current child forum of the workshop's forum shared and has not
   * withdrawn, and not already on this board.
   */
  async bring(
    workshopId: string,
    boardId: string,
    pointIds: readonly string[],
    lane: Lane
  ): Promise<{ ok: true; cardIds: string[] } | { ok: false; message: string }> {
    const { store, boards } = this.deps;
    const { forum, children } = await this.rollupScope(workshopId);
    if (!forum) return { ok: false, message: 'This workshop is not part of a forum. Add it to a forum first.' };
    if (!children.length)
      return { ok: false, message: "No forum has joined this workshop's forum yet, so there are no points to bring in." };
    if (!pointIds.length || pointIds.length > FORUM_RULES.perRollup)
      return { ok: false, message: `Choose between 1 and ${FORUM_RULES.perRollup} points.` };
    if (!isLane(lane)) return { ok: false, message: 'Choose a list for the cards.' };
    const points = await store.forums.sharedPoints(pointIds);
    const byId = new Map(points.map((p) => [p.id, p]));
    const childIds = new Set(children.map((c) => c.id));
    const onBoard = new Set((await store.forums.rollups(workshopId)).filter((r) => r.boardId === boardId).flatMap((r) => r.sources));
    for (const id of pointIds) {
      const p = byId.get(id);
      if (!p || !childIds.has(p.forumId))
        return {
          ok: false,
          message: "One of these points was not shared with this workshop's forum by one of its child forums, so it cannot be brought in."
        };
      if (p.withdrawnAt !== null) {
        const by = (await store.forums.get(p.forumId))?.name ?? 'its forum';
        return { ok: false, message: `"${cutWords(p.text)}" was withdrawn by ${by}, so it cannot be brought into a new roll-up.` };
      }
      if (onBoard.has(id)) return { ok: false, message: `"${cutWords(p.text)}" is on this board already.` };
    }
    const now = Date.now();
    const unique = [...new Set(pointIds)];
    const cardIds = await boards.edit(boardId, (b) =>
      unique.map((id) => b.add({ lane, text: byId.get(id)!.text, provenance: true, createdAt: now }))
    );
    await store.forums.replaceRollups(
      [],
      cardIds.map((cardId, i) => ({ boardId, cardId, workshopId, sources: [unique[i]], createdAt: now }))
    );
    return { ok: true, cardIds };
  }

  /** Merges rolled-up cards into one that refers to all their sources (rollup.merge). */
  async merge(
    workshopId: string,
    boardId: string,
    cardIds: readonly string[]
  ): Promise<{ ok: true; cardId: string } | { ok: false; message: string }> {
    const { store, boards } = this.deps;
    const records = new Map((await store.forums.rollups(workshopId)).filter((r) => r.boardId === boardId).map((r) => [r.cardId, r]));
    const chosen: RollupCardRecord[] = [];
    for (const id of cardIds) {
      const r = records.get(id);
      if (!r) return { ok: false, message: 'Only cards brought in from other forums can be merged. One of these is not.' };
      chosen.push(r);
    }
    const { forum, children } = await this.rollupScope(workshopId);
    const childIds = new Set(children.map((c) => c.id));
    const sources = new Map((await store.forums.sharedPoints(chosen.flatMap((c) => c.sources))).map((p) => [p.id, p]));
    const merged = mergeCards(
      chosen.map((c) => ({ cardId: c.cardId, sources: c.sources })),
      'pending',
      (s) => forum !== null && sources.has(s) && childIds.has(sources.get(s)!.forumId)
    );
    if (!merged.ok) return merged;
    for (const s of merged.card.sources) {
      const p = sources.get(s)!;
      if (p.withdrawnAt !== null) {
        const by = (await store.forums.get(p.forumId))?.name ?? 'its forum';
        return {
          ok: false,
          message: `"${cutWords(p.text)}" was withdrawn by ${by}, so it cannot go into a new merge. Delete its card, or leave it as it is.`
        };
      }
    }
    const now = Date.now();
    const cardId = await boards.edit(boardId, (b) => {
      const first = b.card(chosen[0].cardId);
      const lane = first?.lane ?? 'problems';
      const text = first?.text.toString() || sources.get(merged.card.sources[0])!.text;
      const index = first ? b.lanes()[lane].findIndex((c) => c.id === first.id) : undefined;
      for (const c of chosen) b.delete(c.cardId);
      return b.add({ lane, text, index, provenance: true, createdAt: now });
    });
    await store.forums.replaceRollups(
      chosen.map((c) => ({ boardId, cardId: c.cardId })),
      [{ boardId, cardId, workshopId, sources: [...merged.card.sources], createdAt: now }]
    );
    return { ok: true, cardId };
  }

  /** Undoes a merge: one card per source again, each with its own words and backing (rollup.unmerge). */
  async unmerge(
    workshopId: string,
    boardId: string,
    cardId: string
  ): Promise<{ ok: true; cardIds: string[] } | { ok: false; message: string }> {
    const { store, boards } = this.deps;
    const record = (await store.forums.rollups(workshopId)).find((r) => r.boardId === boardId && r.cardId === cardId);
    if (!record) return { ok: false, message: 'That card was not brought in from other forums.' };
    if (record.sources.length < 2) return { ok: false, message: 'That card is not a merge of several points.' };
    const points = new Map((await store.forums.sharedPoints(record.sources)).map((p) => [p.id, p]));
    const parts = unmergeCard(record, () => 'pending');
    const now = Date.now();
    const cardIds = await boards.edit(boardId, (b) => {
      const card = b.card(cardId);
      const lane = card?.lane ?? 'problems';
      const at = card ? b.lanes()[lane].findIndex((c) => c.id === cardId) : undefined;
      b.delete(cardId);
      return parts.map((p, i) =>
        b.add({
          lane,
          text: points.get(p.sources[0])?.text ?? '',
          index: at === undefined ? undefined : at + i,
          provenance: true,
          createdAt: now
        })
      );
    });
    await store.forums.replaceRollups(
      [{ boardId, cardId }],
      parts.map((p, i) => ({ boardId, cardId: cardIds[i], workshopId, sources: [...p.sources], createdAt: now }))
    );
    return { ok: true, cardIds };
  }
}

/** The groups where a point was first agreed: the tree's leaves (itself, for a point with no origins). */
export function leaves(node: LineageNode): LineageNode[] {
  if (!node.from.length) return [node];
  return node.from.flatMap(leaves);
}

const cutWords = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}…` : text);
