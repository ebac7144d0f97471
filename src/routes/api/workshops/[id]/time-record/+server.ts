// GET and DELETE /api/workshops/<id>/time-record: the person's own time record, read or cleared.
import type { RequestHandler } from '@sveltejs/kit';
import { myTimeRecord } from '$lib/server/involvement/respond';

export const GET: RequestHandler = (event) => myTimeRecord(event, false);
export const DELETE: RequestHandler = (event) => myTimeRecord(event, true);
