// The checkpoint worker (a worker thread with its own SQLite connection): copies the write-ahead
// log into the main file with PASSIVE checkpoints, which never block a writer or wait for one.
// Plain JavaScript so it runs as it is, from the source tree (tests, `npm run dev`) and from
// dist/ (copied there by scripts/build-server.js). See checkpointer.ts for the whole design.
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: it runs as it is */
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);

const db = new Database(workerData.file);
db.pragma('synchronous = FULL');
db.pragma('wal_autocheckpoint = 0');
const file = fs.openSync(workerData.file, 'r+');

parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    fs.closeSync(file);
    parentPort.close();
    return;
  }
  try {
    const frames = db.pragma('wal_checkpoint(PASSIVE)')[0].log;
    // Before the main thread finishes (see checkpointer.ts), the copied pages go to disk here.
    if (frames > workerData.restartFrames) fs.fdatasyncSync(file);
    parentPort.postMessage({ ok: true, frames });
  } catch (err) {
    parentPort.postMessage({ ok: false, error: String((err && err.message) || err) });
  }
});
