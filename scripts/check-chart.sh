#!/usr/bin/env bash
# Checks the Helm chart with the real tools: `helm lint --strict` and `helm template` for every value set
# in helm/test/values/, each rendering validated by kubeconform -strict against the Kubernetes and CRD
# schemas kept in helm/test/schemas/ (no network), the kinds it renders compared with the set's
# `# renders:` line, the roles' env parsed by leadstream's own settings (scripts/check-chart-env.ts),
# holding what the set's `# expect-env: DEPLOYMENT NAME=VALUE` lines say, and the tenant files it writes
# checked by `leadstream tenants validate`. Every set in
# helm/test/values/invalid/ must be refused with the message its `# expect:` line names
# (values.schema.json or the chart's own checks).
set -euo pipefail
cd "$(dirname "$0")/.."

KUBERNETES_VERSION=1.35.4
chart=helm
schemas=helm/test/schemas
PATH="$(bash scripts/ops-tools.sh):$PATH"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

problems=0
problem() {
  echo "FAIL $1" >&2
  problems=$((problems + 1))
}

kinds_of() { grep '^kind: ' "$1" | sed 's/^kind: //' | sort | uniq -c | awk '{print $2 "=" $1}' | paste -sd' ' -; }
expected_kinds() { sed -n 's/^# renders: //p' "$1" | tr ' ' '\n' | sort | paste -sd' ' -; }

# The chart deploys the image the Dockerfile builds, of the package's version, started as the package's bin.
if ! node -e '
const fs = require("fs");
const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
const appVersion = /^appVersion: "?([^"\n]+)"?$/m.exec(fs.readFileSync("helm/Chart.yaml", "utf8"))?.[1];
const entrypoint = /^ENTRYPOINT \["node", "([^"]+)"\]$/m.exec(fs.readFileSync("Dockerfile", "utf8"))?.[1];
const wrong = [];
if (appVersion !== pkg.version) wrong.push(`helm/Chart.yaml appVersion ${appVersion}, package.json version ${pkg.version}`);
if (entrypoint !== pkg.bin.leadstream) wrong.push(`Dockerfile runs ${entrypoint}, package.json bin is ${pkg.bin.leadstream}`);
for (const line of wrong) console.error(line);
process.exit(wrong.length > 0 ? 1 : 0);
'; then
  problem "chart, image and package disagree"
fi

valid=0
for values in "$chart"/test/values/*.yaml; do
  name="$(basename "$values" .yaml)"
  rendered="$out/$name.yaml"
  if ! helm lint --strict --quiet "$chart" -f "$values" >"$out/$name.lint" 2>&1; then
    cat "$out/$name.lint" >&2
    problem "$name: helm lint --strict"
    continue
  fi
  if ! helm template leadstream "$chart" --namespace leadstream --kube-version "$KUBERNETES_VERSION" \
    -f "$values" >"$rendered" 2>"$out/$name.err"; then
    cat "$out/$name.err" >&2
    problem "$name: helm template"
    continue
  fi
  if ! kubeconform -strict -summary -kubernetes-version "$KUBERNETES_VERSION" \
    -schema-location "$schemas/kubernetes/{{ .NormalizedKubernetesVersion }}{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
    -schema-location "$schemas/crds/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
    "$rendered"; then
    problem "$name: kubeconform"
    continue
  fi
  # What the pods would get: the env every role is given must be settings leadstream accepts, and the
  # tenant files the chart writes must pass `leadstream tenants validate`.
  awk -f "$chart/test/lib/env.awk" "$rendered" >"$out/$name.env"
  allow=()
  for variable in $(sed -n 's/^# extra-env: //p' "$values"); do allow+=(--allow "$variable"); done
  while read -r deployment setting; do
    allow+=(--expect "$deployment:$setting")
  done < <(sed -n 's/^# expect-env: //p' "$values")
  if ! npx tsx scripts/check-chart-env.ts "${allow[@]}" "$out/$name.env"; then
    problem "$name: the roles' environment"
    continue
  fi
  mkdir -p "$out/$name.tenants"
  awk -v dir="$out/$name.tenants" -f "$chart/test/lib/tenants.awk" "$rendered"
  if compgen -G "$out/$name.tenants/*.json" >/dev/null &&
    ! npx tsx src/cli/main.ts tenants validate "$out/$name.tenants"/*.json >/dev/null; then
    problem "$name: tenant configs"
    continue
  fi
  if [[ "$(kinds_of "$rendered")" != "$(expected_kinds "$values")" ]]; then
    problem "$name: renders $(kinds_of "$rendered"), expected $(expected_kinds "$values")"
    continue
  fi
  echo "ok   $name: $(kinds_of "$rendered")"
  valid=$((valid + 1))
done

refused=0
for values in "$chart"/test/values/invalid/*.yaml; do
  name="invalid/$(basename "$values" .yaml)"
  expected="$(sed -n 's/^# expect: //p' "$values")"
  if [[ -z "$expected" ]]; then
    problem "$name: no '# expect:' line"
    continue
  fi
  if output="$(helm template leadstream "$chart" --kube-version "$KUBERNETES_VERSION" -f "$values" 2>&1)"; then
    problem "$name: rendered, but must be refused"
  elif ! grep -qF -- "$expected" <<<"$output"; then
    echo "$output" >&2
    problem "$name: refused without '$expected'"
  else
    echo "ok   $name: refused ($expected)"
    refused=$((refused + 1))
  fi
done

echo "chart: $valid value sets rendered and valid, $refused bad value sets refused, $problems problems"
[[ "$problems" -eq 0 ]]
