// GET /api/forums/<id>/involvement.csv (?from=YYYY-MM-DD&to=YYYY-MM-DD): the forum facilitator's export of time records.
import type { RequestHandler } from '@sveltejs/kit';
import { forumTimeRecordsCsv } from '$lib/server/involvement/respond';

export const GET: RequestHandler = (event) => forumTimeRecordsCsv(event);
