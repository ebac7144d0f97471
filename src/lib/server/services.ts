// The one set of services per process (store, workshop rules, sync host), handed from the Node
// entry (server/index.ts, or the Vite plugin in dev) to SvelteKit's server code. Never opened twice.
import type { Services } from '../../../server/realtime';

const KEY = Symbol.for('roundtable.services');

export function setServices(services: Services | null): void {
  (globalThis as Record<symbol, unknown>)[KEY] = services;
}

export function services(): Services {
  const s = (globalThis as Record<symbol, unknown>)[KEY] as Services | undefined;
  if (!s) throw new Error('Roundtable services are not running: start the app with `npm start` or `npm run dev`.');
  return s;
}
