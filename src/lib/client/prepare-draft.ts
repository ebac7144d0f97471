// Browser only: what is typed on the preparation page, kept on this device until the server has
// it, so a failed save, a dropped signal or a reload loses nothing. Cleared with everything else
// the device keeps of the workshop (device.ts), and once it matches what the server saved.
import { prepareKey } from '$lib/protocol/device';

export interface PrepareDraft {
  question: string;
  context: string;
  /** The glossary entry being written: its id when an existing one is being changed. */
  termId: string;
  term: string;
  explanation: string;
}

function storage(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null;
  }
}

/** The draft this device kept for the workshop, if any. */
export function readPrepareDraft(workshopId: string): PrepareDraft | null {
  try {
    const raw = storage()?.getItem(prepareKey(workshopId));
    if (!raw) return null;
    const d = JSON.parse(raw) as Partial<PrepareDraft>;
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    return {
      question: text(d.question),
      context: text(d.context),
      termId: text(d.termId),
      term: text(d.term),
      explanation: text(d.explanation)
    };
  } catch {
    return null;
  }
}

/**
 * Keeps the draft, or forgets it when there is nothing the server does not have: the question and
 * background as saved, and no glossary entry being written.
 */
export function keepPrepareDraft(workshopId: string, draft: PrepareDraft, saved: { question: string; context: string }): void {
  const store = storage();
  const nothingNew =
    draft.question === saved.question && draft.context === saved.context && !draft.term.trim() && !draft.explanation.trim();
  try {
    if (nothingNew) store?.removeItem(prepareKey(workshopId));
    else store?.setItem(prepareKey(workshopId), JSON.stringify(draft));
  } catch {
    // storage full or blocked: the page still holds what was typed
  }
}
