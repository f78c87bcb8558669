"""Check sandbox traffic against GitHub's official OpenAPI description.

The 13 MB description is parsed once per process. Requests and responses are checked with
jsonschema validators compiled per operation from the raw description (`check_request`,
`check_response`); openapi-core (`spec_validator_cls=None` skips validating the description
itself, 37 s) is the slower reference they are tested against.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_schema_validator import OAS30ReadValidator
from openapi_schema_validator._format import oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
from werkzeug.datastructures import Headers, ImmutableMultiDict

SPEC_PATH = (
    Path(__file__).resolve().parent.parent
    / "npm/node_modules/@octokit/openapi/generated/api.github.com.json"
)
GITHUB_URL = "https://api.github.com"
_SPEC_URI = "urn:github-rest-api"

# Parameters GitHub documents as one path segment but that carry slashes in practice
# ("heads/main", "docs/a.md", "feature/x"): escaped so the description's templates match.
_SLASHED = (
    re.compile(r"^(/repos/[^/]+/[^/]+/(?:git/ref|git/refs|git/matching-refs|contents|branches"
               r"|compare))/(.+)()$"),
    re.compile(r"^(/repos/[^/]+/[^/]+/commits)/(.+?)"
               r"(/check-runs|/check-suites|/status|/statuses|/comments|/pulls"
               r"|/branches-where-head)?$"),
)


def spec_path(path: str) -> str:
    """`path` with slash-carrying parameters escaped (one segment, as the templates expect)."""
    for pattern in _SLASHED:
        m = pattern.match(path)
        if m is not None and "/" in m.group(2):
            return m.group(1) + "/" + m.group(2).replace("/", "%2F") + (m.group(3) or "")
    return path


@functools.cache
def spec_dict() -> dict[str, Any]:
    return json.loads(SPEC_PATH.read_bytes())


@functools.cache
def api() -> OpenAPI:
    return OpenAPI.from_dict(spec_dict(), config=Config(spec_validator_cls=None))


@dataclass
class SpecRequest:
    """A request as openapi-core sees it, on GitHub's own host."""

    method: str
    path: str
    query: Iterable[tuple[str, str]] = ()  # (name, value) pairs
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None
    content_type: str = "application/json"
    host_url: str = GITHUB_URL

    def __post_init__(self) -> None:
        self.method = self.method.lower()
        self.path = spec_path(self.path)
        self.query = tuple(self.query)
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(list(self.query)),
            header=Headers(list(self.headers.items())),
        )


@dataclass
class SpecResponse:
    status_code: int
    data: bytes
    headers: Mapping[str, str]
    content_type: str = "application/json"


@dataclass(frozen=True)
class Problem:
    """Why a request does not fit the description: the HTTP status to answer and the detail."""

    status: int
    message: str


