"""Write endpoints.json from the Elasticsearch specification's schema.json.

    python extract_endpoints.py path/to/schema.json > endpoints.json

Keeps, for each endpoint: its URL paths and methods, the names of its query
parameters (with the members of those typed as an enum), the names of the
top-level properties of its JSON body (with their aliases) and the body kind.
That is what tests/search/test_es_spec.py checks Docket's requests against.
"""

from __future__ import annotations

import json
import sys
from typing import Any

COMMON = ("CommonQueryParameters", "CommonCatQueryParameters")


def _enum_members(types: dict[tuple[str, str], Any], kind: dict[str, Any]) -> list[str] | None:
    if kind.get("kind") != "instance_of":
        return None
    found = types.get((kind["type"]["namespace"], kind["type"]["name"]))
    if not found or found.get("kind") != "enum":
        return None
    return [m["name"] for m in found["members"]] + [a for m in found["members"]
                                                     for a in m.get("aliases", [])]


def _query(types: dict[tuple[str, str], Any], request: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    behaviours = set(request.get("attachedBehaviors", []))
    parent = request.get("inherits")
    while parent:
        base = types[(parent["type"]["namespace"], parent["type"]["name"])]
        behaviours |= set(base.get("attachedBehaviors", []))
        parent = base.get("inherits")
    for behaviour in sorted(behaviours & set(COMMON)):
        for prop in types[("_spec_utils", behaviour)]["properties"]:
            params[prop["name"]] = _enum_members(types, prop["type"])
    for prop in request.get("query", []):
        params[prop["name"]] = _enum_members(types, prop["type"])
        for alias in prop.get("aliases", []):
            params[alias] = params[prop["name"]]
    return params


def main(schema_path: str) -> None:
    with open(schema_path, encoding="utf-8") as file:
        schema = json.load(file)
    types = {(t["name"]["namespace"], t["name"]["name"]): t for t in schema["types"]}
    endpoints = []
    for endpoint in schema["endpoints"]:
        request_name = endpoint.get("request")
        request = types.get((request_name["namespace"], request_name["name"])) \
            if request_name else None
        body: dict[str, Any] = {"kind": "no_body"}
        query: dict[str, Any] = {}
        if request:
            query = _query(types, request)
            body = {"kind": request["body"]["kind"]}
            if body["kind"] == "properties":
                body["properties"] = sorted(
                    {p["name"] for p in request["body"]["properties"]}
                    | {a for p in request["body"]["properties"] for a in p.get("aliases", [])}
                )
        endpoints.append({
            "name": endpoint["name"],
            "urls": [{"path": u["path"], "methods": u["methods"]} for u in endpoint["urls"]],
            "query": query,
            "body": body,
        })
    json.dump({"_info": schema["_info"], "endpoints": endpoints}, sys.stdout,
              ensure_ascii=False, indent=None, separators=(",", ":"), sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
