package com.kahula.eventpersister.support;

/** The LocalStack image the project runs against: docker-compose.yml pins the same (a test holds them equal). */
public final class LocalStackImage {

    /** A 4.x release that runs without an auth token (the latest tags need one since March 2026). */
    public static final String NAME = "localstack/localstack:4.14.0";

    private LocalStackImage() {}
}
