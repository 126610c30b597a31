package com.kahula.eventpersister.support;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;

/**
 * Leaves out the classes Spring AOT generates into the build (their names hold {@code __}, as in
 * {@code EventPipeline__BeanDefinitions}): they wire every package by design and are not code of this project.
 */
public final class DoNotIncludeSpringAotCode implements ImportOption {

    @Override
    public boolean includes(Location location) {
        return !location.contains("__");
    }
}
