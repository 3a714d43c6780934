#!/usr/bin/env python3
"""Writes lss.jdm.json: the LSS rules of shared/spec/lss-cases.md ("What the rules say", all
four versions) as a GoRules ZEN decision graph (JDM), for the benchmark's peer comparison.

    python3 bench/peers/zen/make_graph.py > bench/peers/zen/lss.jdm.json

The graph is written here rather than by hand so that its tables read as tables; the JSON
is what the engine loads. It uses what ZEN offers where the rules are of that shape:
JSON Schema on the input node for the record format, decision tables (first hit) for the
version in force, the checks, which needs are basic, the exemptions, the föräldraavdrag
table, the age limit, eligibility, payer and grant, a loop-mode table for the per-need
rules, and expression nodes for dates and sums.

What ZEN cannot say, and where the graph therefore differs from regel (see
docs/performance.md): the record arrives through JSON.parse in Node, so a duplicate key
(the last wins), `60.0` given for an integer, and a `longest_break_hours` spelled finer than
a double are invisible to it; a schema error names the path but one message per record is
whatever the validator reports first, not the spec's order; and there is no `fired` list
(ZEN's trace names nodes, not the statute's rules).
"""

import json
import sys

BASIC_KINDS = ["andning", "personlig_hygien", "maltider", "pakladning", "kommunikation",
               "psykisk_skada", "medicinskt_tillstand"]
OTHER_KINDS = ["forflyttning", "matlagning", "inkop", "stad_tvatt", "fritid", "boende",
               "traning", "medicinering", "ovrigt"]

nodes = []
edges = []


def node(ident, kind, content=None):
    n = {"id": ident, "name": ident, "type": kind,
         "position": {"x": 200 * len(nodes), "y": 100}}
    if content is not None:
        n["content"] = content
    nodes.append(n)
    return ident


def edge(src, dst, handle=None):
    e = {"id": "%s-%s" % (src, dst), "type": "edge", "sourceId": src, "targetId": dst}
    if handle:
        e["sourceHandle"] = handle
    edges.append(e)


def table(ident, inputs, outputs, rows, loop_over=None, output_path=None):
    """A first-hit decision table. inputs: [(column id, field expression or None)];
    outputs: [(column id, output field)]; rows: lists of cells, inputs then outputs."""
    content = {
        "hitPolicy": "first",
        "passThrough": True,
        "inputs": [dict({"id": c, "name": c}, **({"field": f} if f else {})) for c, f in inputs],
        "outputs": [{"id": c, "name": c, "field": f} for c, f in outputs],
        "rules": [],
    }
    cols = [c for c, _ in inputs] + [c for c, _ in outputs]
    for i, row in enumerate(rows):
        assert len(row) == len(cols), (ident, row)
        rule = {"_id": "%s-%d" % (ident, i + 1)}
        rule.update(dict(zip(cols, row)))
        content["rules"].append(rule)
    if loop_over:
        content.update({"executionMode": "loop", "inputField": loop_over,
                        "outputPath": output_path or loop_over})
    return node(ident, "decisionTableNode", content)


def expressions(ident, pairs, pass_through=True, loop_over=None, output_path=None):
    content = {"passThrough": pass_through,
               "expressions": [{"id": "%s-%s" % (ident, k), "key": k, "value": v}
                               for k, v in pairs]}
    if loop_over:
        content.update({"executionMode": "loop", "inputField": loop_over,
                        "outputPath": output_path or loop_over})
    return node(ident, "expressionNode", content)


def q(s):
    return json.dumps(s)


# ---------------------------------------------------------------- the case format

DATE = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
NEED = {
    "type": "object", "additionalProperties": False,
    "required": ["kind", "minutes_per_week"],
    "properties": {
        "kind": {"type": "string", "enum": BASIC_KINDS + OTHER_KINDS},
        "minutes_per_week": {"type": "integer", "minimum": 0, "maximum": 10080},
        "assistants": {"type": "integer", "minimum": 1, "maximum": 4},
        "integrity_sensitive": {"type": "boolean"},
        "tube_feeding": {"type": "boolean"},
        "special_knowledge": {"type": "boolean"},
        "activation_motivation": {"type": "boolean"},
        "documented_risk": {"type": "boolean"},
        "longest_break_hours": {"type": "number", "minimum": 0, "maximum": 24},
        "exempt_related": {"type": "boolean"},
    },
}
CASE = {
    "type": "object", "additionalProperties": False,
    "required": ["id", "decision_date", "application_date", "birth_date", "personkrets",
                 "lasting", "needs"],
    "properties": {
        "id": {"type": "string"},
        "decision_date": DATE, "application_date": DATE, "birth_date": DATE,
        "personkrets": {"type": "integer", "minimum": 0, "maximum": 3},
        "lasting": {"type": "boolean"},
        "insured_in_sweden": {"type": "boolean"},
        "mental_disability": {"type": "boolean"},
        "granted_minutes_before": {"type": "integer", "minimum": 0, "maximum": 40320},
        "double_assistance_investigated": {"type": "boolean"},
        "parental_share_basic_minutes": {"type": "integer", "minimum": 0, "maximum": 10080},
        "parental_share_other_minutes": {"type": "integer", "minimum": 0, "maximum": 10080},
        "needs": {"type": "array", "items": NEED},
    },
}
request = node("request", "inputNode", {"schema": json.dumps(CASE)})

