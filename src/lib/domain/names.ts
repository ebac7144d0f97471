// Display names that cannot pose as someone else. Pure (no I/O): the server enforces it when
// someone joins, and any page may use it too.
//
// Three steps:
// - normaliseName: what is stored and shown. Unicode NFKC (fullwidth and styled letters become
//   plain ones), invisible and direction-changing characters removed, spaces folded. Letters of
//   every script and emoji are kept: people write their names in their own alphabets.
// - nameSkeleton: a key for comparing names, never shown. Names that look alike get the same key
//   (case, accents, Cyrillic and Greek look-alikes of Latin letters, 0/O, 1/l/I, rn/m, vv/w,
//   separators). In the spirit of the skeletons of Unicode's UTS #39, with a small map of our
//   own: see CONFUSABLES below.
// - checkDisplayName: the rules of checkName (empty, too long), then refuses role words
//   ("Facilitator", "Host", "Moderator"...) unless they are the person's own role, role labels in
//   brackets ("Sam (observer)": the page shows roles from the role itself), and names that match
//   someone already present, exactly or as a look-alike, with a kind suggestion of a free name
//   ("Sam B or Sam 2"): two people with one name would be two menus with one label.
import { ROLE_LABEL, type Role } from './roles';
import { checkName, LIMITS, type Checked } from './text';

// ---------------------------------------------------------------------------------------------
// normaliseName

/**
 * Become a space, then folded: every kind of space (U+00A0, U+3000...), controls (tabs, new
 * lines: as checkName does), and blank "letters" (Hangul fillers, the blank Braille pattern).
 */
const SPACE_LIKE = /^[\p{Z}\p{Cc}\u115F\u1160\u2800\u3164\uFFA0]$/u;
/**
 * Removed: format characters (Cf: bidi overrides and isolates U+202A-202E,
 * U+2066-2069, marks U+200E/200F/061C, zero-width U+200B-200D, U+2060-2064, U+FEFF, soft hyphen
 * U+00AD, tags U+E0000-E007F...), lone surrogates, and everything Unicode says to draw as nothing
 * (Default_Ignorable_Code_Point: variation selectors, U+180E, U+034F...). The exceptions that
 * real names and emoji need are in `keepInvisible`.
 */
const INVISIBLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}]$/u;
const PICTOGRAPH = /^\p{Extended_Pictographic}$/u;
const SKIN_TONE = /^\p{Emoji_Modifier}$/u;
const KEYCAP_BASE = /^[#*0-9]$/;
const ZWNJ = '\u200C';
const ZWJ = '\u200D';
const VS15 = '\uFE0E';
const VS16 = '\uFE0F';
const BLACK_FLAG = '\u{1F3F4}';
const CANCEL_TAG = 0xe007f;
/** Scripts whose spelling uses zero-width (non-)joiners between letters (Persian, Indic...). */
const JOINING_SCRIPTS = [
  'Arabic',
  'Syriac',
  'Nko',
  'Mongolian',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Oriya',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Myanmar',
  'Khmer'
].map((script) => new RegExp(`^(?=[\\p{L}\\p{M}])\\p{Script_Extensions=${script}}$`, 'u'));

function sameJoiningScript(before: string | undefined, after: string | undefined): boolean {
  if (before === undefined || after === undefined) return false;
  return JOINING_SCRIPTS.some((script) => script.test(before) && script.test(after));
}

/**
 * The few invisible characters kept, only where they do a visible job: a joiner inside an emoji
 * sequence (👨‍👩‍👧) or between letters of a script that needs it (علی‌رضا), and an emoji
 * presentation selector right after an emoji or keycap base (❤️, 1️⃣).
 */
function keepInvisible(c: string, before: string | undefined, after: string | undefined): boolean {
  if (c === ZWJ && before !== undefined && after !== undefined) {
    const emojiBefore = PICTOGRAPH.test(before) || SKIN_TONE.test(before) || before === VS16;
    if (emojiBefore && PICTOGRAPH.test(after)) return true;
  }
  if (c === ZWJ || c === ZWNJ) return sameJoiningScript(before, after);
  if (c === VS16 || c === VS15) return before !== undefined && (PICTOGRAPH.test(before) || KEYCAP_BASE.test(before));
  return false;
}

/** Length of a well-formed emoji tag sequence (🏴 + tag letters/digits + cancel tag) at `i`, or 0. */
function tagSequenceLength(chars: string[], i: number): number {
  if (chars[i] !== BLACK_FLAG) return 0;
  let j = i + 1;
  while (j < chars.length) {
    const cp = chars[j].codePointAt(0)!;
    const tagDigit = cp >= 0xe0030 && cp <= 0xe0039;
    const tagLetter = cp >= 0xe0061 && cp <= 0xe007a;
    if (!tagDigit && !tagLetter) break;
    j++;
  }
  const tags = j - i - 1;
  return tags >= 2 && tags <= 6 && chars[j]?.codePointAt(0) === CANCEL_TAG ? j - i + 1 : 0;
}

/**
 * The name as it will be stored and shown: NFKC, invisible and direction-changing characters
 * removed (a right-to-left override cannot turn "rotatilicaf" into "facilitator"), every run of
 * spaces folded to one, trimmed. Idempotent.
 */
export function normaliseName(raw: string): string {
  const chars = Array.from(raw.normalize('NFKC'));
  const kept: string[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const tagged = tagSequenceLength(chars, i);
    if (tagged) {
      kept.push(...chars.slice(i, i + tagged));
      i += tagged - 1;
    } else if (SPACE_LIKE.test(c)) {
      kept.push(' ');
    } else if (!INVISIBLE.test(c) || keepInvisible(c, kept[kept.length - 1], chars[i + 1])) {
      kept.push(c);
    }
  }
  // A combining mark left at the start (from "¨" alone, say) has no letter to sit on: dropped.
  return kept
    .join('')
    .normalize('NFKC')
    .replace(/ {2,}/g, ' ')
    .trim()
    .replace(/^[\p{M} ]+/u, '');
}

// ---------------------------------------------------------------------------------------------
// nameSkeleton

/**
 * Characters that pass for a Latin letter, mapped to the lower-case Latin letter they pass for.
 * A hand-picked subset of Unicode's confusables.txt (the data behind UTS #39 skeletons): single
 * characters that look like a Latin letter in common fonts, from the scripts and symbols that
 * lend themselves to it. Two additions, because case does not count here: small capitals (ᴀ,
 * ʀ, ĸ, Cherokee's small letters) count as their letter, and ß as ss.
 * Styled and fullwidth letters (𝐅, Ｆ, ℱ, Ⓕ) need no entry: NFKC has already made them plain.
 * Accented letters (é, ї) need none either: accents are removed before this map is used.
 */
const CONFUSABLES: Record<string, string> = {
  // Cyrillic, capitals (mapped before lower-casing: В would become в, which passes for nothing)
  А: 'a',
  В: 'b',
  Е: 'e',
  Ѕ: 's',
  І: 'i',
  Ј: 'j',
  К: 'k',
  М: 'm',
  Н: 'h',
  О: 'o',
  Р: 'p',
  С: 'c',
  Т: 't',
  У: 'y',
  Х: 'x',
  Ү: 'y',
  Ӏ: 'l',
  Ԛ: 'q',
  Ԝ: 'w',
  Ь: 'b',
  Ԍ: 'g',
  // Cyrillic, small
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ј: 'j',
  ԁ: 'd',
  һ: 'h',
  ԛ: 'q',
  ԝ: 'w',
  ѡ: 'w',
  ү: 'y',
  ӏ: 'l',
  ҽ: 'e',
  ѵ: 'v',
  г: 'r',
  ꙇ: 'i',
  // Greek, capitals (likewise: Β would become β)
  Α: 'a',
  Β: 'b',
  Ε: 'e',
  Ζ: 'z',
  Η: 'h',
  Ι: 'i',
  Κ: 'k',
  Μ: 'm',
  Ν: 'n',
  Ο: 'o',
  Ρ: 'p',
  Τ: 't',
  Υ: 'y',
  Χ: 'x',
  Ϳ: 'j',
  Ϝ: 'f',
  Ϻ: 'm',
  // Greek, small
  α: 'a',
  ι: 'i',
  ο: 'o',
  ρ: 'p',
  ν: 'v',
  υ: 'u',
  γ: 'y',
  σ: 'o',
  ϳ: 'j',
  ᴦ: 'r',
  // Armenian
  օ: 'o',
  Օ: 'o',
  ս: 'u',
  Ս: 'u',
  ց: 'g',
  հ: 'h',
  ո: 'n',
  ռ: 'n',
  ք: 'f',
  գ: 'q',
  զ: 'q',
  ա: 'w',
  Տ: 's',
  // Latin letters that pass for other Latin letters: IPA and phonetic letters, dotless i
  ɑ: 'a',
  Ƅ: 'b',
  Ꞵ: 'b',
  ꬲ: 'e',
  ꬵ: 'f',
  ꞙ: 'f',
  ɡ: 'g',
  ᶃ: 'g',
  ƍ: 'g',
  ı: 'i',
  ɩ: 'i',
  Ʝ: 'j',
  ǀ: 'l',
  ꬽ: 'o',
  ꭇ: 'r',
  ꭈ: 'r',
  Ʀ: 'r',
  ƽ: 's',
  ꞟ: 'u',
  ꭎ: 'u',
  ꭒ: 'u',
  ʋ: 'u',
  ɯ: 'w',
  ɣ: 'y',
  ᶌ: 'y',
  ꭚ: 'y',
  ỿ: 'y',
  ß: 'ss',
  // Latin small capitals
  ᴀ: 'a',
  ʙ: 'b',
  ᴄ: 'c',
  ᴅ: 'd',
  ᴇ: 'e',
  ꜰ: 'f',
  ɢ: 'g',
  ʜ: 'h',
  ɪ: 'i',
  ᴊ: 'j',
  ᴋ: 'k',
  ĸ: 'k',
  ʟ: 'l',
  ᴍ: 'm',
  ɴ: 'n',
  ᴏ: 'o',
  ᴑ: 'o',
  ᴘ: 'p',
  ʀ: 'r',
  ꜱ: 's',
  ᴛ: 't',
  ᴜ: 'u',
  ᴠ: 'v',
  ᴡ: 'w',
  ʏ: 'y',
  ᴢ: 'z',
  // Cherokee, capitals and small letters (small-capital shapes of the same)
  Ꭺ: 'a',
  Ᏼ: 'b',
  Ꮯ: 'c',
  Ꭰ: 'd',
  Ꮷ: 'd',
  Ꭼ: 'e',
  Ꮐ: 'g',
  Ᏻ: 'g',
  Ꮋ: 'h',
  Ꮒ: 'h',
  Ꭵ: 'i',
  Ꭻ: 'j',
  Ꮶ: 'k',
  Ꮮ: 'l',
  Ꮇ: 'm',
  Ꮲ: 'p',
  Ꭱ: 'r',
  Ꮢ: 'r',
  Ꮪ: 's',
  Ꮥ: 's',
  Ꭲ: 't',
  Ꮩ: 'v',
  Ꮃ: 'w',
  Ꮤ: 'w',
  Ꭓ: 'x',
  Ꭹ: 'y',
  Ꮍ: 'y',
  Ꮓ: 'z',
  ꭺ: 'a',
  ꮟ: 'b',
  ꮯ: 'c',
  ꭰ: 'd',
  ꭼ: 'e',
  ꮐ: 'g',
  ꮋ: 'h',
  ꭵ: 'i',
  ꭻ: 'j',
  ꮶ: 'k',
  ꮮ: 'l',
  ꮇ: 'm',
  ꮲ: 'p',
  ꭱ: 'r',
  ꮁ: 'r',
  ꮪ: 's',
  ꭲ: 't',
  ꮩ: 'v',
  ꮃ: 'w',
  ꭹ: 'y',
  ꮓ: 'z',
  // Lisu
  ꓮ: 'a',
  ꓐ: 'b',
  ꓚ: 'c',
  ꓒ: 'd',
  ꓓ: 'd',
  ꓰ: 'e',
  ꓝ: 'f',
  ꓖ: 'g',
  ꓧ: 'h',
  ꓲ: 'i',
  ꓙ: 'j',
  ꓗ: 'k',
  ꓡ: 'l',
  ꓟ: 'm',
  ꓠ: 'n',
  ꓳ: 'o',
  ꓑ: 'p',
  ꓣ: 'r',
  ꓢ: 's',
  ꓔ: 't',
  ꓴ: 'u',
  ꓦ: 'v',
  ꓪ: 'w',
  ꓫ: 'x',
  ꓬ: 'y',
  ꓜ: 'z',
  // Canadian Aboriginal syllabics
  ᗅ: 'a',
  ᑲ: 'b',
  ᖯ: 'b',
  ᗷ: 'b',
  ᑯ: 'd',
  ᗞ: 'd',
  ᗪ: 'd',
  ᖴ: 'f',
  ᕼ: 'h',
  ᒍ: 'j',
  ᒪ: 'l',
  ᗰ: 'm',
  ᑭ: 'p',
  ᖇ: 'r',
  ᑌ: 'u',
  ᐯ: 'v',
  '᙭': 'x',
  ᕁ: 'x',
  ᕽ: 'x',
  // Coptic
  Ⲥ: 'c',
  ⲥ: 'c',
  Ⲏ: 'h',
  Ⲓ: 'i',
  Ⲕ: 'k',
  Ⳑ: 'l',
  Ⲙ: 'm',
  Ⲛ: 'n',
  Ⲟ: 'o',
  ⲟ: 'o',
  Ⲣ: 'p',
  ⲣ: 'p',
  ⲅ: 'r',
  Ⲧ: 't',
  Ⲭ: 'x',
  Ⲩ: 'y',
  // Tifinagh, Runic, Georgian, Ethiopic
  ⴹ: 'e',
  ⵏ: 'l',
  ⵔ: 'o',
  ⵕ: 'q',
  ⴸ: 'v',
  ⵝ: 'x',
  ᛕ: 'k',
  ᛁ: 'l',
  ᛖ: 'm',
  ᚷ: 'x',
  ჿ: 'o',
  ყ: 'y',
  ዐ: 'o',
  ሀ: 'u',
  // Hebrew and Arabic letters and digits that pass for l and o
  ו: 'l',
  ן: 'l',
  ס: 'o',
  ا: 'l',
  '١': 'l',
  '۱': 'l',
  ه: 'o',
  ە: 'o',
  ہ: 'o',
  ھ: 'o',
  '٥': 'o',
  '۵': 'o',
  // Round zeros and letters of other scripts that pass for o
  '०': 'o',
  '০': 'o',
  '੦': 'o',
  '૦': 'o',
  '୦': 'o',
  '௦': 'o',
  '౦': 'o',
  '೦': 'o',
  '൦': 'o',
  '๐': 'o',
  '໐': 'o',
  '၀': 'o',
  〇: 'o',
  ଠ: 'o',
  ഠ: 'o',
  ဝ: 'o',
  // Symbols that pass for letters
  '|': 'l',
  '∣': 'l',
  '⏽': 'l',
  '⍺': 'a',
  '⍳': 'i',
  '℮': 'e',
  '⍴': 'p',
  '⊤': 't',
  '⟙': 't',
  '∪': 'u',
  '⋃': 'u',
  '∨': 'v',
  '⋁': 'v',
  '×': 'x',
  '⨯': 'x',
  '⤫': 'x',
  '⤬': 'x',
  '╳': 'x'
};
const CONFUSABLE_RE = new RegExp(
  `[${Object.keys(CONFUSABLES)
    .join('')
    .replace(/[\\\]^-]/g, '\\$&')}]`,
  'gu'
);
const mapConfusables = (s: string) => s.replace(CONFUSABLE_RE, (c) => CONFUSABLES[c]);

/**
 * Letters of other scripts (and symbols) that pass for Latin letters, as the small Latin letters
 * they pass for; everything else as it is. Join codes read a Cyrillic С typed from the screen as C.
 */
export const latinLookAlikes = mapConfusables;

/**
 * Scripts whose combining marks are accents on a letter (é, ї, Arabic and Hebrew vowel points),
 * removed for comparison. Elsewhere marks are letters in their own right (Devanagari कमल and
 * कोमल are two different names), so they stay.
 */
const ACCENTED_SCRIPTS =
  /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Armenian}\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Common}\p{Script=Inherited}]$/u;
