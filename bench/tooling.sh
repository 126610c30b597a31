# Sourced by the bench scripts: JDK 25, and the build they run on (skipped with BENCH_SKIP_BUILD=true).
#   build <maven goals...>   builds, then writes the test class path to target/bench/classpath.txt
#   classpath                the class path of the tooling: test classes, service classes, dependencies
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

build() {
  if [ "${BENCH_SKIP_BUILD:-}" != "true" ]; then
    ./mvnw -B -q -Dspotless.check.skip=true "$@"
    ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt
  fi
  mkdir -p target/bench
}

classpath() {
  echo "target/test-classes:target/classes:$(cat target/bench/classpath.txt)"
}
