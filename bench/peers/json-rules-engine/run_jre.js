'use strict';
/*
 * json-rules-engine deciding LSS cases with lss-rules.json:
 *
 *   node bench/peers/json-rules-engine/run_jre.js [FILE|-]   (NODE_PATH must reach json-rules-engine)
 *
 * One result line per record, as `regel eval` writes them but without `fired`.
 * The rule sets of lss-rules.json run in the order of the statute's reasoning
 * (checks, version, each need's basic and exemption rules, the föräldraavdrag,
 * the age limit, eligibility, payer, grant); in each set the highest-priority
 * rule that fires decides. What JSON rules cannot say is JavaScript here, and
 * only that: the case format's defaults, dates and ages, the per-need minutes,
 * sums and minimums. json-rules-engine has no record validation: a record is
 * taken as valid, and only the checks of the rules (date order, the oldest
 * version) give error records. Records are decided one at a time: an Engine
 * keeps its run state on itself, so two runs of one Engine at once cut each
 * other's lower-priority rules short.
 */
const fs = require('fs');
const path = require('path');
const { Engine } = require('json-rules-engine');
const { run, errorRecord, echoId, parseRecord } = require('../lines.js');

const sets = JSON.parse(fs.readFileSync(path.join(__dirname, 'lss-rules.json'), 'utf8'));

function engine(name) {
  const e = new Engine(sets[name], { allowUndefinedFacts: true, replaceFactsInEventParams: true });
  /* ISO dates (YYYY-MM-DD) order as strings. */
  e.addOperator('onOrAfter', (a, b) => typeof a === 'string' && a >= b);
  e.addOperator('before', (a, b) => typeof a === 'string' && a < b);
  e.addOperator('after', (a, b) => typeof a === 'string' && a > b);
  return e;
}
const engines = {};
for (const name of Object.keys(sets)) if (Array.isArray(sets[name])) engines[name] = engine(name);

/* The event of the highest-priority rule that fired, or null. */
async function first(name, facts) {
  const { results } = await engines[name].run(facts);
  let best = null;
  for (const r of results) if (!best || r.priority > best.priority) best = r;
  return best ? best.event : null;
}

/* ---- what JSON rules cannot say: dates and ages */
const isLeap = (y) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const ymd = (s) => [Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))];
function ageOn(birth, day) {
  const [by, bm, bd0] = ymd(birth);
  const [y, m, d] = ymd(day);
  const bd = bm === 2 && bd0 === 29 && !isLeap(y) ? 28 : bd0;
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
function birthday(birth, years) {
  const [by, bm, bd] = ymd(birth);
  const y = by + years;
  const d = bm === 2 && bd === 29 && !isLeap(y) ? 28 : bd;
  return String(y).padStart(4, '0') + '-' + String(bm).padStart(2, '0') + '-' + String(d).padStart(2, '0');
}
const monthAge = (birth, day) => ymd(day)[0] - ymd(birth)[0] - (ymd(day)[1] < ymd(birth)[1] ? 1 : 0);

/* ---- the case format's defaults */
const CASE_DEFAULTS = { insured_in_sweden: true, mental_disability: false, granted_minutes_before: 0,
  double_assistance_investigated: false, parental_share_basic_minutes: 0, parental_share_other_minutes: 0 };
const NEED_DEFAULTS = { assistants: 1, integrity_sensitive: false, tube_feeding: false, special_knowledge: false,
  activation_motivation: false, documented_risk: false, longest_break_hours: 24, exempt_related: false };

async function decideCase(record) {
  const c = Object.assign({}, CASE_DEFAULTS, record);
  const failed = await first('checks', c);
  if (failed) return errorRecord(echoId(record), failed.params.field, failed.params.message);
  const v = (await first('version', c)).params;

  let basicExempt = 0, basicRest = 0, otherExempt = 0, otherRest = 0;
  for (const item of c.needs) {
    const n = Object.assign({}, NEED_DEFAULTS, item,
      { mental_disability: c.mental_disability, medical_need: v.medical_need, activation: v.activation });
    n.basic = (await first('basic_need', n)) !== null;
    const exempt = (await first('exempt', n)) !== null;
    const minutes = n.minutes_per_week * (c.double_assistance_investigated && n.assistants > 1 ? n.assistants : 1);
    if (n.basic) {
      if (exempt) basicExempt += minutes; else basicRest += minutes;
    } else if (exempt) otherExempt += minutes; else otherRest += minutes;
  }

  const facts = Object.assign({}, c, v, {
    age_at_decision: ageOn(c.birth_date, c.decision_date),
    age_at_application: ageOn(c.birth_date, c.application_date),
    age_in_month: monthAge(c.birth_date, c.decision_date),
    birthday_65: birthday(c.birth_date, 65),
    birthday_66: birthday(c.birth_date, 66),
  });
  const claim = (await first('parental_deduction', facts)).params;
  facts.person_age_limit = (await first('age_limit', facts)).params.limit;
  const takenBasic = Math.min(claim.basic, basicRest), takenOther = Math.min(claim.other, otherRest);
  facts.basic_minutes = basicExempt + basicRest - takenBasic;
  facts.other_minutes = otherExempt + otherRest - takenOther;
  facts.age_condition_met = (await first('age_condition', facts)) !== null;
  facts.eligible = (await first('decision', facts)) !== null;
  facts.needed_minutes = facts.basic_minutes + facts.other_minutes;
  facts.capped_minutes = Math.min(facts.needed_minutes, c.granted_minutes_before);
  const payer = (await first('payer', facts)).params.payer;
  const granted = (await first('grant', facts)).params.granted;
  return {
    id: c.id, rules_version: v.rules_version, eligible: facts.eligible, payer: payer,
    basic_minutes: facts.basic_minutes, other_minutes: facts.other_minutes,
    parental_deduction_basic_minutes: takenBasic, parental_deduction_other_minutes: takenOther,
    granted_minutes: granted,
  };
}

const decide = async (text, raw) => {
  const parsed = parseRecord(text, raw);
  if (parsed.error) return parsed.error;
  try {
    return await decideCase(parsed.record);
  } catch (err) {
    /* A record the rules cannot take (a wrong type, a missing field): no validation says which field. */
    return errorRecord(echoId(parsed.record), null, 'json-rules-engine: ' + String(err.message || err));
  }
};

const started = process.hrtime.bigint();
run(process.argv[2] || '-', decide, 1).then((status) => {
  if (process.env.PEER_TIMING)
    fs.writeSync(2, `json-rules-engine: ${Number(process.hrtime.bigint() - started) / 1e9} s in the loop\n`);
  process.exitCode = status;
});
