"""A check for scripts/schemathesis.sh: a schema-valid request is never refused for its JSON shape.

Operations whose business rules refuse some schema-valid bodies with 422 are listed in
schemathesis.toml; this check still fails them when the refusal is a shape error (the server's
`body` field or a 400 bad_request), which means the document and the server disagree. Requests
whose path parameters break the document's pattern (the stateful phase reuses values from
earlier answers, e.g. a new grid's code where a village code belongs) are not schema-valid and
are skipped.
"""

import re
import uuid

import schemathesis


def _path_fits(case):
    raw = getattr(case.operation.definition, "raw", None) or {}
    values = case.path_parameters or {}
    for p in raw.get("parameters", []):
        if p.get("in") != "path":
            continue
        pattern = (p.get("schema") or {}).get("pattern")
        value = values.get(p.get("name"))
        if pattern and value is not None and not re.search(pattern, str(value)):
            return False
    return True


@schemathesis.check
def body_shape_accepted(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    if response.status_code not in (400, 422) or not _path_fits(case):
        return None
    try:
        error = response.json().get("error", {})
    except ValueError:
        raise AssertionError("a refusal that is not the API's JSON error")
    shape = error.get("code") == "bad_request" or any(
        f.get("field") == "body" for f in error.get("fields", [])
    )
    if shape:
        raise AssertionError(f"schema-valid request refused for its shape: {error.get('message')}")
    return None


@schemathesis.hook
def before_call(ctx, case, kwargs):
    """A fresh Idempotency-Key per request: generated keys repeat across different bodies, and
    reusing a key for another request is refused (422) by design."""
    # Only the generated headers: the request's other headers (Authorization from the command
    # line, or its deliberate absence in "missing header" cases) are schemathesis's business.
    headers = case.headers or {}
    for name in list(headers):
        if name.lower() == "idempotency-key":
            headers[name] = uuid.uuid4().hex
