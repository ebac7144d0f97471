// The y-websocket wire format (y-protocols sync + awareness), read defensively: every declared
// count and length is checked against the bytes actually present before anything is decoded.
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import { MESSAGE_SAVING } from '../../src/lib/protocol/errors';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

export class MalformedMessage extends Error {}

/** A presence entry over the size limit: the connection is closed as "too large", not malformed. */
export class PresenceTooLarge extends Error {}

export type ClientMessage =
  | { kind: 'syncStep1'; stateVector: Uint8Array }
  /** `answer`: a sync step 2 (the reply to our sync step 1), not an edit made just now. */
  | { kind: 'update'; update: Uint8Array; answer: boolean }
  | { kind: 'awareness'; entries: AwarenessEntry[] }
  | { kind: 'queryAwareness' };

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** Parsed JSON state; null means "this client has gone". */
  state: unknown;
  /** Length of the JSON text, to enforce the presence size limit before keeping it. */
  bytes: number;
}

function remaining(d: decoding.Decoder): number {
  return d.arr.length - d.pos;
}

function readCount(d: decoding.Decoder, minBytesEach: number): number {
  const n = decoding.readVarUint(d);
  if (n * minBytesEach > remaining(d)) throw new MalformedMessage('declared count exceeds message size');
  return n;
}

/**
 * Decodes one client message; throws MalformedMessage (or a lib0 error) on anything unexpected,
 * including bytes left over after the message (a page sends exactly one message per frame).
 */
export function decodeClientMessage(data: Uint8Array, options: DecodeOptions = {}): ClientMessage {
  const d = decoding.createDecoder(data);
  const message = decodeMessage(d, options);
  if (d.pos !== data.length) throw new MalformedMessage('bytes after the end of the message');
  return message;
}

export interface DecodeOptions {
  /**
   * True for a Yjs client id that another live connection owns. Presence entries for such ids are
   * echoes (a y-websocket page sends back every presence update it receives) or spoofs, and are
   * dropped here, so their JSON is skipped unread and nothing is built for them: in a room of
   * 1,000 that is most presence traffic (every page answers each presence relay with an echo).
   */
  ownedElsewhere?: (clientId: number) => boolean;
  /** Presence entries over this many bytes throw PresenceTooLarge, echoes included. */
  maxPresenceBytes?: number;
}

function decodeMessage(d: decoding.Decoder, options: DecodeOptions): ClientMessage {
  const type = decoding.readVarUint(d);
  switch (type) {
    case MESSAGE_SYNC: {
      const syncType = decoding.readVarUint(d);
      const payload = decoding.readVarUint8Array(d);
      if (syncType === syncProtocol.messageYjsSyncStep1) {
        validateStateVector(payload);
        return { kind: 'syncStep1', stateVector: payload };
      }
      if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
        validateUpdate(payload);
        return { kind: 'update', update: payload, answer: syncType === syncProtocol.messageYjsSyncStep2 };
      }
      throw new MalformedMessage(`unknown sync message ${syncType}`);
    }
    case MESSAGE_AWARENESS:
      return { kind: 'awareness', entries: decodeAwareness(decoding.readVarUint8Array(d), options) };
    case MESSAGE_QUERY_AWARENESS:
      return { kind: 'queryAwareness' };
    default:
      throw new MalformedMessage(`unknown message type ${type}`);
  }
}

function validateStateVector(sv: Uint8Array): void {
  const d = decoding.createDecoder(sv);
  const n = readCount(d, 2);
  for (let i = 0; i < n; i++) {
    decoding.readVarUint(d);
    decoding.readVarUint(d);
  }
}

function decodeAwareness(update: Uint8Array, options: DecodeOptions): AwarenessEntry[] {
  const d = decoding.createDecoder(update);
  const n = readCount(d, 3);
  const maxBytes = options.maxPresenceBytes ?? Infinity;
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < n; i++) {
    const clientId = decoding.readVarUint(d);
    const clock = decoding.readVarUint(d);
    if (options.ownedElsewhere?.(clientId)) {
      // Dropped unread (see DecodeOptions), but bounds-checked and size-checked; its size counts
      // in UTF-8 bytes, which is never less than its length in characters.
      const bytes = decoding.readVarUint(d);
      if (bytes > remaining(d)) throw new MalformedMessage('presence overruns the message');
      if (bytes > maxBytes) throw new PresenceTooLarge();
      d.pos += bytes;
      continue;
    }
    const json = decoding.readVarString(d);
    if (json.length > maxBytes) throw new PresenceTooLarge();
    entries.push({ clientId, clock, state: parsePresence(json), bytes: json.length });
  }
  return entries;
}

function parsePresence(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    throw new MalformedMessage('presence is not JSON');
  }
}

// Yjs update v1 struct kinds (the low five bits of each struct's info byte).
const BITS5 = 31;
const BIT6 = 32;
const BIT7 = 64;
const BIT8 = 128;

/**
 * Walks a Yjs v1 update without building anything, so a few bytes declaring millions of structs
 * (yjs issue #687) or lengths past the end are refused before Yjs allocates or loops on them.
 */
