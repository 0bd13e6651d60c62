# Prints DEPLOYMENT<TAB>NAME<TAB>VALUE for each container env variable of each Deployment in a helm
# template output; a variable from a Secret gets the value "from-secret".
/^---/ { kind = ""; name = ""; inenv = 0 }
/^kind: / { kind = $2 }
/^  name: / && name == "" { name = $2 }
kind == "Deployment" && /^ +env:$/ { inenv = 1; envindent = index($0, "e"); next }
inenv {
  indent = match($0, /[^ ]/)
  if (indent <= envindent) { inenv = 0; next }
  if (match($0, /^ +- name: /)) { var = substr($0, RLENGTH + 1); next }
  if (var != "" && match($0, /^ +value: /)) { print name "\t" var "\t" substr($0, RLENGTH + 1); var = ""; next }
  if (var != "" && $0 ~ /^ +valueFrom:$/) { print name "\t" var "\tfrom-secret"; var = "" }
}
