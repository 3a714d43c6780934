'use strict';
/*
 * Shared by the peer runners: JSON Lines in, one result line per non-blank
 * line out, in input order, with the case format's line rules (LF ends a
 * line, one CR before it is dropped, a line of spaces, tabs and CRs gets no
 * result). `decide(text)` returns a result object or a promise of one; up to
 * `inFlight` promises run at once, and results are written in input order.
 * Exit status as regel's: 0 when every record was decided, 1 when some got an
 * error record.
 */
const fs = require('fs');

function isBlank(buf) {
  for (const b of buf) if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  return true;
}

function* splitLines(path) {
  const fd = path === '-' ? 0 : fs.openSync(path, 'r');
  const block = Buffer.allocUnsafe(1 << 20);
  let rest = Buffer.alloc(0);
  for (;;) {
    const got = fs.readSync(fd, block, 0, block.length, null);
    const data = got ? Buffer.concat([rest, block.subarray(0, got)]) : rest;
    let start = 0;
    for (;;) {
      const nl = data.indexOf(0x0a, start);
      if (nl < 0) break;
      yield data.subarray(start, nl);
      start = nl + 1;
    }
    rest = Buffer.from(data.subarray(start));
    if (!got) {
      if (rest.length) yield rest;
      break;
    }
  }
  if (fd !== 0) fs.closeSync(fd);
}

function errorRecord(id, field, message) {
  return { id: id, error: { field: field, message: message } };
}

/* The id to echo: the `id` member when the line is an object whose id is a string. */
function echoId(record) {
  return record && typeof record === 'object' && !Array.isArray(record) && typeof record.id === 'string'
    ? record.id : null;
}

async function run(path, decide, inFlight) {
  const out = [];
  let outLen = 0;
  let status = 0;
  const flush = (force) => {
    if (outLen > (1 << 16) || (force && outLen)) {
      fs.writeSync(1, out.join(''));
      out.length = 0;
      outLen = 0;
    }
  };
  const emit = (result) => {
    if (result.error) status = 1;
    const s = JSON.stringify(result) + '\n';
    out.push(s);
    outLen += s.length;
    flush(false);
  };
  let pending = [];
  for (let line of splitLines(path)) {
    if (line.length && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    if (isBlank(line)) continue;
    pending.push(decide(line.toString('utf8'), line));
    if (pending.length >= inFlight) {
      for (const r of await Promise.all(pending)) emit(r);
      pending = [];
    }
  }
  for (const r of await Promise.all(pending)) emit(r);
  flush(true);
  return status;
}

/* JSON.parse with the checks every peer needs before its rules see the record. */
function parseRecord(text, raw) {
  /* Node replaces invalid UTF-8 with U+FFFD rather than failing; the format calls it not JSON. */
  if (raw && !isUtf8(raw)) return { error: errorRecord(null, null, 'not JSON') };
  let record;
  try {
    record = JSON.parse(text);
  } catch (e) {
    return { error: errorRecord(null, null, 'not JSON') };
  }
  if (record === null || typeof record !== 'object' || Array.isArray(record))
    return { error: errorRecord(null, null, 'not a JSON object') };
  return { record: record };
}

function isUtf8(buf) {
  const util = require('buffer');
  return util.isUtf8 ? util.isUtf8(buf) : !buf.toString('utf8').includes('\ufffd');
}

module.exports = { run, errorRecord, echoId, parseRecord };
