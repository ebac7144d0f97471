// The workshop's glossary: words and short forms with a plain explanation each, and finding them
// in what people read (the question, its background, cards, key points). Pure and dependency
// free, so the board's first chunk stays small: one compiled matcher per glossary, its answers
// kept per text, so a 500-card board re-reads only the cards that changed.
//
// Matching rules (docs/API.md, "The glossary"): whole words only (no letter, digit or mark on
// either side, so "ward" is not found in "award"); any case; a plural or possessive ending is
// part of the use ("CSTRs", "CSTR's"); spaces in a term match any run of spaces or a line break;
// a straight or curly apostrophe matches either. Where two terms overlap, the one that starts
// first wins, then the longer ("care plan" before "care"). Only the first use of each term in a
// text becomes a button: one stop per term for a keyboard or screen reader, as a short form is
// explained the first time it is used.
import { cleanText, LIMITS, type Checked } from './text';

export interface GlossaryEntry {
  id: string;
  term: string;
  explanation: string;
}

export const GLOSSARY_RULES = {
  /** Entries a workshop's glossary may hold. */
  maxTerms: 100,
  termChars: LIMITS.glossaryTerm,
  explanationChars: LIMITS.glossaryExplanation
} as const;

/** What makes two terms the same entry: case, spacing, width and apostrophes set aside. */
export function termKey(term: string): string {
  return term.normalize('NFKC').toLowerCase().replace(/’/g, "'").replace(/\s+/g, ' ').trim();
}

export function checkTerm(raw: unknown): Checked {
  if (typeof raw !== 'string' || cleanText(raw) === '') return { ok: false, message: 'Enter the word or short form to explain' };
  const value = cleanText(raw);
  if (value.length > GLOSSARY_RULES.termChars)
    return { ok: false, message: `The word must be ${GLOSSARY_RULES.termChars} characters or fewer` };
  if (!/[\p{L}\p{N}]/u.test(value)) return { ok: false, message: 'The word must have at least one letter or number in it' };
  return { ok: true, value };
}

export function checkExplanation(raw: unknown): Checked {
  if (typeof raw !== 'string' || cleanText(raw) === '') return { ok: false, message: 'Explain the word in plain words' };
  const value = cleanText(raw);
  if (value.length > GLOSSARY_RULES.explanationChars) {
    return { ok: false, message: `The explanation must be ${GLOSSARY_RULES.explanationChars} characters or fewer` };
  }
  return { ok: true, value };
}

/** The glossary as people read it: in alphabetical order of its terms. */
export function sortGlossary<T extends { term: string }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => a.term.localeCompare(b.term, 'en-GB', { sensitivity: 'base' }) || (a.term < b.term ? -1 : 1));
}

/** One use of a glossary term in a text: offsets as String.slice takes them. */
export interface TermUse {
  start: number;
  end: number;
  entry: GlossaryEntry;
}

/** A text cut at its terms' first uses: plain words, and the uses that open an explanation. */
export type TextPiece = { text: string; entry?: undefined } | { text: string; entry: GlossaryEntry };

// A term's edges are word edges: no letter, mark, digit or underscore just outside it.
const BEFORE = '(?<![\\p{L}\\p{M}\\p{N}_])';
const AFTER = '(?![\\p{L}\\p{M}\\p{N}_])';
// The endings a use may carry: a plural, or a possessive.
const ENDING = "(?:es|s|['’]s)?";

/** A term as a regular expression source: special characters escaped, spaces and apostrophes loose. */
function termSource(term: string): string {
  let out = '';
  for (const part of term.split(/(\s+|['’]|[-\u2010\u2011])/)) {
    if (!part) continue;
    if (/^\s+$/.test(part)) out += '\\s+';
    else if (part === "'" || part === '’') out += "['’]";
    else if (/^[-\u2010\u2011]$/.test(part)) out += '[-\\u2010\\u2011]';
    else out += part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return out;
}

const CACHE_SIZE = 4000;

export class Glossary {
  readonly entries: readonly GlossaryEntry[];
  private readonly pattern: RegExp;
  private readonly byKey = new Map<string, GlossaryEntry>();
  private readonly each: { entry: GlossaryEntry; exact: RegExp }[];
  private readonly found = new Map<string, TermUse[]>();

  constructor(entries: readonly GlossaryEntry[]) {
    this.entries = sortGlossary(entries);
    // Longer terms first, so at one place the longer wins ("care plan" before "care").
    const longestFirst = [...this.entries].sort((a, b) => b.term.length - a.term.length);
    for (const e of longestFirst) if (!this.byKey.has(termKey(e.term))) this.byKey.set(termKey(e.term), e);
    this.each = longestFirst.map((entry) => ({ entry, exact: new RegExp(`^(?:${termSource(entry.term)})$`, 'iu') }));
    this.pattern = new RegExp(`${BEFORE}(${longestFirst.map((e) => termSource(e.term)).join('|')})${ENDING}${AFTER}`, 'giu');
  }

  /** The entry a matched term stands for (case folding can differ from toLowerCase: then test each). */
  private entryFor(written: string): GlossaryEntry | undefined {
    return this.byKey.get(termKey(written)) ?? this.each.find((e) => e.exact.test(written))?.entry;
  }

  /** Every use of every term in the text, in order, never overlapping. */
  uses(text: string): TermUse[] {
    const kept = this.found.get(text);
    if (kept) return kept;
    const out: TermUse[] = [];
    if (text) {
      this.pattern.lastIndex = 0;
      for (const m of text.matchAll(this.pattern)) {
        const entry = this.entryFor(m[1]);
        if (entry) out.push({ start: m.index, end: m.index + m[0].length, entry });
      }
    }
    // Bounded: a long session edits many texts, and each edit is a new text.
    if (this.found.size >= CACHE_SIZE) this.found.clear();
    this.found.set(text, out);
    return out;
  }

  /** The first use of each term in the text, in order. */
  firstUses(text: string): TermUse[] {
    const seen = new Set<string>();
    return this.uses(text).filter((u) => !seen.has(u.entry.id) && seen.add(u.entry.id));
  }

  /** The entries a text uses, each once, in the order they first appear. */
  termsIn(text: string): GlossaryEntry[] {
    return this.firstUses(text).map((u) => u.entry);
  }

  /** The text in pieces, each term's first use a piece of its own (for buttons in the text). */
  pieces(text: string): TextPiece[] {
    const out: TextPiece[] = [];
    let at = 0;
    for (const use of this.firstUses(text)) {
      if (use.start > at) out.push({ text: text.slice(at, use.start) });
      out.push({ text: text.slice(use.start, use.end), entry: use.entry });
      at = use.end;
    }
    if (at < text.length || out.length === 0) out.push({ text: text.slice(at) });
    return out;
  }
}

/** One matcher for a glossary, or null when it has no entries (nothing to find). */
export function compileGlossary(entries: readonly GlossaryEntry[]): Glossary | null {
  return entries.length ? new Glossary(entries) : null;
}
