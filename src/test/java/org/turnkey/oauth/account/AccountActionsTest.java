package org.turnkey.oauth.account;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec "Account management URL actions" under the OAuth 2.0 API, and the pages' re-authentication rule. */
class AccountActionsTest {

    @Test
    void specActionsShowTheirOwnPage() {
        for (String action : new String[] {AccountActions.PROFILE, AccountActions.DEVICES_LIST,
                AccountActions.ACCOUNT_DEACTIVATE, AccountActions.CROSS_SIGNING_RESET}) {
            assertEquals(action, AccountActions.page(action, null));
        }
        assertEquals(AccountActions.DEVICE_VIEW, AccountActions.page(AccountActions.DEVICE_VIEW, "ABC"));
        assertEquals(AccountActions.DEVICE_DELETE, AccountActions.page(AccountActions.DEVICE_DELETE, "ABC"));
    }

    @Test
    void olderNamesElementXSendsMapToTheSpecsNames() {
        assertEquals(AccountActions.DEVICES_LIST, AccountActions.page("org.matrix.sessions_list", null));
        assertEquals(AccountActions.DEVICE_VIEW, AccountActions.page("org.matrix.session_view", "ABC"));
        assertEquals(AccountActions.DEVICE_DELETE, AccountActions.page("org.matrix.session_end", "ABC"));
        assertEquals(AccountActions.DEVICE_DELETE, AccountActions.posted("org.matrix.session_end"));
    }

    @Test
    void noUnknownOrDevicelessActionShowsTheDevicesList() {
        assertEquals(AccountActions.DEVICES_LIST, AccountActions.page(null, null));
        assertEquals(AccountActions.DEVICES_LIST, AccountActions.page("com.example.other", "ABC"));
        assertEquals(AccountActions.DEVICES_LIST, AccountActions.page(AccountActions.DEVICE_DELETE, ""));
    }

    @Test
    void onlyTheConfirmingFormsArePostable() {
        assertNull(AccountActions.posted(AccountActions.PROFILE));
        assertNull(AccountActions.posted(AccountActions.DEVICES_LIST));
        assertNull(AccountActions.posted(null));
        assertEquals(AccountActions.ACCOUNT_DEACTIVATE, AccountActions.posted(AccountActions.ACCOUNT_DEACTIVATE));
    }

    @Test
    void passwordIsAskedAgainOnceTheLastEntryIsAsOldAsTheWindow() {
        Duration window = Duration.ofMinutes(5);
        long signedIn = 1_000_000;
        assertFalse(AccountActions.reauthenticationDue(signedIn, signedIn + window.toMillis() - 1, window));
        assertTrue(AccountActions.reauthenticationDue(signedIn, signedIn + window.toMillis(), window));
    }

    @Test
    void linksEncodeTheDeviceId() {
        assertEquals("action=org.matrix.device_view&device_id=A%26B%20C",
                AccountActions.query(AccountActions.DEVICE_VIEW, "A&B C"));
        assertEquals("action=org.matrix.profile", AccountActions.query(AccountActions.PROFILE, ""));
    }
}
