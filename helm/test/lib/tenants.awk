# Writes each tenant file of the rendered tenants ConfigMap (keys <name>.json, block scalars) into DIR
# (awk -v dir=DIR), to be checked by `leadstream tenants validate`.
/^---/ { kind = ""; name = ""; file = "" }
/^kind: / { kind = $2 }
/^  name: / && name == "" { name = $2 }
kind == "ConfigMap" && name ~ /-tenants$/ {
  if (match($0, /^  [A-Za-z0-9._-]+\.json: \|-?$/)) { split($1, key, ":"); file = dir "/" key[1]; printf "" > file; next }
  if (file != "" && $0 ~ /^    /) { print substr($0, 5) >> file; next }
  if (file != "" && $0 !~ /^    /) { close(file); file = "" }
}
