package com.kahula.eventpersister.toolkit;

import java.io.BufferedReader;
import java.util.List;

/** The archive's objects: what lies under a key prefix, and an object's lines. */
interface Archive {

    /** The keys of the objects under {@code prefix}, in key order. */
    List<String> keys(String prefix);

    /** The lines of the object, decompressed; the caller closes the reader. */
    BufferedReader lines(String key);
}
