package dev.ferry.data;

import dev.ferry.drivers.RestoreRequest;
import dev.ferry.drivers.RestoreSelection;
import dev.ferry.drivers.ShareLocation;
import dev.ferry.messages.RestoreScope;
import dev.ferry.messages.ShareInfo;
import dev.ferry.messages.StateRpc.Grant;

/**
 * The driver's {@link RestoreRequest} a restore's grant asks for: its backup, its target, what to write (the grant's
 * {@code restore_selection}; none is Manila's whole restore) and whether an earlier attempt came first (the grant's
 * {@code attempt} above 1: the driver then leaves files the target already holds identical).
 */
final class GrantedRestore {
    private GrantedRestore() {
    }

    /** Throws IllegalArgumentException when the grant names an overwrite policy this node does not know. */
    static RestoreRequest request(Grant grant) {
        ShareInfo target = grant.target();
        return new RestoreRequest(grant.backup().id(),
                new ShareLocation(target.id(), target.protocol(), target.exportPath()),
                selection(grant.restoreSelection()), grant.resumed());
    }

    static RestoreSelection selection(RestoreScope scope) {
        if (scope == null) {
            return RestoreSelection.WHOLE;
        }
        RestoreSelection.Overwrite overwrite = RestoreSelection.Overwrite.fromWireName(scope.overwrite());
        if (overwrite == null) {
            throw new IllegalArgumentException("the grant asks for overwrite policy '" + scope.overwrite()
                    + "', which this data node does not know: upgrade it to the api-gateway's version");
        }
        return new RestoreSelection(scope.paths(), overwrite, scope.deleteExtra());
    }
}
