// File names for what people download (the briefing, the archive, the cards), made from the
// workshop's title: an ASCII name every browser takes ("Probation-forum-briefing.pdf") and, in
// `filename*` (RFC 6266), the title as typed ("Café des idées briefing.pdf"), which browsers
// prefer when they can.

/** At most this many characters of the title go into a file name. */
const TITLE_CHARS = 60;

/**
 * The title as the start of an ASCII file name: letters and digits, other characters as one dash,
 * accents taken off ("Café des idées" becomes "Cafe-des-idees"); `workshop` when nothing is left
 * (a title in another script, "Форум жителей").
 */
export function asciiTitle(title: string): string {
  return (
    title
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .slice(0, TITLE_CHARS)
      .normalize('NFKD')
      // What is not ASCII goes (accents, other scripts), then the dashes left around it.
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/-+/g, '-')
      .replace(/^-+|-+$/g, '') || 'workshop'
  );
}

/** The title as typed, with the characters a file name cannot hold (control characters among them) as dashes. */
function typedTitle(title: string): string {
  // eslint-disable-next-line no-control-regex
  return title.replace(/[\\/:*?"<>|\u0000-\u001f\u007f]+/g, '-').slice(0, TITLE_CHARS) || 'workshop';
}

/**
 * A Content-Disposition header for a download named after the workshop: `ascii` follows the
 * title's ASCII form after a dash ("briefing-easy-read"), `typed` follows the title as typed
 * after a space ("briefing (easy read)").
 */
export function contentDisposition(
  kind: 'inline' | 'attachment',
  title: string,
  name: { ascii: string; typed: string },
  ext: string
): string {
  const ascii = `${asciiTitle(title)}-${name.ascii}.${ext}`;
  const typed = `${typedTitle(title)} ${name.typed}.${ext}`;
  // RFC 5987 lets only some characters stand as they are: encodeURIComponent leaves ' ( ) * too.
  const encoded = encodeURIComponent(typed).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
