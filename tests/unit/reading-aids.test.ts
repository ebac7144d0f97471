// Reading aids: what is stored and read back, the attributes on <html>, and the script that sets
// them before the first paint (static/reading-aids.js), run here against the same rules for every
// choice and for values it must ignore.
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { READING_AIDS_KEY } from '../../src/lib/protocol/device';
import {
  STANDARD_AIDS,
  TEXT_SIZE,
  TEXT_SIZES,
  describeReadingAids,
  isStandard,
  layoutScale,
  parseReadingAids,
  readingAidAttributes,
  serialiseReadingAids,
  type ReadingAids
} from '../../src/lib/domain/reading-aids';

const EARLY_SCRIPT = readFileSync(new URL('../../static/reading-aids.js', import.meta.url), 'utf8');

/** Every combination of choices. */
const EVERY_CHOICE: ReadingAids[] = TEXT_SIZES.flatMap((text) =>
  [false, true].flatMap((contrast) =>
    [false, true].flatMap((lessMotion) => [false, true].map((spacing) => ({ text, contrast, lessMotion, spacing })))
  )
);

/** Runs static/reading-aids.js as a browser would, with `stored` under its key; returns the attributes it set. */
function runEarlyScript(stored: string | null, options: { storageThrows?: boolean; path?: string } = {}): Record<string, string> {
  const set: Record<string, string> = {};
  const localStorage = {
    getItem(key: string) {
      if (options.storageThrows) throw new Error('SecurityError: storage is blocked');
      return key === READING_AIDS_KEY ? stored : null;
    }
  };
  const documentElement = {
    setAttribute: (name: string, value: string) => {
      set[name] = value;
    }
  };
  runInNewContext(EARLY_SCRIPT, { window: { localStorage, location: { pathname: options.path ?? '/' } }, document: { documentElement } });
  return set;
}

describe('reading aids are stored and read back', () => {
  it('every choice survives being stored and read back', () => {
    for (const aids of EVERY_CHOICE) {
      const stored = serialiseReadingAids(aids);
      expect(parseReadingAids(stored)).toEqual(isStandard(aids) ? STANDARD_AIDS : aids);
    }
  });

  it('the standard page stores nothing, so a device that never chose keeps nothing', () => {
    expect(serialiseReadingAids(STANDARD_AIDS)).toBeNull();
    expect(serialiseReadingAids({ ...STANDARD_AIDS, spacing: true })).not.toBeNull();
  });

  it('a value that is not ours reads as the standard page, each choice on its own', () => {
    for (const raw of [null, '', 'not json', '[]', '"larger"', '42', 'null', '{"text":"huge"}', '{"text":"__proto__"}']) {
      expect(parseReadingAids(raw), String(raw)).toEqual(STANDARD_AIDS);
    }
    // A size from a later version is the standard size; the other choices still count.
    expect(parseReadingAids('{"text":"enormous","contrast":true}')).toEqual({ ...STANDARD_AIDS, contrast: true });
    // Only `true` turns a choice on.
    expect(parseReadingAids('{"text":"largest","contrast":"yes","lessMotion":1,"spacing":true}')).toEqual({
      ...STANDARD_AIDS,
      text: 'largest',
      spacing: true
    });
  });
});

describe('the attributes on <html>', () => {
  it('the standard page has none, and each choice sets its own', () => {
    expect(readingAidAttributes(STANDARD_AIDS)).toEqual({});
    expect(readingAidAttributes({ text: 'largest', contrast: true, lessMotion: true, spacing: true })).toEqual({
      'data-text-size': 'largest',
      'data-contrast': 'high',
      'data-motion': 'less',
      'data-spacing': 'wide'
    });
    expect(readingAidAttributes({ ...STANDARD_AIDS, text: 'large' })).toEqual({ 'data-text-size': 'large' });
  });

  it('the script before the first paint sets exactly what the page would, for every choice', () => {
    for (const aids of EVERY_CHOICE) {
      const stored = serialiseReadingAids(aids);
      expect(runEarlyScript(stored), stored ?? 'nothing stored').toEqual(readingAidAttributes(aids));
    }
  });

  it('the script before the first paint ignores what the page ignores, and never throws', () => {
    for (const raw of ['not json', '[]', '"larger"', 'null', '{"text":"huge","contrast":"yes"}', '{"text":"larger","spacing":1}']) {
      expect(runEarlyScript(raw), raw).toEqual(readingAidAttributes(parseReadingAids(raw)));
    }
    expect(runEarlyScript('{"text":"largest"}', { storageThrows: true })).toEqual({});
  });

  it("the script leaves the present view (a room's screen) standard, and every other page not", () => {
    const aids = '{"text":"largest","spacing":true}';
    expect(runEarlyScript(aids, { path: '/w/abc123/present' })).toEqual({});
    expect(runEarlyScript(aids, { path: '/w/abc123/present/' })).toEqual({});
    for (const path of ['/w/abc123', '/w/abc123/invite', '/w/abc123/prepare', '/join', '/present'])
      expect(runEarlyScript(aids, { path }), path).toEqual({ 'data-text-size': 'largest', 'data-spacing': 'wide' });
  });

  it('the script reads the key the pages write (READING_AIDS_KEY)', () => {
    expect(EARLY_SCRIPT).toContain(`'${READING_AIDS_KEY}'`);
    expect(runEarlyScript('{"text":"larger"}')).toEqual({ 'data-text-size': 'larger' });
  });
});

describe('sizes and words', () => {
  it('three steps up from the standard size, the largest twice it', () => {
    expect(TEXT_SIZES.map((s) => TEXT_SIZE[s].scale)).toEqual([1, 1.25, 1.5, 2]);
  });

  it('layouts make room for larger text and wider spacing', () => {
    expect(layoutScale(STANDARD_AIDS)).toBe(1);
    expect(layoutScale({ ...STANDARD_AIDS, text: 'largest' })).toBe(2);
    expect(layoutScale({ ...STANDARD_AIDS, text: 'larger', spacing: true })).toBeCloseTo(1.875);
  });

  it('the panel says the choices in plain words', () => {
    expect(describeReadingAids(STANDARD_AIDS)).toBe('Standard: no reading aids on');
    expect(describeReadingAids({ text: 'larger', contrast: true, lessMotion: false, spacing: true })).toBe(
      'Text size Larger, high contrast, more space'
    );
  });
});
