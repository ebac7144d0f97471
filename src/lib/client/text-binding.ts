// Binds a <textarea> to a Y.Text: local typing becomes the smallest insert/delete (so two people
// typing in one card both keep their words), and remote edits move the caret the right way.
import * as Y from 'yjs';
import { simpleDiffString } from 'lib0/diff';
import { LOCAL } from './board-connection.svelte';

type Delta = { insert?: string | object; delete?: number; retain?: number }[];

/** Where `index` ends up after a remote change described by `delta`. */
export function shiftIndex(delta: Delta, index: number): number {
  let pos = 0;
  let result = index;
  for (const op of delta) {
    if (pos > index) break;
    if (op.retain) pos += op.retain;
    else if (typeof op.insert === 'string') {
      if (pos <= index) result += op.insert.length;
      pos += op.insert.length;
    } else if (op.delete) {
      result -= Math.min(op.delete, Math.max(0, index - pos));
    }
  }
  return Math.max(0, result);
}

/**
 * Keeps a textarea and a Y.Text the same. Nothing is cut: a card over its limit keeps every word
 * (pasted ones too) and says so through its character count; `changed` runs after every change,
 * local or remote, for that count.
 */
export function bindTextarea(textarea: HTMLTextAreaElement, ytext: Y.Text, changed: () => void = () => undefined): () => void {
  // Setting the value moves the caret, so only when it differs.
  if (textarea.value !== ytext.toString()) textarea.value = ytext.toString();
  const onInput = () => {
    const value = textarea.value;
    changed();
    const current = ytext.toString();
    if (value === current) return;
    const { index, remove, insert } = simpleDiffString(current, value);
    ytext.doc!.transact(() => {
      if (remove) ytext.delete(index, remove);
      if (insert) ytext.insert(index, insert);
    }, LOCAL);
  };
  const onRemote = (event: Y.YTextEvent, tr: Y.Transaction) => {
    if (tr.origin === LOCAL) return;
    const focused = document.activeElement === textarea;
    const start = textarea.selectionStart;
    const end = textarea.selectionEnd;
    textarea.value = ytext.toString();
    changed();
    if (focused) {
      const delta = event.delta as Delta;
      textarea.setSelectionRange(shiftIndex(delta, start), shiftIndex(delta, end));
    }
  };
  textarea.addEventListener('input', onInput);
  ytext.observe(onRemote);
  return () => {
    textarea.removeEventListener('input', onInput);
    ytext.unobserve(onRemote);
  };
}