const MARK = /^\p{M}$/u;

function stripAccents(decomposed: string): string {
  let base: string | undefined;
  let out = '';
  for (const c of decomposed) {
    if (MARK.test(c)) {
      if (base === undefined || ACCENTED_SCRIPTS.test(base)) continue;
    } else {
      base = c;
    }
    out += c;
  }
  return out;
}

/**
 * Spaces, dots, dashes, underscores, apostrophes, brackets and other punctuation, and the
 * invisible characters normaliseName kept for emoji and joining scripts.
 */
const SEPARATORS = /[\s\p{Z}\p{P}\p{Sk}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * A key for comparing names, never shown: two names that look alike have the same skeleton.
 * Case-folded; accents removed; letters of other scripts that pass for Latin ones mapped to
 * Latin; 0 as o, 1 and I as l; rn as m, vv as w; separators removed. Emoji and letters of other
 * scripts are kept as they are.
 */
export function nameSkeleton(name: string): string {
  let s = stripAccents(normaliseName(name).normalize('NFD'));
  s = mapConfusables(s);
  s = stripAccents(s.toLowerCase().normalize('NFD'));
  s = mapConfusables(s);
  s = s.replace(SEPARATORS, '');
  s = s.replace(/0/g, 'o').replace(/[1i]/g, 'l');
  return s.replace(/rn/g, 'm').replace(/vv/g, 'w');
}

/** The skeleton's letters and digits only: "Host 👑" still reads as the role word. */
const lettersOf = (skeleton: string) => skeleton.replace(/[^\p{L}\p{N}]/gu, '');

// ---------------------------------------------------------------------------------------------
// checkDisplayName

/** Who a role word is kept for: a role, or nobody (the app's own name). */
type Keeper = Role | 'nobody';

interface Reserved {
  keeper: Keeper;
  /** Names that equal one of these (as skeletons) are kept. */
  names: string[];
  /** Names that contain one of these are kept too: words no one has as a name. */
  within: string[];
}

const RESERVED: Reserved[] = [
  {
    keeper: 'facilitator',
    names: [
      ROLE_LABEL.facilitator,
      'Facilitators',
      'The facilitator',
      'Co-facilitator',
      'Host',
      'Hosts',
      'The host',
      'Co-host',
      'Organiser',
      'Organizer',
      'Admin',
      'Admins',
      'Administrator',
      'Moderator',
      'Chair',
      'Chairperson'
    ],
    within: ['Facilitator', 'Moderator', 'Organiser', 'Organizer', 'Administrator']
  },
  { keeper: 'decisionMaker', names: [ROLE_LABEL.decisionMaker, 'Decision makers', 'The decision maker'], within: ['Decision maker'] },
  { keeper: 'member', names: [ROLE_LABEL.member, 'Members'], within: [] },
  { keeper: 'observer', names: [ROLE_LABEL.observer, 'Observers'], within: [] },
  { keeper: 'nobody', names: ['Roundtable', 'The roundtable'], within: ['Roundtable'] }
];

const RESERVED_KEYS = RESERVED.map((r) => ({
  ...r,
  nameKeys: new Set(r.names.map((n) => lettersOf(nameSkeleton(n)))),
  withinKeys: r.within.map((w) => ({ word: w, key: lettersOf(nameSkeleton(w)) }))
}));

const KEPT_FOR: Record<Keeper, string> = {
  facilitator: 'the facilitator',
  decisionMaker: 'decision makers',
  member: 'members',
  observer: 'observers',
  nobody: 'Roundtable itself'
};

export const NAME_MESSAGES = {
  taken: (theirs: string, suggestions: string[]) =>
    suggestions.length >= 2
      ? `Someone here is already called ${theirs}. You could be ${suggestions[0]} or ${suggestions[1]}`
      : `Someone here is already called ${theirs}. Add an initial or a number to your name`,
  roleInName: 'Your role is shown next to your name. Leave it out of your name',
  keptFor: (keeper: Keeper) => `That name is kept for ${KEPT_FOR[keeper]}. Choose another name`,
  keptWord: (keeper: Keeper, word: string) =>
    keeper === 'nobody'
      ? `Names cannot include ‘${word}’. Choose another name`
      : `Names that include ‘${word}’ are kept for ${KEPT_FOR[keeper]}. Choose another name`
};

export interface NameContext {
  /** The role the person joins with: their own role's words are theirs to use. */
  role: Role;
  /** Names of the people already in the workshop (not removed). */
  others: string[];
}

/** Role words, and "you", as a bracketed part of a name: "Sam (observer)", "Sam [you]". */
const BRACKETED = /[([{]([^)\]}]*)[)\]}]/gu;
const YOU_KEY = lettersOf(nameSkeleton('you'));

