// GET /api/workshops/<id>/outcomes.pdf (?version=easy for easy read): see src/lib/server/outcomes/respond.ts.
import type { RequestHandler } from '@sveltejs/kit';
import { outcomesSummaryResponse } from '$lib/server/outcomes/respond';

export const GET: RequestHandler = (event) => outcomesSummaryResponse(event, 'pdf');
