// Read aloud with the browser's own speech (the Web Speech API's speechSynthesis): one utterance per
// part (a sentence, or a piece of a long one: src/lib/domain/read-aloud.ts), the next one when the
// last ends, so the page can show the part being said and Stop takes effect at once. Nothing is
// sent anywhere by us (some browsers use an online voice of their own). When the browser has no
// speech, or no voice for the page's language (headless Chromium has none; some Linux and older
// Android browsers neither), it says so plainly rather than staying silent. The root layout makes
// one and hands it down by context (readAloud()); the page's Read aloud buttons and its bar use it.
import { createContext } from 'svelte';
import { readAloudParts, spokenText, type ReadItem, type ReadPart } from '$lib/domain/read-aloud';

export type ReadAloudState =
  | { kind: 'idle' }
  /** Waiting for the browser's list of voices (it often comes a moment after the page loads). */
  | { kind: 'preparing'; source: string }
  | { kind: 'reading'; source: string; parts: ReadPart[]; index: number }
  /** Could not read: why, in plain words, until closed or something else is read. */
  | { kind: 'unavailable'; source: string; message: string };

/** How long to wait for the browser's voices before saying there are none. */
const VOICES_WAIT_MS = 2000;

/** "English" for "en-GB": the language's name, for the message when there is no voice for it. */
export function languageName(lang: string): string {
  const base = lang.split(/[-_]/)[0] || 'en';
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(base) ?? base;
  } catch {
    return base;
  }
}

/** The voice to read `lang` with: one for the very language ("en-GB"), else one for its family ("en"). */
export function voiceFor(voices: readonly SpeechSynthesisVoice[], lang: string): SpeechSynthesisVoice | null {
  const norm = (l: string) => l.replace('_', '-').toLowerCase();
  const wanted = norm(lang);
  const base = wanted.split('-')[0];
  const family = voices.filter((v) => norm(v.lang) === base || norm(v.lang).startsWith(`${base}-`));
  return (
    family.find((v) => norm(v.lang) === wanted && v.default) ??
    family.find((v) => norm(v.lang) === wanted) ??
    family.find((v) => v.default) ??
    family[0] ??
    null
  );
}

export class ReadAloud {
  state = $state<ReadAloudState>({ kind: 'idle' });
  /** Bumped on every start and stop: events of an earlier reading are ignored. */
  #run = 0;
  /** Held while speaking: Chromium can drop an utterance nobody references, and its `end` with it. */
  #utterance: SpeechSynthesisUtterance | null = null;

  /** The source (a button's name for what it reads) being read or prepared, if any. */
  get active(): string | null {
    return this.state.kind === 'reading' || this.state.kind === 'preparing' ? this.state.source : null;
  }

  /** Reads `items` aloud, part by part; reading something else stops first. */
  async read(source: string, items: readonly ReadItem[], lang = document.documentElement.lang || 'en'): Promise<void> {
    this.stop();
    const run = this.#run;
    const synth = typeof speechSynthesis === 'undefined' ? null : speechSynthesis;
    if (!synth || typeof SpeechSynthesisUtterance === 'undefined') {
      this.state = {
        kind: 'unavailable',
        source,
        message: 'This browser cannot read aloud. Your phone or computer may have a screen reader of its own that can read the page.'
      };
      return;
    }
    const parts = readAloudParts(items);
    if (!parts.length) {
      this.state = { kind: 'unavailable', source, message: 'There are no words to read here yet.' };
      return;
    }
    this.state = { kind: 'preparing', source };
    const voice = voiceFor(await voices(synth), lang);
    if (run !== this.#run) return; // stopped, or something else started, while waiting
    if (!voice) {
      this.state = {
        kind: 'unavailable',
        source,
        message: `Read aloud cannot work on this device: it has no voice for ${languageName(lang)}. Your phone or computer may have a screen reader of its own that can read the page.`
      };
      return;
    }
    this.state = { kind: 'reading', source, parts, index: 0 };
    this.#say(synth, voice, lang, run);
  }

  #say(synth: SpeechSynthesis, voice: SpeechSynthesisVoice, lang: string, run: number): void {
    const s = this.state;
    if (s.kind !== 'reading' || run !== this.#run) return;
    const utterance = new SpeechSynthesisUtterance(spokenText(s.parts[s.index]));
    utterance.voice = voice;
    utterance.lang = voice.lang || lang;
    utterance.onend = () => {
      const now = this.state;
      if (run !== this.#run || now.kind !== 'reading') return;
      if (now.index + 1 >= now.parts.length) {
        this.#utterance = null;
        this.state = { kind: 'idle' };
        return;
      }
      this.state = { ...now, index: now.index + 1 };
      this.#say(synth, voice, lang, run);
    };
    utterance.onerror = (e) => {
      // Stopping (cancel) ends the utterance with "interrupted" or "canceled": not a failure.
      if (run !== this.#run || e.error === 'interrupted' || e.error === 'canceled') return;
      this.#utterance = null;
      this.state = {
        kind: 'unavailable',
        source: s.source,
        message:
          e.error === 'not-allowed'
            ? 'The browser did not let this page speak. Press Read aloud again.'
            : 'Reading aloud stopped: this device could not say the words.'
      };
    };
    this.#utterance = utterance;
    synth.speak(utterance);
  }

  /** Stops reading (and clears a message saying it could not read). */
  stop(): void {
    this.#run++;
    // Whatever the engine still says about the last part (a late "end"), nothing listens.
    if (this.#utterance) this.#utterance.onend = this.#utterance.onerror = null;
    this.#utterance = null;
    if (this.state.kind === 'reading' || this.state.kind === 'preparing') {
      try {
        speechSynthesis.cancel();
      } catch {
        // nothing was speaking
      }
    }
    this.state = { kind: 'idle' };
  }
}

/** True once a wait for voices ended with none, until the browser says its list changed. */
let waitedInVain = false;

/**
 * The browser's voices, waiting a moment for them when the list is empty (it often fills in a
 * moment after the page loads). Once a wait found none, the next ask answers at once.
 */
function voices(synth: SpeechSynthesis): Promise<SpeechSynthesisVoice[]> {
  const now = synth.getVoices();
  if (now.length || waitedInVain) return Promise.resolve(now);
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      synth.removeEventListener('voiceschanged', done);
      const list = synth.getVoices();
      if (!list.length) {
        waitedInVain = true;
        synth.addEventListener('voiceschanged', () => (waitedInVain = false), { once: true });
      }
      resolve(list);
    };
    const timer = setTimeout(done, VOICES_WAIT_MS);
    synth.addEventListener('voiceschanged', done);
  });
}

export const [readAloud, setReadAloud] = createContext<ReadAloud>();
