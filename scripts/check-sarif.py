#!/usr/bin/env python3
"""Validates SARIF files against the SARIF 2.1.0 JSON schema (tests/sarif/), and checks
what the schema cannot: every result's ruleIndex names its ruleId, regions are ordered.

Usage: check-sarif.py SCHEMA FILE...   (exit 1 on the first invalid file)
"""
import json
import sys

import jsonschema


def main():
    schema_path, files = sys.argv[1], sys.argv[2:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft4Validator(schema)
    bad = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
        for e in errors[:5]:
            print(f"{path}: {'/'.join(map(str, e.path))}: {e.message}")
        for run in log.get("runs", []):
            rules = run["tool"]["driver"].get("rules", [])
            for r in run.get("results", []):
                if rules[r["ruleIndex"]]["id"] != r["ruleId"]:
                    errors.append(r)
                    print(f"{path}: result {r['ruleId']} points at rule {r['ruleIndex']}")
                for loc in r.get("locations", []):
                    reg = loc["physicalLocation"]["region"]
                    if (reg["endLine"], reg["endColumn"]) < (reg["startLine"], reg["startColumn"]):
                        errors.append(r)
                        print(f"{path}: region ends before it starts: {reg}")
        bad += bool(errors)
    print(f"{len(files) - bad} passed, {bad} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