# ---------------------------------------------------------------- checks and the version in force

checks = table(
    "checks",
    [("c", None)],
    [("field", "error.field"), ("message", "error.message")],
    [["date(application_date) > date(decision_date)", q("application_date"),
      q("after the decision date")],
     ["date(birth_date) > date(application_date)", q("birth_date"),
      q("after the application date")],
     ["date(decision_date) < date(\"2020-07-01\")", q("decision_date"),
      q("before the oldest rule version")],
     ["", "null", "null"]])
edge(request, checks)

split = node("has_error", "switchNode", {"hitPolicy": "first", "statements": [
    {"id": "is_error", "condition": "error.field != null"},
    {"id": "is_case", "condition": ""}]})
edge(checks, split)

error_record = expressions("error_record", [
    ("id", "id"), ("error", "{field: error.field, message: error.message}")], pass_through=False)
edge(split, error_record, "is_error")

# One row per rule version: what changed is data in the row.
version = table(
    "version",
    [("from", "date(decision_date)")],
    [("rules_version", "v.rules_version"), ("age_limit", "v.general_age_limit"),
     ("keep65", "v.keeps_65"), ("keep66", "v.keeps_66"), ("table", "v.deduction"),
     ("need7", "v.medical_need"), ("activation", "v.activation")],
    [['>= date("2026-01-01")', q("2026-01-01"), "67", "true", "true", q("2025"), "true", "true"],
     ['>= date("2025-01-01")', q("2025-01-01"), "66", "true", "false", q("2025"), "true", "true"],
     ['>= date("2023-01-01")', q("2023-01-01"), "66", "true", "false", q("2023"), "true", "true"],
     ['>= date("2020-07-01")', q("2020-07-01"), "65", "false", "false", q("individual"),
      "false", "false"]])
edge(split, version, "is_case")

# ---------------------------------------------------------------- dates and ages

LEAP = "({y} % 4 == 0 and ({y} % 100 != 0 or {y} % 400 == 0))"


def age_on(y, m, d):
    """Whole years on the day; a 29 February birthday is 28 February in common years."""
    bday = "(($.b_m == 2 and $.b_d == 29 and not %s) ? 28 : $.b_d)" % LEAP.format(y=y)
    return "{y} - $.b_y - (({m} < $.b_m or ({m} == $.b_m and {d} < {bday})) ? 1 : 0)".format(
        y=y, m=m, d=d, bday=bday)


ages = expressions("ages", [
    ("b_y", "d(birth_date).year()"), ("b_m", "d(birth_date).month()"),
    ("b_d", "d(birth_date).day()"),
    ("dec_y", "d(decision_date).year()"), ("dec_m", "d(decision_date).month()"),
    ("dec_d", "d(decision_date).day()"),
    ("app_y", "d(application_date).year()"), ("app_m", "d(application_date).month()"),
    ("app_d", "d(application_date).day()"),
    ("age_at_decision", age_on("$.dec_y", "$.dec_m", "$.dec_d")),
    ("age_at_application", age_on("$.app_y", "$.app_m", "$.app_d")),
    # förordning (1993:1091) 4 a §: the age reached in the month of the decision
    ("age_in_month", "$.dec_y - $.b_y - ($.dec_m < $.b_m ? 1 : 0)"),
    # the 65th birthday before 2023-01-01, the 66th before 2026-01-01 (prop. 2021/22:181)
    ("turned_65_before_2023", "$.b_y + 65 < 2023"),
    ("turned_66_before_2026", "$.b_y + 66 < 2026"),
])
edge(version, ages)

person_limit = table(
    "person_age_limit",
    [("keep65", None), ("keep66", None)],
    [("limit", "person_age_limit")],
    [["v.keeps_65 and turned_65_before_2023", "", "65"],
     ["", "v.keeps_66 and turned_66_before_2026", "66"],
     ["", "", "v.general_age_limit"]])
edge(ages, person_limit)

# ---------------------------------------------------------------- the needs (9 a § LSS)

counted = expressions("counted_minutes", [
    ("counted", "minutes_per_week * ((assistants ?? 1) > 1 and "
                "$nodes.request.double_assistance_investigated == true ? assistants : 1)")],
    loop_over="needs", output_path="items")
edge(person_limit, counted)