def _clip(text: str, limit: int = 400) -> str:
    # keep both ends: jsonschema puts the (long) instance first and the reason last
    return text if len(text) <= limit else text[: limit // 2] + " ... " + text[-limit // 2:]


def _describe(error: BaseException) -> str:
    parts = [_clip(str(error))]
    cause = error.__cause__
    schema_errors = getattr(cause, "schema_errors", None)
    if cause is not None and schema_errors is None:
        parts.append(_clip(str(cause)))
    for e in schema_errors or ():
        where = "/".join(str(p) for p in e.absolute_path) or "(body)"
        parts.append(f"{where}: {_clip(e.message)}")
    return "; ".join(parts)


def check_request(request: SpecRequest) -> Problem | None:
    """None when the request fits the description, else the status and detail GitHub would
    answer. Compiled jsonschema validators over the raw description: well under a ms a request,
    where openapi-core's `unmarshal_request` (`check_request_openapi_core`, the reference a test
    compares this with) takes 30-50 ms, which made the sandbox the bottleneck of every
    multi-process test."""
    if request.body and request.content_type.startswith("application/json"):
        try:
            body: Any = json.loads(request.body)
        except ValueError:
            return Problem(400, "Problems parsing JSON")
    else:
        body = None
    found = _route(request.path)
    operation = None if found is None else _operation(found[0], request.method)
    if operation is None:
        return Problem(404, f"Not Found ({request.method.upper()} {request.path} is not in "
                            "GitHub's REST API description)")
    errors = operation.errors(found[1], request.query, request, body)  # type: ignore[index]
    if not errors:
        return None
    return Problem(422, "Invalid request.\n\n" + "; ".join(_clip(e) for e in errors))


def check_request_openapi_core(request: SpecRequest) -> Problem | None:
    """openapi-core's own request check: the reference `check_request` is tested against."""
    if request.body and request.content_type.startswith("application/json"):
        try:
            json.loads(request.body)
        except ValueError:
            return Problem(400, "Problems parsing JSON")
    result = api().unmarshal_request(request)
    if not result.errors:
        return None
    first = result.errors[0]
    if isinstance(first, PathNotFound | OperationNotFound):
        return Problem(404, f"Not Found ({request.method.upper()} {request.path} is not in "
                            "GitHub's REST API description)")
    return Problem(422, "Invalid request.\n\n" + "; ".join(_describe(e) for e in result.errors))


@dataclass(frozen=True)
class _Param:
    name: str
    required: bool
    schema: dict[str, Any]  # its schema, a top-level $ref resolved (for the casting)
    validator: Any


@dataclass(frozen=True)
class _Operation:
    """One documented operation, its checks compiled."""

    path_params: tuple[_Param, ...]  # in the template's order
    query: tuple[_Param, ...]
    media_types: tuple[str, ...]  # documented request body types; () when it takes none
    body_required: bool
    body: Any  # validator of the JSON body, or None

    def errors(self, values: tuple[str, ...], query: Iterable[tuple[str, str]],
               request: SpecRequest, body: Any) -> list[str]:
        out = []
        for param, value in zip(self.path_params, values, strict=True):
            out += _param_errors(param, value)
        given: dict[str, list[str]] = {}
        for name, value in query:
            given.setdefault(name, []).append(value)
        for param in self.query:
            if param.name in given:
                raw = given[param.name]
                out += _param_errors(param, raw if _is_array(param.schema) else raw[0])
            elif param.required:
                out.append(f"Missing required query parameter: {param.name}")
        if not request.body:
            if self.body_required:
                out.append("Missing required request body")
            return out
        if self.media_types and not any(request.content_type.startswith(m.split(";")[0])
                                        or m == "*/*" for m in self.media_types):
            out.append(f"Content for the following mimetype not found: {request.content_type}")
        elif self.body is not None and body is not None:
            out += [f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}"
                    for e in self.body.iter_errors(body)][:5]
        return out


def _param_errors(param: _Param, raw: str | list[str]) -> list[str]:
    value = _cast(raw, param.schema)
    return [f"{param.name}: {e.message}" for e in param.validator.iter_errors(value)][:2]


def _is_array(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "array"


def _cast(raw: str | list[str], schema: dict[str, Any]) -> Any:
    """A parameter's text as its schema's type (what openapi-core's casting does): left as text
    when it does not parse, so the validator names the mismatch."""
    if isinstance(raw, list):
        items = schema.get("items", {})
        values = raw if len(raw) > 1 or schema.get("explode", True) else raw[0].split(",")
        return [_cast(v, items) for v in values]
    types = [schema.get("type")] + [b.get("type") for b in schema.get("oneOf", ())]
    for kind in types:
        if kind == "integer" and re.fullmatch(r"-?[0-9]{1,30}", raw):
            return int(raw)
        if kind == "number":
            try:
                return float(raw)
            except ValueError:
                continue
        if kind == "boolean" and raw in ("true", "false"):
            return raw == "true"
    return raw


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    """A description node with its top-level `$ref` (to the same document) followed."""
    while "$ref" in node:
        target: Any = spec_dict()
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _validator(schema: dict[str, Any]) -> Any:
    return OAS30ReadValidator(schema, registry=_registry(), format_checker=oas30_format_checker)


def _ref(*parts: str) -> dict[str, str]:
    """A $ref into the description, for a validator that resolves through the registry."""
    pointer = "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)
    return {"$ref": f"{_SPEC_URI}#/{pointer}"}


@functools.cache
def _routes() -> list[tuple[re.Pattern[str], str]]:
    """Every template as a regex capturing its parameters, literal segments first."""
    out = []
    for template in spec_dict()["paths"]:
        pattern = re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(template))
        out.append((re.compile(pattern + "$"), template))
    out.sort(key=lambda item: item[1].count("{"))
    return out


def _route(path: str) -> tuple[str, tuple[str, ...]] | None:
    for rx, template in _routes():
        m = rx.match(path)
        if m is not None:
            return template, m.groups()
    return None


