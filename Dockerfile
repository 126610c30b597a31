# syntax=docker/dockerfile:1.7
# event-persister: built with the Maven wrapper on a Temurin 25 JDK, run on a Temurin 25 JRE as a non-root user with a
# read-only root filesystem (mount a writable /tmp). Multi-arch: the ECS stack runs it on linux/arm64 (Graviton):
#   docker buildx build --platform linux/arm64 -t <registry>/event-persister:<tag> --push .

FROM eclipse-temurin:25-jdk AS build
WORKDIR /build
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY src/main src/main
# Tests run in CI (./mvnw verify), not here: the image needs neither dynalite nor Node.js. The BuildKit cache keeps
# Maven and the dependencies between builds.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -q package -Dmaven.test.skip=true -Dspotless.check.skip=true \
    && cp target/event-persister-*.jar application.jar \
    && java -Djarmode=tools -jar application.jar extract --layers --destination extracted
# extract --layers without --launcher: application.jar plus lib/*.jar on its manifest Class-Path, because the AOT cache
# only holds classes loaded from jars on the class path (not from Spring Boot's nested-jar launcher).

FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-create-home app
WORKDIR /app
# Least volatile layer first: dependencies change rarely, the application on every commit.
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./

# Container-aware memory: the heap takes 75 % of the container's memory limit, the rest is for metaspace, threads,
# Netty's direct buffers and the code cache; an OutOfMemoryError stops the JVM so that ECS replaces the task.
ENV JAVA_OPTS_MEMORY="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"

# Java 25 AOT cache (JEP 483/514/515): a training run that starts the Spring context and exits at refresh
# (spring.context.exit=onRefresh) needs no AWS, only a region for the SDK client builders; the cache holds the loaded
# and linked classes and method profiles, which shortens start-up. The run uses the same JVM flags as the
# entrypoint, since a cache made with other flags is ignored.
RUN AWS_REGION=us-east-1 java ${JAVA_OPTS_MEMORY} -XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh \
        -jar application.jar > /dev/null \
    && chmod a+r app.aot

USER 10001:10001
# The actuator (management only); the service has no other port.
EXPOSE 8081
# Spring Boot writes only to java.io.tmpdir (Tomcat's work directory): /tmp is a tmpfs in compose, a task volume in ECS.
VOLUME ["/tmp"]
# Liveness for `docker run`; compose and the ECS task definition declare their own, with the same command.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["java", "-Xmx16m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", "/app/application.jar", \
         "com.kahula.eventpersister.HealthCheck", "http://localhost:8081/actuator/health/liveness"]
# sh only expands the flags, then exec replaces it: java is PID 1 and receives ECS's SIGTERM itself, so the listener
# drains before stopTimeout. JAVA_OPTS adds flags; arguments after the image name go to Spring Boot.
ENTRYPOINT ["sh", "-c", "exec java ${JAVA_OPTS_MEMORY} -XX:AOTCache=app.aot ${JAVA_OPTS:-} -jar application.jar \"$@\"", "--"]
