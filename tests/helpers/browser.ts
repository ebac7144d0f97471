// A browser as far as cookies go, for integration tests of pages and the API over real HTTP: it
// keeps the cookies the server sets (and deletes), sends them back, and asks for pages as a
// browser does. No JavaScript runs: what it sees is what the server says.
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The JSON body, or null when it is not JSON. */
  json: any;
}

/** Load data from SvelteKit's __data.json, unflattened (devalue's format: values point at indices). */
export function pageData(text: string): any {
  const nodes = (JSON.parse(text) as { nodes: ({ type: string; data: unknown[] } | null)[] }).nodes;
  const node = nodes[nodes.length - 1];
  if (!node || node.type !== 'data') return null;
  const values = node.data;
  const at = (i: number): unknown => {
    if (i < 0) return undefined;
    const v = values[i];
    if (Array.isArray(v)) return v.map(at);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, j]) => [k, at(j as number)]));
    return v;
  };
  return at(0);
}

export class CookieBrowser {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  private keep(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = decodeURIComponent(pair.slice(eq + 1));
      const expired = attributes.some(
        (a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && new Date(a.slice(8)).getTime() < Date.now())
      );
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async send(path: string, init: { method?: string; json?: unknown; form?: Record<string, string>; page?: boolean } = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
    let body: string | undefined;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.origin = this.base;
      body = new URLSearchParams(init.form).toString();
    }
    if (init.page || init.form) headers.accept = 'text/html';
    const res = await fetch(this.base + path, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.keep(res.headers);
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // a page
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  /** The board page's load data, as the page gets it. */
  async boardData(workshopId: string): Promise<any> {
    return pageData((await this.send(`/w/${workshopId}/__data.json`)).text);
  }
}

/** Text as it appears in a page's HTML (Svelte escapes &, < and quotes). */
export function inHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}
