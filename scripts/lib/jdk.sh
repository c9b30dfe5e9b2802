# shellcheck shell=bash
# Finds a JDK >= 25 and exports JAVA_HOME. Sourced by ./mvnw and scripts/tasker.
# Order: $JAVA_HOME, then known install locations, then `java` on PATH.

tasker_java_major() { # prints the feature version of the java binary in $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1
}

tasker_find_jdk() {
  local want=25 tried=() candidate major
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for candidate in /usr/lib/jvm/*25* /usr/lib/jvm/*2[6-9]* /usr/lib/jvm/*3[0-9]* \
    /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* \
    /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$candidate" ] && candidates+=("$candidate")
  done
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for candidate in "${candidates[@]}"; do
    if [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ]; then
      major=$(tasker_java_major "$candidate/bin/java")
      if [ -n "$major" ] && [ "${major%%.*}" -ge "$want" ] 2>/dev/null; then
        export JAVA_HOME="$candidate"
        return 0
      fi
      tried+=("$candidate (Java ${major:-unknown})")
    else
      tried+=("$candidate (no bin/java + bin/javac)")
    fi
  done
  {
    echo "tasker: no JDK >= $want found. Tried:"
    if [ ${#tried[@]} -eq 0 ]; then echo "  (JAVA_HOME unset, no JDK under /usr/lib/jvm, no java on PATH)"; fi
    for candidate in "${tried[@]}"; do echo "  - $candidate"; done
    echo "Install a JDK $want (e.g. Temurin 25) and set JAVA_HOME to it."
  } >&2
  return 1
}
