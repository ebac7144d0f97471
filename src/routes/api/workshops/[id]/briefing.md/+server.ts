// GET /api/workshops/<id>/briefing.md (?version=easy for easy read): see src/lib/server/briefing/respond.ts.
import type { RequestHandler } from '@sveltejs/kit';
import { briefingResponse } from '$lib/server/briefing/respond';

export const GET: RequestHandler = (event) => briefingResponse(event, 'md');
