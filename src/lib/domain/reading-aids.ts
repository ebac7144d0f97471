// Reading aids: what a person chooses on a device to read the pages more easily (a larger text
// size, high contrast, less movement, more space between letters, words and lines). Pure: what is
// stored, how a stored value is read back (anything unknown counts as the standard choice), and
// the attributes on <html> that static/app.css styles. static/reading-aids.js sets the same
// attributes before the first paint; tests/unit/reading-aids.test.ts holds the two to one answer.

/** The text sizes, smallest first: the standard size and three steps up. */
export const TEXT_SIZES = ['standard', 'large', 'larger', 'largest'] as const;
export type TextSize = (typeof TEXT_SIZES)[number];

/**
 * How each size is called on the page, and how much larger than the standard it makes every word
 * (the root font size; the stylesheet's sizes are all in rem). The largest is twice the standard,
 * the size WCAG 1.4.4 asks pages to allow without losing anything.
 */
export const TEXT_SIZE: Record<TextSize, { label: string; scale: number }> = {
  standard: { label: 'Standard', scale: 1 },
  large: { label: 'Large', scale: 1.25 },
  larger: { label: 'Larger', scale: 1.5 },
  largest: { label: 'Largest', scale: 2 }
};

export interface ReadingAids {
  text: TextSize;
  /** Black on white, no grey text, darker lines. */
  contrast: boolean;
  /**
   * Nothing slides or scrolls by itself. When false the page still moves less if the device asks
   * for it (prefers-reduced-motion): the stylesheet and `prefersLessMotion` honour both.
   */
  lessMotion: boolean;
  /** The spacing of WCAG 1.4.12: letters 0.12, words 0.16, lines 1.5 and paragraphs 2 times the text size. */
  spacing: boolean;
}

export const STANDARD_AIDS: ReadingAids = Object.freeze({ text: 'standard', contrast: false, lessMotion: false, spacing: false });

const isTextSize = (v: unknown): v is TextSize => typeof v === 'string' && (TEXT_SIZES as readonly string[]).includes(v);

/**
 * A stored value read back. Each choice stands on its own: a size this version does not know, or a
 * value that is not true, counts as the standard, and anything that is not JSON is the standard page.
 */
export function parseReadingAids(raw: string | null | undefined): ReadingAids {
  if (!raw) return STANDARD_AIDS;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return STANDARD_AIDS;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return STANDARD_AIDS;
  const v = value as Record<string, unknown>;
  return {
    text: isTextSize(v.text) ? v.text : 'standard',
    contrast: v.contrast === true,
    lessMotion: v.lessMotion === true,
    spacing: v.spacing === true
  };
}

/** True when nothing differs from the standard page. */
export function isStandard(aids: ReadingAids): boolean {
  return aids.text === 'standard' && !aids.contrast && !aids.lessMotion && !aids.spacing;
}

/** What to store; null when every choice is the standard one (then nothing is kept on the device). */
export function serialiseReadingAids(aids: ReadingAids): string | null {
  if (isStandard(aids)) return null;
  return JSON.stringify({ text: aids.text, contrast: aids.contrast, lessMotion: aids.lessMotion, spacing: aids.spacing });
}

/** Every attribute a reading aid may set on <html>: those not in `readingAidAttributes` are removed. */
export const READING_AID_ATTRIBUTES = ['data-text-size', 'data-contrast', 'data-motion', 'data-spacing'] as const;
export type ReadingAidAttribute = (typeof READING_AID_ATTRIBUTES)[number];

/** The attributes on <html> for these choices; a standard choice sets none. */
export function readingAidAttributes(aids: ReadingAids): Partial<Record<ReadingAidAttribute, string>> {
  const out: Partial<Record<ReadingAidAttribute, string>> = {};
  if (aids.text !== 'standard') out['data-text-size'] = aids.text;
  if (aids.contrast) out['data-contrast'] = 'high';
  if (aids.lessMotion) out['data-motion'] = 'less';
  if (aids.spacing) out['data-spacing'] = 'wide';
  return out;
}

/**
 * How much wider the words are than on the standard page, for the widths at which a layout puts
 * things side by side (the board's lists, the facilitator's column). Wide spacing makes a line
 * about a quarter longer (0.12em between letters of about 0.5em, 0.16em between words).
 */
export function layoutScale(aids: ReadingAids): number {
  return TEXT_SIZE[aids.text].scale * (aids.spacing ? 1.25 : 1);
}

/** The choices in a few plain words, for the panel: "Text size Larger, high contrast". */
export function describeReadingAids(aids: ReadingAids): string {
  if (isStandard(aids)) return 'Standard: no reading aids on';
  const parts = [`text size ${TEXT_SIZE[aids.text].label}`];
  if (aids.contrast) parts.push('high contrast');
  if (aids.lessMotion) parts.push('less movement');
  if (aids.spacing) parts.push('more space');
  const text = parts.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
