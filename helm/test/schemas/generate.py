#!/usr/bin/env python3
"""Regenerates the JSON schemas kubeconform validates the rendered chart against, offline afterwards.

Kubernetes: the OpenAPI v2 document (api/openapi-spec/swagger.json) of the k8s.io/kubernetes Go module
at KUBERNETES_VERSION becomes kubernetes/v<version>-strict/: one file per kind, named as kubeconform
looks them up ({kind}-{group}-{version}.json), and _definitions.json that they all $ref. "strict" as in
kubeconform's own schemas: an object with declared properties refuses any other (a misspelt or
misplaced field fails), int-or-string accepts both, optional fields accept null.

CRDs: the CustomResourceDefinitions of the operators the chart targets, taken from their Go modules,
converted by kubeconform's own scripts/openapi2jsonschema.py into crds/.

Needs go (to download the modules) and python3 with PyYAML. Run from anywhere:
    python3 helm/test/schemas/generate.py
"""

import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile

KUBERNETES_VERSION = "1.35.4"
KUBECONFORM = "github.com/yannh/kubeconform@v0.7.0"
CRD_MODULES = {
    "github.com/prometheus-operator/prometheus-operator@v0.85.0": [
        "example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml",
        "example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml",
    ],
    "github.com/kedacore/keda/v2@v2.21.0": [
        "config/crd/bases/keda.sh_scaledobjects.yaml",
        "config/crd/bases/keda.sh_triggerauthentications.yaml",
    ],
}
HERE = os.path.dirname(os.path.abspath(__file__))


def module_dir(module):
    out = subprocess.run(["go", "mod", "download", "-json", module], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)["Dir"]


def strip_descriptions(node):
    if isinstance(node, dict):
        return {k: strip_descriptions(v) for k, v in node.items() if k != "description"}
    if isinstance(node, list):
        return [strip_descriptions(v) for v in node]
    return node


def strictify(node, ref_prefix, top=True):
    """kubeconform's -strict schemas: closed objects, int-or-string, nullable optional fields."""
    if isinstance(node, list):
        return [strictify(v, ref_prefix, False) for v in node]
    if not isinstance(node, dict):
        return node
    if node.get("format") == "int-or-string":
        return {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}
    out = {}
    for key, value in node.items():
        if key == "$ref":
            out[key] = ref_prefix + value[len("#/definitions/"):]
        elif key == "properties":
            out[key] = {name: strictify(prop, ref_prefix, False) for name, prop in value.items()}
        else:
            out[key] = strictify(value, ref_prefix, False)
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if not top and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    return out


def kubernetes_schemas(target):
    source = os.path.join(module_dir(f"k8s.io/kubernetes@v{KUBERNETES_VERSION}"), "api/openapi-spec/swagger.json")
    with open(source) as f:
        definitions = strip_descriptions(json.load(f)["definitions"])
    shutil.rmtree(target, ignore_errors=True)
    os.makedirs(target)
    shared = {
        name: strictify(schema, "#/definitions/", top=True) for name, schema in definitions.items()
    }
    with open(os.path.join(target, "_definitions.json"), "w") as f:
        json.dump({"definitions": shared}, f, separators=(",", ":"), sort_keys=True)
    written = 0
    for name, schema in definitions.items():
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            group, version, kind = gvk["group"], gvk["version"], gvk["kind"]
            # Only a definition's own kind: v1.DeleteOptions is tagged with every group.
            if not name.endswith("." + kind):
                continue
            api_version = f"{group}/{version}" if group else version
            one = strictify(copy.deepcopy(schema), "_definitions.json#/definitions/", top=True)
            props = one.setdefault("properties", {})
            props["apiVersion"] = {"type": "string", "enum": [api_version]}
            props["kind"] = {"type": "string", "enum": [kind]}
            suffix = f"-{group.split('.')[0]}-{version}" if group else f"-{version}"
            with open(os.path.join(target, f"{kind.lower()}{suffix}.json"), "w") as f:
                json.dump(one, f, indent=1, sort_keys=True)
                f.write("\n")
            written += 1
    print(f"{written} Kubernetes kinds in {os.path.relpath(target)}")


def crd_schemas(target):
    converter = os.path.join(module_dir(KUBECONFORM), "scripts/openapi2jsonschema.py")
    sources = []
    for module, paths in CRD_MODULES.items():
        root = module_dir(module)
        sources += [os.path.join(root, path) for path in paths]
    shutil.rmtree(target, ignore_errors=True)
    os.makedirs(target)
    with tempfile.TemporaryDirectory() as work:
        # Descriptions dropped first: they are most of the bytes and validate nothing.
        for i, path in enumerate(sources):
            import yaml

            with open(path) as f:
                docs = [strip_descriptions(d) for d in yaml.safe_load_all(f) if d]
            with open(os.path.join(work, f"{i}.yaml"), "w") as f:
                yaml.safe_dump_all(docs, f)
        env = dict(os.environ, FILENAME_FORMAT="{kind}-{group}-{version}")
        subprocess.run(
            [sys.executable, converter, *sorted(os.path.join(work, n) for n in os.listdir(work))],
            check=True, cwd=target, env=env, stdout=subprocess.DEVNULL,
        )
    print(f"{len(os.listdir(target))} CRD schemas in {os.path.relpath(target)}")


if __name__ == "__main__":
    kubernetes_schemas(os.path.join(HERE, "kubernetes", f"v{KUBERNETES_VERSION}-strict"))
    crd_schemas(os.path.join(HERE, "crds"))
