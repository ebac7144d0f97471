// GET /api/workshops/<id>/involvement.csv (?from=YYYY-MM-DD&to=YYYY-MM-DD): the facilitator's export of time records.
import type { RequestHandler } from '@sveltejs/kit';
import { timeRecordsCsv } from '$lib/server/involvement/respond';

export const GET: RequestHandler = (event) => timeRecordsCsv(event);
