<%@ page contentType="text/html;charset=UTF-8" pageEncoding="UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<c:choose>
<c:when test="${stage == 'confirm'}"><c:set var="title" value="Sign in a device"/></c:when>
<c:when test="${stage == 'approved'}"><c:set var="title" value="Device signed in"/></c:when>
<c:when test="${stage == 'denied'}"><c:set var="title" value="Device refused"/></c:when>
<c:otherwise><c:set var="title" value="Connect a device"/></c:otherwise>
</c:choose>
<%@ include file="head.jspf" %>
<c:choose>
<c:when test="${stage == 'confirm'}">
<h1>Sign in <c:out value="${clientName}"/> on a device?</h1>
<p class="usercode">Check that your device shows this code: <strong id="user-code"><c:out value="${userCode}"/></strong>. If it does not, or you did not start signing in on a device just now, choose Deny.</p>
<section class="client" aria-labelledby="client-heading">
<h2 id="client-heading">The application</h2>
<p><strong><c:out value="${clientName}"/></strong> is how the application names itself; anyone can register an application, so check its address.</p>
<c:if test="${not empty clientUri}"><ul><li>Website: <a href="<c:out value='${clientUri}'/>" rel="noopener noreferrer"><c:out value="${clientHost}"/></a></li></ul></c:if>
</section>
<section class="grant" aria-labelledby="grant-heading">
<h2 id="grant-heading">What it gets</h2>
<ul>
<li><strong>Full access to your Matrix account</strong> <c:out value="${userId}"/> on <c:out value="${serverName}"/>: it can read and send your messages, join and leave rooms, and change your settings, as any Matrix app you sign in to can.</li>
<li>The device signs in as a new device with the ID <code id="device-id"><c:out value="${deviceId}"/></code>, which you can sign out from your other apps.</li>
</ul>
</section>
<form id="device" method="post" action="<c:out value='${action}'/>">
<input type="hidden" name="csrf" value="<c:out value='${csrf}'/>">
<p class="actions">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</p>
</form>
<form id="logout" method="post" action="<c:out value='${logoutAction}'/>" class="account">
<input type="hidden" name="csrf" value="<c:out value='${csrf}'/>">
<p>Signed in as <strong><c:out value="${userId}"/></strong>. Not you? <button type="submit" class="link">Sign out</button></p>
</form>
</c:when>
<c:when test="${stage == 'approved'}">
<h1>Your device is signed in</h1>
<p id="outcome" class="outcome">The device signs in to <c:out value="${userId}"/> within a few seconds. You can close this page and go back to your device.</p>
</c:when>
<c:when test="${stage == 'denied'}">
<h1>Device refused</h1>
<p id="outcome" class="outcome">The device was not signed in. You can close this page.</p>
</c:when>
<c:otherwise>
<h1>Connect a device</h1>
<p>Enter the code your device shows to sign it in to your account <c:out value="${userId}"/>.</p>
<c:if test="${not empty error}">
<p id="form-error" class="error" role="alert"><c:out value="${error}"/></p>
</c:if>
<form id="device-code" method="get" action="<c:out value='${action}'/>">
<p>
<label for="user_code">Code</label>
<input id="user_code" name="user_code" type="text" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" required
       value="<c:out value='${userCode}'/>"<c:if test="${not empty error}"> aria-invalid="true" aria-describedby="form-error"</c:if> autofocus>
</p>
<p><button type="submit">Continue</button></p>
</form>
</c:otherwise>
</c:choose>
<%@ include file="foot.jspf" %>
