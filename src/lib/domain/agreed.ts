// Agreed key points, pure: what the server freezes when the facilitator marks a board's key
// points agreed (keypoints.agree), and what has changed on the board since. A version keeps each
// point's words, its sources as ids plus their words at that moment, and its support; versions
// are numbered 1, 2... per board and never change (except that a source's words go when the
// person who wrote it asks for their cards to be removed).
import type { Lane } from '../board/schema';
import { themeOfSource, type Support } from './support';

export const KEY_POINT_RULES = {
  /** Most key points on one board. */
  maxPoints: 30,
  /** Most sources one point links to. */
  maxSources: 100,
  /** A source's words kept with an agreed version, cut to this. */
  sourceChars: 200
} as const;

/** A source as an agreed version keeps it. */
export interface AgreedSource {
  /** The card's id, or `theme:<themeId>`. */
  id: string;
  kind: 'card' | 'theme';
  /** The card's words or the theme's name at that moment; null when it was not on the board then (or its writer has since removed it). */
  text: string | null;
  /** A card's list. */
  lane: Lane | null;
  /** A theme's cards at that moment. */
  cards?: number;
}

export interface AgreedPoint {
  id: string;
  text: string;
  sources: AgreedSource[];
  support: Support;
}

export interface AgreedVersion {
  boardId: string;
  /** 1 for the board's first agreed version, then 2... */
  number: number;
  agreedAt: number;
  points: AgreedPoint[];
  /** The consent round closed last on this board before it was agreed, if any. */
  consentId: string | null;
}

/** A key point on the board now: its words and sources. */
export interface PointNow {
  id: string;
  text: string;
  sources: readonly string[];
}

export interface PointChange {
  id: string;
  before: AgreedPoint;
  after: PointNow;
  /** Its words changed. */
  words: boolean;
  /** Its sources changed. */
  sources: boolean;
}

export interface Changes {
  added: PointNow[];
  changed: PointChange[];
  removed: AgreedPoint[];
  /** The points kept are in another order. */
  reordered: boolean;
  /** Anything at all. */
  any: boolean;
}

const sameSet = (a: readonly string[], b: readonly string[]) => {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
};

const clean = (text: string) => text.replace(/\s+/g, ' ').trim();

/** What changed on the board since an agreed version (words compared without spacing differences). */
export function changesSince(version: Pick<AgreedVersion, 'points'>, now: readonly PointNow[]): Changes {
  const before = new Map(version.points.map((p) => [p.id, p]));
  const current = new Map(now.map((p) => [p.id, p]));
  const added = now.filter((p) => !before.has(p.id));
  const removed = version.points.filter((p) => !current.has(p.id));
  const changed: PointChange[] = [];
  for (const p of now) {
    const b = before.get(p.id);
    if (!b) continue;
    const words = clean(b.text) !== clean(p.text);
    const sources = !sameSet(
      b.sources.map((s) => s.id),
      p.sources
    );
    if (words || sources) changed.push({ id: p.id, before: b, after: p, words, sources });
  }
  const keptBefore = version.points.filter((p) => current.has(p.id)).map((p) => p.id);
  const keptNow = now.filter((p) => before.has(p.id)).map((p) => p.id);
  const reordered = keptBefore.join('\n') !== keptNow.join('\n');
  return { added, changed, removed, reordered, any: added.length > 0 || removed.length > 0 || changed.length > 0 || reordered };
}

/** Whether a version's source is a card a facilitator has hidden since (`hidden`: the board's hidden card ids). */
export function isHiddenSource(source: Pick<AgreedSource, 'id' | 'kind'>, hidden: ReadonlySet<string>): boolean {
  return source.kind === 'card' && hidden.has(source.id);
}

/**
 * A version as anyone may see it: the words of a card a facilitator has hidden since are left
 * out (text null), as they are gone from the board; the rest as it was agreed. The same rule for
 * the agreedKeyPoints event and the briefing. The stored version is not changed: restoring the
 * card shows its words again.
 */
export function withoutHiddenWords<V extends Pick<AgreedVersion, 'points'>>(version: V, hidden: ReadonlySet<string>): V {
  return {
    ...version,
    points: version.points.map((p) => ({
      ...p,
      sources: p.sources.map((s) => (isHiddenSource(s, hidden) ? { ...s, text: null } : s))
    }))
  };
}

/** Whether the board's key points are exactly an agreed version's (words, sources and order). */
export function sameAsAgreed(version: Pick<AgreedVersion, 'points'>, now: readonly PointNow[]): boolean {
  return !changesSince(version, now).any;
}

/** "Agreed (version 2, 1 Dec 14:05)". `timeZone` for a server writing it down for someone. */
export function agreedWords(v: Pick<AgreedVersion, 'number' | 'agreedAt'>, timeZone?: string): string {
  return `Agreed (version ${v.number}, ${shortDate(v.agreedAt, timeZone)})`;
}

/** "1 Dec 14:05". */
// One pair of formatters per time zone: making one costs far more than using it.
const shortFormats = new Map<string, { day: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();

export function shortDate(at: number, timeZone?: string): string {
  let f = shortFormats.get(timeZone ?? '');
  if (!f) {
    f = {
      day: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone }),
      time: new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone })
    };
    shortFormats.set(timeZone ?? '', f);
  }
  const d = new Date(at);
  return `${f.day.format(d)} ${f.time.format(d)}`;
}

/** A source's kind from its id. */
export function sourceKind(id: string): 'card' | 'theme' {
  return themeOfSource(id) === null ? 'card' : 'theme';
}
