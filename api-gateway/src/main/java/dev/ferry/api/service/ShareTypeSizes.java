package dev.ferry.api.service;

import dev.ferry.api.model.ShareType;

/**
 * Manila's {@code provision_filter_on_size}: a share type's {@code provisioning:min_share_size},
 * {@code max_share_size} and {@code max_share_extend_size} bound the sizes its shares are created, extended and
 * shrunk to (400 "Invalid input received: ..." otherwise). A share without a type has no bounds.
 */
final class ShareTypeSizes {
    private ShareTypeSizes() {
    }

    static void onCreate(ShareType type, int size) {
        atLeastMinimum(type, size);
        atMostMaximum(type, size);
    }

    /** {@code beyondMax}: the caller may extend past max_share_size (then max_share_extend_size bounds it). */
    static void onExtend(ShareType type, int newSize, boolean beyondMax) {
        if (type == null) {
            return;
        }
        if (!beyondMax) {
            atMostMaximum(type, newSize);
            return;
        }
        Integer max = ExtraSpecs.size(type.extraSpecs(), ExtraSpecs.MAX_EXTEND_SIZE);
        if (max != null && newSize > max) {
            throw ApiError.badRequest("Invalid input received: Specified share size of '" + newSize + "' is greater "
                    + "than the maximum allowable extend size of '" + max + "' for share type '" + type.name()
                    + "'.");
        }
    }

    static void onShrink(ShareType type, int newSize) {
        atLeastMinimum(type, newSize);
    }

    private static void atLeastMinimum(ShareType type, int size) {
        Integer min = type == null ? null : ExtraSpecs.size(type.extraSpecs(), ExtraSpecs.MIN_SIZE);
        if (min != null && size < min) {
            throw ApiError.badRequest("Invalid input received: Specified share size of '" + size + "' is less than "
                    + "the minimum required size of '" + min + "' for share type '" + type.name() + "'.");
        }
    }

    private static void atMostMaximum(ShareType type, int size) {
        Integer max = type == null ? null : ExtraSpecs.size(type.extraSpecs(), ExtraSpecs.MAX_SIZE);
        if (max != null && size > max) {
            throw ApiError.badRequest("Invalid input received: Specified share size of '" + size + "' is greater "
                    + "than the maximum allowable size of '" + max + "' for share type '" + type.name() + "'.");
        }
    }
}
