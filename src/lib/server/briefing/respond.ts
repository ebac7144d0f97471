// The briefing's endpoints: who may have it (facilitators, decision makers, and the members a
// facilitator marked as representatives), which version (?version=easy for easy read), and each
// format as a file with a sensible name. The formats are made from one model (app.briefing()).
import { json, type RequestEvent } from '@sveltejs/kit';
import { render } from 'svelte/server';
import BriefingDocumentView from '$lib/components/BriefingDocument.svelte';
import type { Briefing } from '$lib/domain/briefing';
import { mayDownloadBriefing } from '$lib/domain/roles';
import { briefingDocument, type BriefingDocument, type BriefingVersionKind } from '$lib/domain/briefing-document';
import type { SessionInfo } from '$lib/server/app';
import { contentDisposition } from '$lib/server/download-name';
import { errorResponse } from '$lib/server/http';
import { briefingCsv } from './csv';
import { briefingMarkdown } from './markdown';

export type BriefingFormat = 'html' | 'pdf' | 'md' | 'csv';

const TYPES: Record<BriefingFormat, string> = {
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8'
};

/** Whether this person may have the briefing: facilitators, decision makers, representatives (members marked), not removed. */
export function mayHaveBriefing(session: Pick<SessionInfo, 'participant'>): boolean {
  return session.participant.removedAt === null && mayDownloadBriefing(session.participant);
}

export const BRIEFING_FORBIDDEN = 'Only facilitators, decision makers and the group’s representatives can download the briefing.';

/** ?version=easy or ?version=standard (the default); anything else is refused. */
export function versionOf(url: URL): BriefingVersionKind | null {
  const v = url.searchParams.get('version');
  return v === null || v === '' || v === 'standard' ? 'standard' : v === 'easy' ? 'easy' : null;
}

/** The briefing's file name after the title: "Probation-forum-briefing-easy-read.pdf" (see download-name.ts). */
function disposition(kind: 'inline' | 'attachment', b: Briefing, version: BriefingVersionKind, ext: string): string {
  const easy = version === 'easy';
  return contentDisposition(
    kind,
    b.workshop.title,
    { ascii: easy ? 'briefing-easy-read' : 'briefing', typed: easy ? 'briefing (easy read)' : 'briefing' },
    ext
  );
}

/**
 * A document as a whole HTML file: the print view's blocks and styles, nothing to run. The
 * briefing's, and the outcomes summary's (`label` names which in the page's title).
 */
export function briefingHtml(doc: BriefingDocument, label = 'briefing'): string {
  const { head, body } = render(BriefingDocumentView, { props: { doc } });
  const title = doc.title.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – ${label}</title>
<style>body{margin:0;padding:1.5rem;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;background:#fff}@media print{body{padding:0}}</style>
${head}
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** A file of words and styles: nothing in it may run or load anything. */
export const FILE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The content type of each of a document's formats. */
export const FORMAT_TYPES = TYPES;

const refuse = (status: number, code: string, message: string, field?: string) =>
  json({ error: { code, message, ...(field ? { field } : {}) } }, { status, headers: { 'cache-control': 'no-store' } });

/**
 * Answers GET /api/workshops/<id>/briefing.<format>. A failure on the way (the store, the PDF
 * worker) is answered in the API's error shape, `{ error: { code, message } }`, as everywhere else.
 */
export async function briefingResponse(event: RequestEvent, format: BriefingFormat): Promise<Response> {
  try {
    return await briefingFile(event, format);
  } catch (err) {
    // Refusals and failures alike are not kept by any cache.
    const failed = errorResponse(err, event);
    failed.headers.set('cache-control', 'no-store');
    return failed;
  }
}

async function briefingFile(event: Pick<RequestEvent, 'params' | 'locals' | 'url'>, format: BriefingFormat): Promise<Response> {
  const { locals, url } = event;
  const id = (event.params as { id?: string }).id ?? '';
  const session = await locals.who.session(id);
  if (!session) return refuse(401, 'not_signed_in', 'Sign in to this workshop first: use your invite link.');
  if (!mayHaveBriefing(session)) return refuse(403, 'forbidden', BRIEFING_FORBIDDEN);
  const version = versionOf(url);
  if (!version) return refuse(400, 'invalid_input', 'Choose version=easy for easy read, or leave the version out.', 'version');
  const model = await locals.app.briefing(session.workshop.id);
  if (!model) return refuse(404, 'not_found', 'We could not find that workshop.');
  const headers: Record<string, string> = { 'content-type': TYPES[format], 'cache-control': 'no-store' };
  switch (format) {
    case 'csv':
      return new Response(briefingCsv(model), {
        headers: { ...headers, 'content-disposition': disposition('attachment', model, 'standard', 'csv') }
      });
    case 'md':
      return new Response(briefingMarkdown(briefingDocument(model, version)), {
        headers: { ...headers, 'content-disposition': disposition('attachment', model, version, 'md') }
      });
    case 'pdf': {
      const pdf = await locals.app.briefingPdf(briefingDocument(model, version));
      return new Response(pdf as BodyInit, {
        headers: {
          ...headers,
          'content-length': String(pdf.byteLength),
          'content-disposition': disposition('attachment', model, version, 'pdf')
        }
      });
    }
    case 'html':
      return new Response(briefingHtml(briefingDocument(model, version)), {
        headers: {
          ...headers,
          'content-disposition': disposition('inline', model, version, 'html'),
          'content-security-policy': FILE_CSP
        }
      });
    default: {
      const never: never = format;
      return never;
    }
  }
}
