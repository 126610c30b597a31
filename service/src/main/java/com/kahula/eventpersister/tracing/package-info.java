/** Nullness is declared: every type here is non-null unless marked {@code @Nullable}. */
@NullMarked
package com.kahula.eventpersister.tracing;

import org.jspecify.annotations.NullMarked;