/** Whether a bracketed part of the name is a role label (or "you") that is not the person's own. */
function roleLabelInBrackets(name: string, role: Role): boolean {
  for (const match of name.matchAll(BRACKETED)) {
    const key = lettersOf(nameSkeleton(match[1]));
    if (!key) continue;
    if (key === YOU_KEY) return true;
    if (RESERVED_KEYS.some((r) => r.keeper !== role && r.keeper !== 'nobody' && r.nameKeys.has(key))) return true;
  }
  return false;
}

/** Why `name` (normalised, of a valid length) may not be used, or null. `others`: skeleton -> name. */
function refusal(name: string, role: Role, others: Map<string, string>): { message: string } | { taken: string } | null {
  const skeleton = nameSkeleton(name);
  const letters = lettersOf(skeleton);
  if (letters) {
    for (const r of RESERVED_KEYS) {
      if (r.keeper === role) continue;
      if (r.nameKeys.has(letters)) return { message: NAME_MESSAGES.keptFor(r.keeper) };
      const word = r.withinKeys.find((w) => letters.includes(w.key));
      if (word) return { message: NAME_MESSAGES.keptWord(r.keeper, word.word) };
    }
  }
  if (roleLabelInBrackets(name, role)) return { message: NAME_MESSAGES.roleInName };
  const theirs = skeleton ? others.get(skeleton) : undefined;
  return theirs === undefined ? null : { taken: theirs };
}

