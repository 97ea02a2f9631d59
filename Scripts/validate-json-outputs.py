#!/usr/bin/env python3
"""Validates generated JSON documents against their JSON schemas with the `jsonschema` package.

Input: a JSON Lines file, one {"schema": "<file name in Tests/Fixtures/grammar/schemas>",
"text": "<generated text>"} per line. Prints how many parse and validate, per schema and in
all; exits 1 when any fails, unless --report (then it only reports, for unconstrained runs).
"""
import json
import os
import sys
from collections import Counter

import jsonschema

SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "grammar", "schemas")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    report_only = "--report" in sys.argv
    if len(args) != 1:
        raise SystemExit("usage: validate-json-outputs.py [--report] OUTPUTS.jsonl")
    total, failures = Counter(), Counter()
    examples = []
    with open(args[0]) as f:
        for line in f:
            record = json.loads(line)
            name = record["schema"]
            with open(os.path.join(SCHEMAS, name)) as s:
                schema = json.load(s)
            total[name] += 1
            try:
                jsonschema.validate(json.loads(record["text"]), schema)
            except (json.JSONDecodeError, jsonschema.ValidationError) as error:
                failures[name] += 1
                if len(examples) < 5:
                    examples.append((name, record["text"][:200], str(error).splitlines()[0][:160]))
    for name in sorted(total):
        print(f"{name}: {total[name] - failures[name]}/{total[name]} valid")
    n, bad = sum(total.values()), sum(failures.values())
    print(f"all: {n - bad}/{n} valid ({100.0 * bad / max(n, 1):.1f}% invalid)")
    for name, text, why in examples:
        print(f"  invalid ({name}): {text!r}: {why}")
    if bad and not report_only:
        sys.exit(1)


if __name__ == "__main__":
    main()
