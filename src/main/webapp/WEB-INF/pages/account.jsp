<%@ page contentType="text/html;charset=UTF-8" pageEncoding="UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%-- The account pages (org.turnkey.oauth.account.AccountServlet): one page per view. Every form
     posts back to "account" with the CSRF token and the action it confirms. --%>
<c:choose>
<c:when test="${view == 'devices_list'}"><c:set var="title" value="Your devices"/></c:when>
<c:when test="${view == 'device_view'}"><c:set var="title" value="Device"/></c:when>
<c:when test="${view == 'device_delete'}"><c:set var="title" value="Sign out a device"/></c:when>
<c:when test="${view == 'profile'}"><c:set var="title" value="Your account"/></c:when>
<c:when test="${view == 'password_change'}"><c:set var="title" value="Change your password"/></c:when>
<c:when test="${view == 'account_deactivate'}"><c:set var="title" value="Deactivate your account"/></c:when>
<c:when test="${view == 'cross_signing_reset'}"><c:set var="title" value="Reset your cross-signing keys"/></c:when>
<c:otherwise><c:set var="title" value="Account deactivated"/></c:otherwise>
</c:choose>
<%@ include file="head.jspf" %>
<c:if test="${view != 'deactivated'}">
<nav class="account-nav" aria-label="Account">
<ul class="actions">
<li><a id="nav-devices" href="<c:out value='${devicesLink}'/>">Devices</a></li>
<li><a id="nav-profile" href="<c:out value='${profileLink}'/>">Account</a></li>
<li><a id="nav-password" href="<c:out value='${passwordLink}'/>">Password</a></li>
<li><a id="nav-cross-signing" href="<c:out value='${crossSigningLink}'/>">Cross-signing reset</a></li>
<li><a id="nav-deactivate" href="<c:out value='${deactivateLink}'/>">Deactivate</a></li>
</ul>
</nav>
</c:if>
<h1><c:out value="${title}"/></h1>
<c:if test="${not empty notice}">
<p id="notice" class="notice" role="status"><c:out value="${notice}"/></p>
</c:if>
<c:if test="${not empty error}">
<p id="form-error" class="error" role="alert"><c:out value="${error}"/></p>
</c:if>
<c:choose>
<c:when test="${view == 'devices_list'}">
<p>These devices are signed in to <strong><c:out value="${userId}"/></strong>. Signing one out ends all its sessions at once.</p>
<c:if test="${empty devices}"><p id="no-devices">No device is signed in.</p></c:if>
<ul id="devices" class="devices">
<c:forEach var="d" items="${devices}">
<li class="device" data-device-id="<c:out value='${d.id}'/>">
<strong><c:out value="${empty d.name ? 'Unnamed device' : d.name}"/></strong> <code><c:out value="${d.id}"/></code><br>
<span class="help">Last seen: <c:out value="${empty d.lastSeen ? 'not yet' : d.lastSeen}"/><c:if test="${not empty d.lastSeenIp}"> from <c:out value="${d.lastSeenIp}"/></c:if></span>
<a class="view" href="<c:out value='${d.viewLink}'/>">Details</a> ·
<a class="delete" href="<c:out value='${d.deleteLink}'/>">Sign out</a>
</li>
</c:forEach>
</ul>
<p class="help">This page cannot tell which device is the app that opened it: check the device ID in the app's settings before signing one out.</p>
</c:when>
<c:when test="${view == 'device_view'}">
<dl id="device" class="details">
<dt>Device ID</dt><dd><code><c:out value="${device.id}"/></code></dd>
<dt>Name</dt><dd><c:out value="${empty device.name ? '(none)' : device.name}"/></dd>
<dt>Last seen</dt><dd><c:out value="${empty device.lastSeen ? 'not yet' : device.lastSeen}"/></dd>
<dt>Last address</dt><dd><c:out value="${empty device.lastSeenIp ? 'unknown' : device.lastSeenIp}"/></dd>
<dt>Last user agent</dt><dd><c:out value="${empty device.userAgent ? 'unknown' : device.userAgent}"/></dd>
</dl>
<p><a id="delete-link" href="<c:out value='${device.deleteLink}'/>">Sign out this device</a></p>
</c:when>
<c:when test="${view == 'device_delete'}">
<p>Sign out <strong><c:out value="${empty device.name ? device.id : device.name}"/></strong> (<code><c:out value="${device.id}"/></code>)?
It stops working at once; to use it again, sign in on it again.</p>
<p class="help">Last seen: <c:out value="${empty device.lastSeen ? 'not yet' : device.lastSeen}"/><c:if test="${not empty device.lastSeenIp}"> from <c:out value="${device.lastSeenIp}"/></c:if></p>
<form id="device_delete" method="post" action="account">
<input type="hidden" name="csrf" value="<c:out value='${csrf}'/>">
<input type="hidden" name="action" value="org.matrix.device_delete">
<input type="hidden" name="device_id" value="<c:out value='${device.id}'/>">
<p class="actions">
<button type="submit">Sign out the device</button>
<a href="<c:out value='${devicesLink}'/>">Cancel</a>
</p>
</form>
</c:when>
<c:when test="${view == 'profile'}">
<dl id="profile" class="details">
<dt>Matrix ID</dt><dd><code><c:out value="${userId}"/></code></dd>
<dt>Created</dt><dd><c:out value="${createdAt}"/></dd>
</dl>
<p class="help">Your display name and avatar are kept by your Matrix apps' server, not here: change them in your app.</p>
</c:when>
<c:when test="${view == 'password_change'}">
<form id="password_change" method="post" action="account">
<input type="hidden" name="csrf" value="<c:out value='${csrf}'/>">
<input type="hidden" name="action" value="org.turnkey.password_change">
<p><label for="current_password">Current password</label>
<input id="current_password" name="current_password" type="password" autocomplete="current-password" required></p>
<p><label for="new_password">New password</label>
<input id="new_password" name="new_password" type="password" autocomplete="new-password" required></p>
<p><label for="new_password_confirm">New password again</label>
<input id="new_password_confirm" name="new_password_confirm" type="password" autocomplete="new-password" required></p>
<p><label class="check"><input type="checkbox" name="logout_devices" value="yes" checked> Sign out all my devices</label>
<span class="help">Recommended if someone else may know your old password. This browser stays signed in.</span></p>
<p><button type="submit">Change password</button></p>
</form>
</c:when>
<c:when test="${view == 'account_deactivate'}">
<p class="error">Deactivation cannot be undone. <strong><c:out value="${userId}"/></strong> can never sign in again, every device is signed out, and the ID is never given to anyone else.</p>
<form id="account_deactivate" method="post" action="account">
<input type="hidden" name="csrf" value="<c:out value='${csrf}'/>">
<input type="hidden" name="action" value="org.matrix.account_deactivate">
<p><label class="check"><input type="checkbox" name="confirm" value="yes" required> I understand: deactivate my account for ever</label></p>
<c:if test="${needPassword}">
<p><label for="password">Your password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required></p>
</c:if>
<p><button type="submit">Deactivate my account</button></p>
</form>
</c:when>
<c:when test="${view == 'cross_signing_reset'}">
<p>Your app asked to reset your cross-signing keys (your encryption identity). Only do this if you lost your recovery key and all your signed-in devices; other people will see that your identity changed.</p>
<c:choose>
<c:when test="${not empty resetAllowedUntil}">
<p id="reset-allowed">Approved: until <strong><c:out value="${resetAllowedUntil}"/></strong> your app may reset your cross-signing keys without asking for your password again. Go back to the app and continue there.</p>
</c:when>
<c:otherwise>
<form id="cross_signing_reset" method="post" action="account">
<input type="hidden" name="csrf" value="<c:out value='${csrf}'/>">
<input type="hidden" name="action" value="org.matrix.cross_signing_reset">
<c:if test="${needPassword}">
<p><label for="password">Your password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required></p>
</c:if>
<p><button type="submit">Allow the reset</button></p>
</form>
<p class="help">The approval lasts a few minutes; afterwards your app has to send you here again.</p>
</c:otherwise>
</c:choose>
</c:when>
<c:otherwise>
<p id="deactivated">The account <strong><c:out value="${deactivatedUser}"/></strong> is deactivated. Every device is signed out and no one can sign in to it again.</p>
</c:otherwise>
</c:choose>
<c:if test="${view != 'deactivated'}">
<form id="logout" method="post" action="logout" class="account">
<input type="hidden" name="csrf" value="<c:out value='${csrf}'/>">
<p>Signed in as <strong><c:out value="${userId}"/></strong>. <button type="submit" class="link">Sign out of this browser</button></p>
</form>
</c:if>
<%@ include file="foot.jspf" %>