@functools.cache
def _operation(template: str, method: str) -> _Operation | None:
    item = spec_dict()["paths"][template]
    if method not in item or method == "parameters":
        return None
    op = item[method]
    params: dict[tuple[str, str], _Param] = {}
    for raw in [*item.get("parameters", ()), *op.get("parameters", ())]:
        p = _resolve(raw)
        schema = p.get("schema", {})
        casting = {**_resolve(schema), "explode": p.get("explode", True)}
        compiled = _validator({"$ref": _SPEC_URI + schema["$ref"]} if "$ref" in schema else schema)
        params[(p["in"], p["name"])] = _Param(p["name"], bool(p.get("required")), casting, compiled)
    names = re.findall(r"\{([^}]+)\}", template)
    body = _resolve(op.get("requestBody", {}))
    content = body.get("content", {})
    json_schema = content.get("application/json", {}).get("schema")
    body_validator = None
    if json_schema is not None:
        if "$ref" in op.get("requestBody", {}):
            where = op["requestBody"]["$ref"].lstrip("#/").split("/")
        else:
            where = ["paths", template, method, "requestBody"]
        body_validator = _validator(_ref(*where, "content", "application/json", "schema"))
    return _Operation(
        path_params=tuple(params[("path", n)] for n in names),
        query=tuple(p for (where, _), p in params.items() if where == "query"),
        media_types=tuple(content), body_required=bool(body.get("required")),
        body=body_validator,
    )  # fmt: skip


def check_response_openapi_core(request: SpecRequest, response: SpecResponse) -> str | None:
    """openapi-core's own response check (about 40 ms for a pull request): used by tests."""
    result = api().unmarshal_response(request, response)
    real = []
    for error in result.errors:
        schema_errors = getattr(error.__cause__, "schema_errors", None)
        if schema_errors and all(_nullable_enum(e) for e in schema_errors):
            continue
        real.append(error)
    return "; ".join(_describe(e) for e in real) or None


def match_template(path: str) -> str | None:
    found = _route(spec_path(path))
    return None if found is None else found[0]


@functools.cache
def _registry() -> Registry:
    return Registry().with_resource(
        _SPEC_URI, Resource.from_contents(spec_dict(), default_specification=DRAFT4)
    )


@functools.cache
def _response_validator(template: str, method: str, status: int) -> Any:
    """A compiled validator for one documented response (None: no JSON body documented)."""
    responses = spec_dict()["paths"][template][method]["responses"]
    key = str(status) if str(status) in responses else "default"
    if key not in responses:
        raise KeyError(status)
    pointer = "/".join(
        p.replace("~", "~0").replace("/", "~1")
        for p in ("paths", template, method, "responses", key)
    )
    response = responses[key]
    if "$ref" in response:  # a shared response under components/responses
        pointer = response["$ref"].lstrip("#/")
        response = spec_dict()["components"]["responses"][pointer.rsplit("/", 1)[-1]]
    if "application/json" not in response.get("content", {}):
        return None
    schema = {"$ref": f"{_SPEC_URI}#/{pointer}/content/application~1json/schema"}
    return OAS30ReadValidator(schema, registry=_registry(), format_checker=oas30_format_checker)


def _nullable_enum(error: Any) -> bool:
    # OAS 3.0: `nullable: true` with an enum that leaves out null (GitHub sends null)
    return error.validator == "enum" and error.instance is None and error.schema.get("nullable")


def _spurious(validator: Any, error: Any) -> bool:
    """Errors that come from quirks of the description, not from the response."""
    if _nullable_enum(error):
        return True
    if error.validator == "oneOf" and "is valid under each of" in error.message:
        return True  # overlapping alternatives (basic-error vs rule violation, ...)
    if error.validator == "oneOf" and "discriminator" in error.schema:
        # a discriminator keyed on "type" cannot pick a branch for an array (content listing)
        branches = [{"$ref": _SPEC_URI + b["$ref"]} if "$ref" in b else b
                    for b in error.schema["oneOf"]]
        plain = OAS30ReadValidator({"oneOf": branches}, registry=_registry(),
                                   format_checker=oas30_format_checker)
        return not any(True for _ in plain.iter_errors(error.instance))
    return False


def check_response(method: str, path: str, status: int, body: bytes) -> str | None:
    """None when a JSON response fits the documented schema for its status, else why not.

    jsonschema over the raw description with compiled validators: ~2 ms for a pull request,
    where openapi-core takes ~40 ms, so every sandbox response can afford it.
    """
    template = match_template(path)
    if template is None:
        return "path not in the description"
    method = method.lower()
    try:
        validator = _response_validator(template, method, status)
    except KeyError:
        return f"status {status} is not documented for {method.upper()} {template}"
    if validator is None or not body:
        return None
    errors = [e for e in validator.iter_errors(json.loads(body)) if not _spurious(validator, e)]
    if not errors:
        return None
    return "; ".join(
        f"{'/'.join(str(p) for p in e.absolute_path) or '(body)'}: {_clip(e.message)}"
        for e in errors[:5]
    )