/** "Sam" next to a Sam: "Sam B" (then C, D...) and "Sam 2" (then 3...), free and within the length limit. */
function suggestionsFor(name: string, role: Role, others: Map<string, string>): string[] {
  const fit = (suffix: string) => `${name.slice(0, LIMITS.name - suffix.length).trimEnd()}${suffix}`;
  const free = (candidates: string[]) =>
    candidates.find((c) => normaliseName(c) === c && checkName(c).ok && refusal(c, role, others) === null) ?? null;
  const letters = [...'BCDEFGHJKMNPRSTWYZ'].map((letter) => fit(` ${letter}`));
  const numbers = Array.from({ length: 98 }, (_, i) => fit(` ${i + 2}`));
  return [free(letters), free(numbers)].filter((c): c is string => c !== null);
}

/**
 * checkName's rules on the normalised name, then: no role word that is not the person's own
 * ("Facilitator" is fine for a facilitator only), no role label in brackets that is not theirs,
 * and nothing that matches someone present, exactly or as a look-alike ("Sam" or "Sаm" with a
 * Cyrillic а next to Sam): refused with a suggestion of names that are free.
 */
export function checkDisplayName(raw: unknown, context: NameContext): Checked {
  const name = checkName(typeof raw === 'string' ? normaliseName(raw) : raw);
  if (!name.ok) return name;
  const others = new Map<string, string>();
  for (const other of context.others) {
    const theirs = normaliseName(other);
    const key = nameSkeleton(theirs);
    if (key && !others.has(key)) others.set(key, theirs);
  }
  const refused = refusal(name.value, context.role, others);
  if (refused === null) return name;
  if ('message' in refused) return { ok: false, message: refused.message };
  return { ok: false, message: NAME_MESSAGES.taken(refused.taken, suggestionsFor(name.value, context.role, others)) };
}
