// The board meeting's HTTP answers: who is asking (a forum link or a session in one of the forum's
// workshops, decided by server/meetings.ts), refusals as JSON never cached, and the agreed
// version in the briefing's formats through the briefing's renderers.
import { json, type RequestEvent } from '@sveltejs/kit';
import { meetingDay, meetingDocument } from '$lib/domain/meetings';
import { contentDisposition } from '$lib/server/download-name';
import { errorResponse } from '$lib/server/http';
import { FILE_CSP, FORMAT_TYPES, briefingHtml, versionOf } from '$lib/server/briefing/respond';
import { briefingMarkdown } from '$lib/server/briefing/markdown';
import { AppError } from '$lib/protocol/errors';

/** What this request presents, as the meeting service asks for it. */
export const credentialsOf = (event: Pick<RequestEvent, 'locals'>) => ({
  forumToken: (forumId: string) => event.locals.who.forumToken(forumId),
  session: (workshopId: string) => event.locals.who.session(workshopId)
});

/** The meeting in the path and who is asking, or the refusal (401, 404). */
export const meetingOf = (event: RequestEvent) => event.locals.app.meetings.viewer(event.params.meetingId ?? '', credentialsOf(event));

export async function meetingEndpoint(event: RequestEvent, run: () => Promise<Response>): Promise<Response> {
  let res: Response;
  try {
    res = await run();
  } catch (err) {
    res = errorResponse(err, event);
  }
  res.headers.set('cache-control', 'no-store');
  return res;
}

/** GET /api/meetings/<id>/pack.<format> (?version=easy): the agreed version, for anyone who may see the meeting. */
export function packResponse(event: RequestEvent, format: 'html' | 'pdf' | 'md'): Promise<Response> {
  return meetingEndpoint(event, async () => {
    const { meeting } = await meetingOf(event);
    const version = versionOf(event.url);
    if (!version) throw new AppError('invalid_input', 'Choose version=easy for easy read, or leave the version out.', 400, 'version');
    const app = event.locals.app;
    const doc = meetingDocument(await app.meetings.view(meeting), version);
    const title = `${meeting.body} ${meetingDay(meeting.date)}`;
    const easy = version === 'easy';
    const name = {
      ascii: easy ? 'preparation-pack-easy-read' : 'preparation-pack',
      typed: easy ? 'preparation pack (easy read)' : 'preparation pack'
    };
    const headers: Record<string, string> = { 'content-type': FORMAT_TYPES[format] };
    switch (format) {
      case 'md':
        return new Response(briefingMarkdown(doc), {
          headers: { ...headers, 'content-disposition': contentDisposition('attachment', title, name, 'md') }
        });
      case 'pdf': {
        const pdf = await app.briefingPdf(doc);
        return new Response(pdf as BodyInit, {
          headers: {
            ...headers,
            'content-length': String(pdf.byteLength),
            'content-disposition': contentDisposition('attachment', title, name, 'pdf')
          }
        });
      }
      case 'html':
        return new Response(briefingHtml(doc, 'preparation pack'), {
          headers: {
            ...headers,
            'content-security-policy': FILE_CSP,
            'content-disposition': contentDisposition('inline', title, name, 'html')
          }
        });
      default: {
        const never: never = format;
        return never;
      }
    }
  });
}

export const created = (body: unknown) => json(body, { status: 201 });
