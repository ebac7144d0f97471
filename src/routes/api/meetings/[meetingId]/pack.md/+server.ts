// GET /api/meetings/<id>/pack.md (?version=easy): the agreed version, for anyone who may see the meeting.
import type { RequestHandler } from '@sveltejs/kit';
import { packResponse } from '$lib/server/meetings/respond';

export const GET: RequestHandler = (event) => packResponse(event, 'md');
