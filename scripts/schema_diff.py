"""Breaking changes of the served OpenAPI schema against the committed one (docs/openapi.yaml).

Breaking: an operation removed, a response field removed or its type changed, a request field or query
parameter that becomes required, or a request field's type changed. Additions are fine. Regenerate the
committed file after an announced change (docs/api.md, "Versioning"):
    DJANGO_SETTINGS_MODULE=portal.settings.test .venv/bin/python manage.py spectacular --file docs/openapi.yaml
Usage: python scripts/schema_diff.py OLD.yaml NEW.yaml  (exit 1 and a list when something breaks)."""

import sys

import yaml

METHODS = ("get", "post", "put", "patch", "delete")


def _resolve(schema, spec):
    """The schema a field points at. A reference wrapped in a one-part `allOf` is the same reference: the
    generator wraps it only to give it a title, which it omits when the title equals the field's name (as in
    English), so the wrapping varies with the language the schema was served in."""
    while isinstance(schema, dict):
        if "$ref" in schema:
            schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        elif len(schema.get("allOf", ())) == 1 and "properties" not in schema:
            schema = schema["allOf"][0]
        else:
            break
    return schema or {}


def _props(schema, spec, prefix: str = "", depth: int = 0):
    """({dotted field name: schema}, required names at the top) of a body, nested objects and lists included."""
    schema = _resolve(schema, spec)
    if schema.get("type") == "array" and depth < 5:
        return _props(schema.get("items", {}), spec, prefix, depth + 1)
    fields, required = {}, set(schema.get("required", []))
    for part in schema.get("allOf", []):
        more, more_required = _props(part, spec, prefix, depth + 1)
        fields |= more
        required |= more_required
    for name, field in schema.get("properties", {}).items():
        field = _resolve(field, spec)
        fields[prefix + name] = field
        if depth < 5:
            fields |= _props(field, spec, f"{prefix}{name}.", depth + 1)[0]
    return fields, required


def breaking_changes(old: dict, new: dict) -> list[str]:
    problems = []
    for path, ops in old.get("paths", {}).items():
        for method in METHODS:
            if method not in ops:
                continue
            where = f"{method.upper()} {path}"
            new_op = new.get("paths", {}).get(path, {}).get(method)
            if new_op is None:
                problems.append(f"{where}: operation removed")
                continue
            old_q = {p["name"]: p for p in ops[method].get("parameters", []) if p.get("in") == "query"}
            for p in new_op.get("parameters", []):
                if p.get("in") == "query" and p.get("required") and not old_q.get(p["name"], {}).get("required"):
                    problems.append(f"{where}: query parameter {p['name']} now required")
            for code, response in ops[method].get("responses", {}).items():
                if not code.startswith("2"):
                    continue
                old_schema = response.get("content", {}).get("application/json", {}).get("schema")
                new_resp = new_op.get("responses", {}).get(code)
                if new_resp is None:
                    problems.append(f"{where}: response {code} removed")
                    continue
                new_schema = new_resp.get("content", {}).get("application/json", {}).get("schema")
                (old_p, _), (new_p, _) = _props(old_schema, old), _props(new_schema, new)
                for name, field in old_p.items():
                    if name not in new_p:
                        problems.append(f"{where}: response field {name} removed")
                    elif field.get("type") != new_p[name].get("type"):
                        problems.append(f"{where}: response field {name} changed type")
            old_body = ops[method].get("requestBody", {}).get("content", {})
            new_body = new_op.get("requestBody", {}).get("content", {})
            for media, content in new_body.items():
                old_schema = old_body.get(media, {}).get("schema")
                if old_schema is None:
                    continue
                (old_p, old_req), (new_p, new_req) = _props(old_schema, old), _props(content.get("schema"), new)
                for name in sorted(new_req - old_req):
                    problems.append(f"{where}: request field {name} now required")
                for name, field in old_p.items():
                    if name in new_p and field.get("type") != new_p[name].get("type"):
                        problems.append(f"{where}: request field {name} changed type")
    return problems


if __name__ == "__main__":
    with open(sys.argv[1]) as a, open(sys.argv[2]) as b:
        found = breaking_changes(yaml.safe_load(a), yaml.safe_load(b))
    print("\n".join(found) or "no breaking change")
    sys.exit(1 if found else 0)
