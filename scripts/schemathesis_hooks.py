"""A check for scripts/schemathesis.sh: a schema-valid request is never refused for its JSON shape.

Operations whose business rules refuse some schema-valid bodies with 422 are listed in
schemathesis.toml; this check still fails them when the refusal is a shape error (the server's
`body` field or a 400 bad_request), which means the document and the server disagree.
"""

import schemathesis


@schemathesis.check
def body_shape_accepted(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    if response.status_code not in (400, 422) or case.body is None:
        return None
    try:
        error = response.json().get("error", {})
    except ValueError:
        raise AssertionError("a refusal that is not the API's JSON error")
    shape = error.get("code") == "bad_request" or any(
        f.get("field") == "body" for f in error.get("fields", [])
    )
    if shape:
        raise AssertionError(f"schema-valid body refused for its shape: {error.get('message')}")
    return None
