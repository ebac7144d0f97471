// What the board page asks someone to type in its dialog (TextDialog.svelte): a theme's name, why
// a card is hidden.
export interface TextRequest {
  title: string;
  label: string;
  hint?: string;
  value: string;
  confirm: string;
  /** Most characters allowed (a count shows as people get near it). */
  max: number;
  /** Called with the words, or null when the person cancelled. */
  done: (value: string | null) => void;
}
