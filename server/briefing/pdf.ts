// The briefing as a tagged PDF (PDF/UA-1 where its fonts allow), made by Typst on a worker thread
// (pdf-worker.cjs) so a large briefing never stalls the boards. One worker, started on the first
// PDF and kept; requests wait their turn. See docs/API.md for what pdfinfo shows.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { BriefingDocument } from '../../src/lib/domain/briefing-document';
import { BRIEFING_TYPST } from './typst';

const WORKER_FILE = new URL('./pdf-worker.cjs', import.meta.url);

interface Pending {
  resolve: (pdf: Uint8Array) => void;
  reject: (err: Error) => void;
}

export class PdfRenderer {
  private worker: Worker | null = null;
  private pending = new Map<number, Pending>();
  private nextId = 1;

  private start(): Worker {
    if (this.worker) return this.worker;
    const compiler = createRequire(import.meta.url).resolve('@myriaddreamin/typst-ts-node-compiler');
    const worker = new Worker(WORKER_FILE, { workerData: { compiler } });
    worker.unref();
    worker.on('message', (m: { id: number; ok: boolean; pdf?: Uint8Array; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (!p) return;
      if (m.ok && m.pdf) p.resolve(new Uint8Array(m.pdf));
      else p.reject(new Error(m.error ?? 'the PDF could not be made'));
    });
    const fail = (err: Error) => {
      this.worker = null;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => this.worker === worker && fail(new Error(`the PDF worker stopped (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  render(doc: BriefingDocument): Promise<Uint8Array> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, source: BRIEFING_TYPST, inputs: { doc: JSON.stringify(doc) } });
    }).finally(() => {
      if (!this.pending.size) this.worker?.unref();
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}
