'use strict';
/*
 * The GoRules ZEN engine deciding LSS cases with lss.jdm.json:
 *
 *   node bench/peers/zen/run_zen.js [FILE|-]     (NODE_PATH must reach @gorules/zen-engine)
 *
 * One result line per record, as `regel eval` writes them but without `fired`.
 * ZEN's evaluate() is asynchronous (the Rust engine runs off the JavaScript
 * thread), so up to ZEN_IN_FLIGHT records (default 64) are decided at once,
 * the way a service would drive it; results are still written in input order.
 * A record the input node's JSON Schema rejects becomes an error record whose
 * field is the schema error's path.
 */
const fs = require('fs');
const path = require('path');
const { ZenEngine } = require('@gorules/zen-engine');
const { run, errorRecord, echoId, parseRecord } = require('../lines.js');

const engine = new ZenEngine();
const decision = engine.createDecision(fs.readFileSync(path.join(__dirname, 'lss.jdm.json')));

/* "/needs/2/kind" -> "needs[2].kind" */
function pointerToPath(pointer) {
  let out = '';
  for (const part of pointer.split('/').slice(1)) {
    if (/^[0-9]+$/.test(part)) out += '[' + part + ']';
    else out += (out ? '.' : '') + part.replace(/~1/g, '/').replace(/~0/g, '~');
  }
  return out;
}

function schemaError(record, err) {
  let source = String(err && err.message || err);
  const json = source.indexOf('{');
  try {
    source = JSON.parse(source.slice(json, source.indexOf('\n') < 0 ? undefined : source.indexOf('\n'))).source;
  } catch (e) {
    return errorRecord(echoId(record), null, 'ZEN: ' + source.split('\n')[0]);
  }
  const colon = source.indexOf(': ');
  let field = pointerToPath(source.slice(0, colon));
  const text = source.slice(colon + 2);
  let m;
  if ((m = /^Additional properties are not allowed \('(.*)' was unexpected\)/.exec(text)))
    field = (field ? field + '.' : '') + m[1];
  else if ((m = /^"(.*)" is a required property/.exec(text)))
    field = (field ? field + '.' : '') + m[1];
  return errorRecord(echoId(record), field || null, text);
}

const decide = async (text, raw) => {
  const parsed = parseRecord(text, raw);
  if (parsed.error) return parsed.error;
  try {
    return (await decision.evaluate(parsed.record)).result;
  } catch (err) {
    return schemaError(parsed.record, err);
  }
};

const started = process.hrtime.bigint();
run(process.argv[2] || '-', decide, Number(process.env.ZEN_IN_FLIGHT || 64)).then((status) => {
  engine.dispose();
  if (process.env.PEER_TIMING)
    fs.writeSync(2, `zen: ${Number(process.hrtime.bigint() - started) / 1e9} s in the loop\n`);
  process.exitCode = status;
});
