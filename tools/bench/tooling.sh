# Sourced by the bench scripts: JDK 25, and the build they run on (skipped with BENCH_SKIP_BUILD=true). They run in
# tools/bench, as its tests do: outputs under tools/bench/target/, the service's jar from service/target/.
#   build <maven goals...>   builds this module and what it needs, then writes its class path to target/bench/classpath.txt
#   classpath                the class path of the bench: its classes, the service's classes, dependencies
cd "$(dirname "${BASH_SOURCE[0]}")"
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

build() {
  if [ "${BENCH_SKIP_BUILD:-}" != "true" ]; then
    ../../mvnw -B -q -f ../../pom.xml -pl tools/bench -am -Dspotless.check.skip=true "$@" \
      dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt
  fi
  mkdir -p target/bench
}

classpath() {
  echo "target/classes:target/test-classes:$(cat target/bench/classpath.txt)"
}
