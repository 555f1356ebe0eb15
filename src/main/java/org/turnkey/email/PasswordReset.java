package org.turnkey.email;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.turnkey.account.AccountService;
import org.turnkey.api.MatrixException;
import org.turnkey.email.EmailValidation.Purpose;

/**
 * "Forgot my password": a validated {@link Purpose#RESET} session proves the account its
 * address belonged to when the email was sent; the address must still be that account's. One
 * transaction uses the session up and changes the password (signing out devices as asked).
 */
@ApplicationScoped
public class PasswordReset {

    public record Done(String userId, int loggedOut) {
    }

    @Inject
    EmailValidations validations;

    @Inject
    Threepids threepids;

    @Inject
    AccountService accounts;

    /**
     * @param requesterUserId the signed-in user when the request had a token (the address must be
     *                        theirs), else null
     * @param keepDeviceId    the requesting device, kept when other devices are signed out, or null
     */
    @Transactional
    public Done reset(String sid, String requesterUserId, String keepDeviceId, String newHash, boolean logoutDevices) {
        return reset(validations.consumeCompleted(Purpose.RESET, sid), requesterUserId, keepDeviceId, newHash, logoutDevices);
    }

    /**
     * The browser's reset (the page the email links to): the session's {@code sid} and client
     * secret, every device signed out.
     */
    @Transactional
    public Done resetInBrowser(String sid, String clientSecret, String newHash) {
        return reset(validations.consume(Purpose.RESET, sid, clientSecret), null, null, newHash, true);
    }

    private Done reset(EmailValidation v, String requesterUserId, String keepDeviceId, String newHash, boolean logoutDevices) {
        String userId = v.userId();
        if (!threepids.owner(v.address()).map(userId::equals).orElse(false)) {
            throw EmailValidations.authFailed();
        }
        if (requesterUserId != null && !requesterUserId.equals(userId)) {
            throw MatrixException.forbidden("The email address validated is another account's");
        }
        return new Done(userId, accounts.changePassword(userId, newHash, keepDeviceId, logoutDevices));
    }
}
