package dev.ferry.drivers;

import java.util.List;

/** One page of a backup folder's entries, sorted by name; {@code more} when entries follow the page. */
public record BrowsePage(List<BrowseEntry> entries, boolean more) {
    public BrowsePage {
        entries = List.copyOf(entries);
    }
}
