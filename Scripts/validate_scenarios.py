"""Checks every shipped scenario against Scenarios/scenario.schema.json (the editors' schema).

Run: python3 Scripts/validate_scenarios.py  (needs PyYAML and jsonschema; CI skips it when they are missing).
jukisim's own validation (`jukisim validate`) is the reference; this keeps the schema in step with it.
"""
import glob
import json
import os
import sys

try:
    import jsonschema
    import yaml
except ImportError:
    print("validate_scenarios: PyYAML or jsonschema missing; skipped")
    sys.exit(0)

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
schema = json.load(open(os.path.join(root, "Scenarios", "scenario.schema.json"), encoding="utf-8"))
validator = jsonschema.Draft202012Validator(schema)
failed = 0
SUITE = {
    "type": "object", "additionalProperties": False, "required": ["suite", "scenarios"],
    "properties": {
        "suite": {"type": "string"}, "description": {"type": "string"},
        "jobs": {"type": "integer", "minimum": 1, "maximum": 64},
        "scenarios": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["file"],
            "properties": {"name": {"type": "string"}, "file": {"type": "string"}, "startAfter": {"type": "string"},
                           "baseline": {"type": "string"}, "budget": {"type": ["number", "string"]}}}},
    },
}
for path in sorted(glob.glob(os.path.join(root, "Scenarios", "*.yaml"))):
    # Dates and times stay strings, as jukisim reads them.
    text = open(path, encoding="utf-8").read()
    data = yaml.load(text, Loader=yaml.BaseLoader)

    def numbers(v):
        if isinstance(v, dict):
            return {k: numbers(x) for k, x in v.items()}
        if isinstance(v, list):
            return [numbers(x) for x in v]
        for cast in (int, float):
            try:
                return cast(v)
            except (TypeError, ValueError):
                pass
        return {"true": True, "false": False}.get(v, v)

    data = numbers(data)
    if "suite" in data:
        # A suite (ScenarioSuite.swift) names scenario files; jukisim validate checks each of them.
        errors = sorted(jsonschema.Draft202012Validator(SUITE).iter_errors(data), key=lambda e: list(e.path))
        for e in errors:
            print(f"{os.path.relpath(path, root)}: {'.'.join(map(str, e.path)) or '(top)'}: {e.message}")
        failed += len(errors)
        for entry in data.get("scenarios", []):
            if not os.path.exists(os.path.join(os.path.dirname(path), str(entry.get("file", "")))):
                print(f"{os.path.relpath(path, root)}: scenarios: {entry.get('file')} does not exist")
                failed += 1
        if not errors:
            print(f"{os.path.relpath(path, root)}: a valid suite")
        continue
    # Keys that are always text in jukisim, even when they look numeric.
    if isinstance(data.get("population"), dict) and "municipality" in data["population"]:
        data["population"]["municipality"] = str(data["population"]["municipality"])
    if "start" in data:
        data["start"] = str(data["start"])
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    for e in errors:
        print(f"{os.path.relpath(path, root)}: {'.'.join(map(str, e.path)) or '(top)'}: {e.message}")
    failed += len(errors)
    if not errors:
        print(f"{os.path.relpath(path, root)}: matches the schema")
sys.exit(1 if failed else 0)