MENTAL = "$nodes.request.mental_disability == true"
basic = table(
    "basic_need",
    [("kind", "kind"), ("when", None)],
    [("basic", "basic")],
    [[q("andning"), "documented_risk == true", "true"],
     ['"personlig_hygien", "pakladning"', "integrity_sensitive == true", "true"],
     [q("maltider"), "tube_feeding == true or integrity_sensitive == true", "true"],
     [q("kommunikation"), "special_knowledge == true", "true"],
     [q("psykisk_skada"), MENTAL + " and documented_risk == true", "true"],
     [q("medicinskt_tillstand"), "$nodes.version.v.medical_need and documented_risk == true "
                                  "and (longest_break_hours ?? 24) <= 12", "true"],
     ['"personlig_hygien", "maltider", "pakladning", "kommunikation"',
      "$nodes.version.v.activation and activation_motivation == true and " + MENTAL, "true"],
     ["", "", "false"]],
    loop_over="items")
edge(counted, basic)

exempt = table(
    "exempt_from_deduction",
    [("basic", "basic"), ("kind", "kind"), ("when", None)],
    [("exempt", "exempt")],
    [["true", q("andning"), "", "true"],
     ["true", q("medicinskt_tillstand"), "", "true"],
     ["true", q("maltider"), "tube_feeding == true", "true"],
     ["false", "", "exempt_related == true", "true"],
     ["", "", "", "false"]],
    loop_over="items")
edge(basic, exempt)

sums = expressions("sums", [
    ("basic_exempt", "sum(map(filter(items, #.basic and #.exempt), #.counted))"),
    ("basic_deductible", "sum(map(filter(items, #.basic and not #.exempt), #.counted))"),
    ("other_exempt", "sum(map(filter(items, not #.basic and #.exempt), #.counted))"),
    ("other_deductible", "sum(map(filter(items, not #.basic and not #.exempt), #.counted))"),
])
edge(exempt, sums)

# ---------------------------------------------------------------- föräldraavdrag

deduction = table(
    "parental_deduction",
    [("table", "v.deduction"), ("age", "age_in_month"), ("child", "age_at_decision")],
    [("basic", "claim_basic"), ("other", "claim_other")],
    [[q("2023"), "0", "", "5040", "0"],
     [q("2023"), "[1..6]", "", "1050", "210"],
     [q("2023"), "[7..11]", "", "420", "420"],
     [q("2023"), "[12..17]", "", "0", "420"],
     [q("2025"), "0", "", "2520", "0"],
     [q("2025"), "[1..6]", "", "525", "105"],
     [q("2025"), "[7..11]", "", "210", "210"],
     [q("2025"), "[12..17]", "", "0", "210"],
     [q("individual"), "", "< 18", "parental_share_basic_minutes ?? 0",
      "parental_share_other_minutes ?? 0"],
     ["", "", "", "0", "0"]])
edge(sums, deduction)

minutes = expressions("minutes", [
    ("parental_deduction_basic_minutes", "min([claim_basic, basic_deductible])"),
    ("parental_deduction_other_minutes", "min([claim_other, other_deductible])"),
    ("basic_minutes", "basic_exempt + basic_deductible - $.parental_deduction_basic_minutes"),
    ("other_minutes", "other_exempt + other_deductible - $.parental_deduction_other_minutes"),
    ("age_condition_met", "age_at_application < person_age_limit or "
                          "(granted_minutes_before ?? 0) > 0"),
])
edge(deduction, minutes)

# ---------------------------------------------------------------- the decision

eligible = table(
    "eligibility",
    [("krets", "personkrets"), ("lasting", "lasting"), ("age", "age_condition_met"),
     ("basic", "basic_minutes")],
    [("eligible", "eligible")],
    [["[1..3]", "true", "true", "> 0", "true"],
     ["", "", "", "", "false"]])
edge(minutes, eligible)

payer = table(
    "payer",
    [("eligible", "eligible"), ("basic", "basic_minutes"), ("insured", "insured_in_sweden ?? true")],
    [("payer", "payer")],
    [["true", "> 1200", "true", q("forsakringskassan")],
     ["true", "", "", q("kommun")],
     ["", "", "", q("none")]])
edge(eligible, payer)

grant = table(
    "grant",
    [("eligible", "eligible"), ("over_limit", None)],
    [("granted", "granted_minutes")],
    [["true", "age_at_decision >= person_age_limit and (granted_minutes_before ?? 0) > 0",
      "min([basic_minutes + other_minutes, granted_minutes_before])"],
     ["true", "", "basic_minutes + other_minutes"],
     ["", "", "0"]])
edge(payer, grant)

result = expressions("result", [(k, k) for k in [
    "id"]] + [("rules_version", "v.rules_version")] + [(k, k) for k in [
        "eligible", "payer", "basic_minutes", "other_minutes",
        "parental_deduction_basic_minutes", "parental_deduction_other_minutes",
        "granted_minutes"]], pass_through=False)
edge(grant, result)

response = node("response", "outputNode")
edge(result, response)
edge(error_record, response)

json.dump({"contentType": "application/vnd.gorules.decision", "nodes": nodes, "edges": edges},
          sys.stdout, indent=1, ensure_ascii=False)
sys.stdout.write("\n")
