#!/usr/bin/python3
"""Extracts the request-body fields of every operation of Linode's OpenAPI spec into
tests/api/data/request_fields.json: for each operationId its method, path and every field of its
JSON request body (nested objects and the objects of lists too), each with its JSON type and
whether it may be null. Read-only fields are left out. Only names and types are kept.

    /usr/bin/python3 scripts/extract_request_fields.py SPEC.yaml > tests/api/data/request_fields.json
"""
import json
import sys

import yaml

METHODS = ("get", "put", "post", "delete", "patch")


def resolve(spec, node, seen=()):
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if ref in seen:
            return {}
        seen = seen + (ref,)
        target = spec
        for part in ref.lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def merged(spec, schema, seen=()):
    """A schema with allOf merged and the first alternative of oneOf/anyOf taken."""
    schema = resolve(spec, schema, seen)
    if not isinstance(schema, dict):
        return {}
    out = {k: v for k, v in schema.items() if k not in ("allOf", "oneOf", "anyOf")}
    for part in schema.get("allOf", []):
        sub = merged(spec, part, seen)
        out.setdefault("properties", {})
        out["properties"] = {**out["properties"], **sub.get("properties", {})}
        for key in ("type", "nullable", "items"):
            if key in sub and key not in out:
                out[key] = sub[key]
    for key in ("oneOf", "anyOf"):
        alternatives = schema.get(key, [])
        if alternatives:
            props = {}
            for alt in alternatives:
                props.update(merged(spec, alt, seen).get("properties", {}))
            if props:
                out["properties"] = {**props, **out.get("properties", {})}
                out.setdefault("type", "object")
            elif "type" not in out:
                out.update({k: v for k, v in merged(spec, alternatives[0], seen).items()
                            if k in ("type", "nullable", "items")})
    if "properties" in out and "type" not in out:
        out["type"] = "object"
    return out


def fields(spec, schema, prefix, depth, out):
    schema = merged(spec, schema)
    for name, prop in sorted(schema.get("properties", {}).items()):
        prop = merged(spec, prop)
        if prop.get("readOnly"):
            continue
        path = prefix + [name]
        kind = prop.get("type", "object" if "properties" in prop else None)
        if kind is None:
            continue
        out.append({"path": path, "type": kind, "nullable": bool(prop.get("nullable"))})
        if depth >= 3:
            continue
        if kind == "object":
            fields(spec, prop, path, depth + 1, out)
        elif kind == "array":
            items = merged(spec, prop.get("items", {}))
            if items.get("type") == "object" or "properties" in items:
                fields(spec, items, path + ["[]"], depth + 1, out)
            elif items.get("type"):
                out.append({"path": path + ["[]"], "type": items["type"],
                            "nullable": bool(items.get("nullable"))})


def main():
    with open(sys.argv[1]) as f:
        spec = yaml.safe_load(f)
    result = {}
    for path, item in spec["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if not op or "operationId" not in op:
                continue
            body = resolve(spec, op.get("requestBody", {}))
            schema = body.get("content", {}).get("application/json", {}).get("schema")
            if not schema:
                continue
            out = []
            fields(spec, schema, [], 0, out)
            result[op["operationId"]] = {"method": method.upper(), "path": path, "fields": out}
    json.dump(result, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