export function validateUpdate(update: Uint8Array): void {
  const d = decoding.createDecoder(update);
  const clients = readCount(d, 3);
  for (let i = 0; i < clients; i++) {
    const structs = readCount(d, 1);
    decoding.readVarUint(d); // client
    decoding.readVarUint(d); // clock
    for (let j = 0; j < structs; j++) {
      if (remaining(d) < 1) throw new MalformedMessage('update ends inside a struct');
      const info = decoding.readUint8(d);
      const kind = info & BITS5;
      if (kind === 0 || kind === 10) {
        decoding.readVarUint(d); // GC or Skip length
        continue;
      }
      if (info & BIT8) {
        decoding.readVarUint(d);
        decoding.readVarUint(d);
      } // origin id
      if (info & BIT7) {
        decoding.readVarUint(d);
        decoding.readVarUint(d);
      } // right origin id
      if ((info & (BIT7 | BIT8)) === 0) {
        // parent: a root type name, or the id of the parent item
        if (decoding.readVarUint(d) === 1) decoding.readVarString(d);
        else {
          decoding.readVarUint(d);
          decoding.readVarUint(d);
        }
        if (info & BIT6) decoding.readVarString(d); // key within a map
      }
      skipContent(d, kind);
    }
  }
  // delete set
  const dsClients = readCount(d, 2);
  for (let i = 0; i < dsClients; i++) {
    decoding.readVarUint(d);
    const ranges = readCount(d, 2);
    for (let j = 0; j < ranges; j++) {
      decoding.readVarUint(d);
      decoding.readVarUint(d);
    }
  }
  if (remaining(d) < 0) throw new MalformedMessage('update overruns');
}

function skipContent(d: decoding.Decoder, kind: number): void {
  switch (kind) {
    case 1:
      decoding.readVarUint(d);
      return; // deleted
    case 2: {
      const n = readCount(d, 1);
      for (let i = 0; i < n; i++) decoding.readVarString(d);
      return;
    } // JSON
    case 3:
      decoding.readVarUint8Array(d);
      return; // binary
    case 4:
      decoding.readVarString(d);
      return; // string
    case 5:
      decoding.readVarString(d);
      return; // embed
    case 6:
      decoding.readVarString(d);
      decoding.readVarString(d);
      return; // format
    case 7: {
      const ref = decoding.readVarUint(d);
      if (ref === 3 || ref === 5) decoding.readVarString(d);
      return;
    } // type
    case 8: {
      const n = readCount(d, 1);
      for (let i = 0; i < n; i++) skipAny(d, 0);
      return;
    } // any
    case 9:
      decoding.readVarString(d);
      skipAny(d, 0);
      return; // subdocument
    default:
      throw new MalformedMessage(`unknown content kind ${kind}`);
  }
}

/** lib0 "any" values, with nesting and counts bounded. */
function skipAny(d: decoding.Decoder, depth: number): void {
  if (depth > 32) throw new MalformedMessage('value nested too deeply');
  if (remaining(d) < 1) throw new MalformedMessage('update ends inside a value');
  const tag = decoding.readUint8(d);
  switch (tag) {
    case 127:
    case 126:
    case 121:
    case 120:
      return; // undefined, null, false, true
    case 125:
      decoding.readVarInt(d);
      return;
    case 124:
      need(d, 4);
      d.pos += 4;
      return; // float32
    case 123:
      need(d, 8);
      d.pos += 8;
      return; // float64
    case 122:
      need(d, 8);
      d.pos += 8;
      return; // bigint64
    case 119:
      decoding.readVarString(d);
      return;
    case 118: {
      const n = readCount(d, 2);
      for (let i = 0; i < n; i++) {
        decoding.readVarString(d);
        skipAny(d, depth + 1);
      }
      return;
    }
    case 117: {
      const n = readCount(d, 1);
      for (let i = 0; i < n; i++) skipAny(d, depth + 1);
      return;
    }
    case 116:
      decoding.readVarUint8Array(d);
      return;
    default:
      throw new MalformedMessage(`unknown value tag ${tag}`);
  }
}

function need(d: decoding.Decoder, n: number): void {
  if (remaining(d) < n) throw new MalformedMessage('value overruns');
}

export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1);
  encoding.writeVarUint8Array(e, stateVector);
  return encoding.toUint8Array(e);
}

export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  encoding.writeVarUint(e, syncProtocol.messageYjsUpdate);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** Whether the server holds edits to the board it cannot store yet (MESSAGE_SAVING). */
export function encodeSaving(held: boolean): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SAVING);
  encoding.writeVarUint(e, held ? 1 : 0);
  return encoding.toUint8Array(e);
}

export function encodeAwarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(e);
}

/** An awareness update built from entries the server has already checked and rewritten. */
export function encodeAwarenessEntries(entries: ReadonlyArray<{ clientId: number; clock: number; state: unknown }>): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const x of entries) {
    encoding.writeVarUint(e, x.clientId);
    encoding.writeVarUint(e, x.clock);
    encoding.writeVarString(e, JSON.stringify(x.state));
  }
  return encoding.toUint8Array(e);
}
