// The outcomes' HTTP answers: who is asking (anyone who took part reads; facilitators and decision
// makers change), refusals in the API's JSON shape, and the summary in each format, made with the
// briefing's renderers from the outcomes document (src/lib/domain/outcomes-document.ts).
import { json, type RequestEvent } from '@sveltejs/kit';
import { OUTCOME_TEXT } from '$lib/domain/outcomes';
import { outcomesDocument } from '$lib/domain/outcomes-document';
import type { OutcomesReport } from '$lib/domain/outcomes-report';
import type { BriefingVersionKind } from '$lib/domain/briefing-document';
import type { SessionInfo } from '$lib/server/app';
import { contentDisposition } from '$lib/server/download-name';
import { errorResponse } from '$lib/server/http';
import { FILE_CSP, FORMAT_TYPES, briefingHtml, versionOf, type BriefingFormat } from '$lib/server/briefing/respond';
import { briefingMarkdown } from '$lib/server/briefing/markdown';
import { outcomesCsv } from './csv';

export const refuse = (status: number, code: string, message: string, field?: string) =>
  json({ error: { code, message, ...(field ? { field } : {}) } }, { status, headers: { 'cache-control': 'no-store' } });

/** Runs an outcomes endpoint: its refusals and failures in the API's JSON shape, never kept by a cache. */
export async function outcomesEndpoint(event: RequestEvent, answer: () => Promise<Response>): Promise<Response> {
  try {
    const res = await answer();
    res.headers.set('cache-control', 'no-store');
    return res;
  } catch (err) {
    const failed = errorResponse(err, event);
    failed.headers.set('cache-control', 'no-store');
    return failed;
  }
}

/** This request's live session in the workshop, or the 401 to answer. */
export async function sessionOr401(event: Pick<RequestEvent, 'params' | 'locals'>): Promise<SessionInfo | Response> {
  const id = (event.params as { id?: string }).id ?? '';
  const session = await event.locals.who.session(id);
  return session ?? refuse(401, 'not_signed_in', OUTCOME_TEXT.notSignedIn);
}

function disposition(kind: 'inline' | 'attachment', report: OutcomesReport, version: BriefingVersionKind, ext: string): string {
  const easy = version === 'easy';
  return contentDisposition(
    kind,
    report.workshop.title,
    { ascii: easy ? 'outcomes-easy-read' : 'outcomes', typed: easy ? 'outcomes (easy read)' : 'outcomes' },
    ext
  );
}

/** GET /api/workshops/<id>/outcomes.<format> (?version=easy): for anyone who took part. */
export function outcomesSummaryResponse(event: RequestEvent, format: BriefingFormat): Promise<Response> {
  return outcomesEndpoint(event, async () => {
    const session = await sessionOr401(event);
    if (session instanceof Response) return session;
    const version = versionOf(event.url);
    if (!version) return refuse(400, 'invalid_input', 'Choose version=easy for easy read, or leave the version out.', 'version');
    const report = await event.locals.app.outcomes.report(session.workshop.id);
    if (!report) return refuse(404, 'not_found', 'We could not find that workshop.');
    const headers = { 'content-type': FORMAT_TYPES[format] };
    switch (format) {
      case 'csv':
        return new Response(outcomesCsv(report), {
          headers: { ...headers, 'content-disposition': disposition('attachment', report, 'standard', 'csv') }
        });
      case 'md':
        return new Response(briefingMarkdown(outcomesDocument(report, version)), {
          headers: { ...headers, 'content-disposition': disposition('attachment', report, version, 'md') }
        });
      case 'pdf': {
        const pdf = await event.locals.app.briefingPdf(outcomesDocument(report, version));
        return new Response(pdf as BodyInit, {
          headers: {
            ...headers,
            'content-length': String(pdf.byteLength),
            'content-disposition': disposition('attachment', report, version, 'pdf')
          }
        });
      }
      case 'html':
        return new Response(briefingHtml(outcomesDocument(report, version), 'outcomes'), {
          headers: {
            ...headers,
            'content-disposition': disposition('inline', report, version, 'html'),
            'content-security-policy': FILE_CSP
          }
        });
      default: {
        const never: never = format;
        return never;
      }
    }
  });
}
