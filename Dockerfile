# syntax=docker/dockerfile:1.7
# event-persister: built with the Maven wrapper on a Temurin 25 JDK, run on a Temurin 25 JRE as a non-root user with a
# read-only root filesystem (mount a writable /tmp). Multi-arch: the ECS stack runs it on linux/arm64 (Graviton):
#   docker buildx build --platform linux/arm64 -t <registry>/event-persister:<tag> --push .
#
# Base images pinned by digest (the multi-platform index, so amd64 and arm64 builds both resolve), so that a build
# today and a rebuild next month start from the same bytes. These are eclipse-temurin:25-jdk and :25-jre as of
# 2026-09-09 (JDK 25.0.4+7 on Ubuntu 26.04), from docker-library/repo-info (repos/eclipse-temurin/remote/25-jdk.md and
# 25-jre.md, commit 11bfd4f99b51). To move to the tags' current images (a JDK patch, an OS fix), replace both digests
# with what the registry says now, rebuild, and run the tests:
#   for tag in 25-jdk 25-jre; do docker buildx imagetools inspect eclipse-temurin:$tag --format '{{json .Manifest.Digest}}'; done

FROM eclipse-temurin:25-jdk@sha256:dcf835e52330939b6c9f90ecab8aafcbcaa8fbf48423db44de884cf978c10144 AS build
WORKDIR /build
COPY mvnw pom.xml ./
COPY .mvn .mvn
# Every module's pom (Maven reads the whole reactor), the service's sources and those of the modules its build names
# (test-scoped, so never in the jar, but resolved even when tests are skipped).
COPY service/pom.xml service/
COPY tools/build-checks/pom.xml tools/build-checks/
COPY tools/embedded-aws/pom.xml tools/embedded-aws/
COPY tools/bench/pom.xml tools/bench/
COPY tools/aot-training/pom.xml tools/aot-training/
COPY tools/build-checks/src/main tools/build-checks/src/main
COPY tools/embedded-aws/src/main tools/embedded-aws/src/main
COPY service/src/main service/src/main
# Tests run in CI (./mvnw verify), not here: the image needs neither dynalite nor Node.js. The BuildKit cache keeps
# Maven and the dependencies between builds.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -q -pl service -am package -Dmaven.test.skip=true \
        -Dspotless.check.skip=true \
    && cp service/target/event-persister-*-exec.jar application.jar \
    && java -Djarmode=tools -jar application.jar extract --layers --destination extracted
# extract --layers without --launcher: application.jar plus lib/*.jar on its manifest Class-Path, because the AOT cache
# only holds classes loaded from jars on the class path (not from Spring Boot's nested-jar launcher).
# The AOT cache training's driver (tools/aot-training/: the JDK alone), compiled here, mounted for one RUN below, not copied.
COPY tools/aot-training/src/main tools/aot-training/src/main
RUN javac -d aot-training/classes tools/aot-training/src/main/java/com/kahula/aottraining/*.java

FROM eclipse-temurin:25-jre@sha256:15090d159279e5c158473eccb48cd87f57b3e3a47511a797eb5a7a7ea6f86b0f
RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-create-home app
WORKDIR /app
# Least volatile layer first: dependencies change rarely, the application on every commit.
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./

# The flags a task's size decides, for the default 0.5 vCPU / 1 GiB task. Container-aware memory: the heap takes 65 %
# of the container's memory limit (768 MiB on ECS, beside the collector sidecar's 256), the rest is for metaspace,
# threads, Netty's direct buffers and the code cache; an OutOfMemoryError stops the JVM so that ECS replaces the task.
# One processor and the Serial collector, as a task below 2 vCPUs has, whatever cores the host shows the JVM (the ECS
# task sets all four from its size).
ENV JAVA_OPTS_SIZE="-XX:MaxRAMPercentage=65 -XX:+ExitOnOutOfMemoryError -XX:ActiveProcessorCount=1 -XX:+UseSerialGC"

# Java 25 AOT cache (JEP 483/514/515): the loaded and linked classes and method profiles of a training start, which
# shortens the next start. The training start reaches readiness and drains 20000 events, as in AWS,
# without AWS: AotTraining answers on a loopback port the calls a start makes on its way there (the queue's URL and
# attributes, the table's description, the metrics export) and those of the hot path (polls that deliver its events,
# PutItem, PutEvents, the EMITTED marks, the sweeper's query, the deletes), starts the command with that endpoint, waits
# for /actuator/health UP and for every event's delete, and stops it with SIGTERM; the JVM writes the cache as it exits.
# So the cache also holds the SDK's answered calls, Tomcat's request path and the hot path's method profiles, with
# which the JIT compiler spent less CPU per event in the bench's steady state (docs/performance.md). The run uses the same JVM flags as the entrypoint
# (the JDK ignores a cache made with another class path or module options; a task of 2 vCPUs, with two processors and
# G1, starts with it too, as AotTrainingIT shows) and trains the ECS start path: Spring AOT's code.
RUN --mount=type=bind,from=build,source=/build/aot-training/classes,target=/aot-training \
    java -cp /aot-training com.kahula.aottraining.AotTraining \
        java ${JAVA_OPTS_SIZE} -XX:AOTCacheOutput=app.aot -Dspring.aot.enabled=true -jar application.jar \
    && chmod a+r app.aot

# Spring AOT (the jar's code generated at build time for the ecs profile, conditions evaluated) is off unless the start
# asks for it: SPRING_AOT_ENABLED=true, as the ECS task definition sets it with SPRING_PROFILES_ACTIVE=ecs. Such a start
# refuses to run with another profile or another bean switch than the build's, naming the property
# (config/SpringAotSwitches); compose runs the image with the local profile and without it.
ENV SPRING_AOT_ENABLED=false

USER 10001:10001
# The actuator (management only); the service has no other port.
EXPOSE 8081
# Spring Boot writes only to java.io.tmpdir (Tomcat's work directory): /tmp is a tmpfs in compose, a task volume in ECS.
VOLUME ["/tmp"]
# Liveness for `docker run`; compose and the ECS task definition run the same script (compose on /actuator/health).
# bash's /dev/tcp, not a JVM: the JRE image has neither curl nor wget, and a JVM every 30 s costs far more CPU and
# memory than bash (docs/capacity.md).
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${MANAGEMENT_PORT:-8081} && printf 'GET %s HTTP/1.0\\r\\n\\r\\n' \"$1\" >&3 && read -r -t 5 _ status _ <&3 && [[ $status == 200* ]]", \
         "healthcheck", "/actuator/health/liveness"]
# sh only expands the flags, then exec replaces it: java is PID 1 and receives ECS's SIGTERM itself, so the listener
# drains before stopTimeout. JAVA_OPTS adds flags; arguments after the image name go to Spring Boot.
ENTRYPOINT ["sh", "-c", "exec java ${JAVA_OPTS_SIZE} -XX:AOTCache=app.aot -Dspring.aot.enabled=${SPRING_AOT_ENABLED} ${JAVA_OPTS:-} -jar application.jar \"$@\"", "--"]
