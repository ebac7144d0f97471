// Sending an archive file from the start page, with progress: checks on this device first (a file
// is chosen, not too large, is a Roundtable archive of a version this build reads, the name is one
// the server takes), so a wrong file is not sent over a slow connection; then the form goes to its
// action (`?/import`) with XMLHttpRequest, whose upload reports progress, as SvelteKit's enhanced
// forms do it (the x-sveltekit-action header, then applyAction with the answer).
import { applyAction, deserialize } from '$app/forms';
import { checkDisplayName, normaliseName } from '$lib/domain/names';
import { ARCHIVE_FILE_HINT, formatProblem } from '$lib/protocol/archive-format';

export type UploadPhase = { kind: 'idle' } | { kind: 'checking' } | { kind: 'sending'; percent: number } | { kind: 'making' };

const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB` : `${Math.round(bytes / 1024)} KiB`;

export class ArchiveUpload {
  phase = $state<UploadPhase>({ kind: 'idle' });
  /** Problems found on this device, by field id; the server's come back as the page's `form`. */
  errors = $state<Record<string, string>>({});

  constructor(readonly maxBytes: () => number) {}

  get busy(): boolean {
    return this.phase.kind !== 'idle';
  }

  get maxText(): string {
    return size(this.maxBytes());
  }

  async submit(form: HTMLFormElement): Promise<void> {
    if (this.busy) return;
    // Taken now: the form's controls are disabled while it is busy, and FormData leaves disabled ones out.
    const data = new FormData(form);
    this.phase = { kind: 'checking' };
    const errors: Record<string, string> = {};
    const file = (form.elements.namedItem('archive') as HTMLInputElement | null)?.files?.[0];
    if (!file) errors.archive = `Choose a file to start from: ${ARCHIVE_FILE_HINT}`;
    else if (file.size > this.maxBytes())
      errors.archive = `This file is larger than an archive can be here (${this.maxText}). Nothing was made.`;
    else {
      try {
        const problem = formatProblem(JSON.parse(await file.text()));
        if (problem) errors.archive = problem.message;
      } catch {
        errors.archive = `This file is not a Roundtable archive. Choose ${ARCHIVE_FILE_HINT}.`;
      }
    }
    const typed = (form.elements.namedItem('import-name') as HTMLInputElement | null)?.value ?? '';
    const name = checkDisplayName(normaliseName(typed) === '' ? 'Facilitator' : typed, { role: 'facilitator', others: [] });
    if (!name.ok) errors['import-name'] = name.message;
    this.errors = errors;
    if (Object.keys(errors).length) {
      this.phase = { kind: 'idle' };
      return;
    }
    this.phase = { kind: 'sending', percent: 0 };
    try {
      const text = await this.send(form.action, data);
      this.phase = { kind: 'idle' };
      await applyAction(deserialize(text));
    } catch {
      this.phase = { kind: 'idle' };
      this.errors = {
        archive: 'The file could not be sent: the connection dropped. Check the connection and try again. Nothing was made.'
      };
    }
  }

  private send(action: string, data: FormData): Promise<string> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', action);
      xhr.setRequestHeader('accept', 'application/json');
      xhr.setRequestHeader('x-sveltekit-action', 'true');
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) this.phase = { kind: 'sending', percent: Math.floor((e.loaded / e.total) * 100) };
      };
      // Sent: the server is reading it and making the workshop.
      xhr.upload.onload = () => (this.phase = { kind: 'making' });
      xhr.onload = () => resolve(xhr.responseText);
      xhr.onerror = () => reject(new Error('network'));
      xhr.onabort = () => reject(new Error('aborted'));
      xhr.send(data);
    });
  }
}
