// Runs Typst on a worker thread (see pdf.ts): compiling a large briefing takes a noticeable
// moment, and the event loop serves every board and socket meanwhile. A plain CommonJS file, run
// as it is from the source tree and copied next to dist/server.js by the build.
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: it runs as it is */
'use strict';
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const { NodeCompiler } = require(workerData.compiler);

const fontPaths = ['/usr/share/fonts', '/usr/local/share/fonts'].filter((p) => fs.existsSync(p));
// Typst's own fonts are built in; the machine's (Liberation, DejaVu) are added where present.
const compiler = NodeCompiler.create(fontPaths.length ? { fontArgs: [{ fontPaths }] } : {});

parentPort.on('message', ({ id, source, inputs }) => {
  try {
    const compiled = compiler.compile({ mainFileContent: source, inputs });
    if (compiled.hasError() || !compiled.result) {
      const err = compiled.takeError();
      throw new Error(`Typst could not lay out the briefing: ${JSON.stringify(err ? err.shortDiagnostics : []).slice(0, 500)}`);
    }
    let pdf;
    let standard = 'ua-1';
    try {
      // PDF/UA-1: tagged, titled, with its language, checked by Typst itself.
      pdf = compiler.pdf(compiled.result, { pdfStandard: 'ua-1' });
    } catch {
      // PDF/UA refuses a character no font can draw (an emoji, a rare script): the PDF is then
      // made without the standard's check, still tagged, with its title and language.
      standard = 'tagged';
      pdf = compiler.pdf(compiled.result, { pdfTags: true });
    }
    compiler.evictCache(10);
    parentPort.postMessage({ id, ok: true, pdf, standard }, [pdf.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, ok: false, error: String((err && err.message) || err) });
  }
});
