<%@ page contentType="text/html;charset=UTF-8" pageEncoding="UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<c:set var="title" value="Allow access"/>
<%@ include file="head.jspf" %>
<h1>Allow <c:out value="${clientName}"/> to use your account?</h1>
<section class="client" aria-labelledby="client-heading">
<h2 id="client-heading">The application</h2>
<p><strong><c:out value="${clientName}"/></strong> is how the application names itself; anyone can register an application, so check its address.</p>
<ul>
<c:if test="${not empty clientUri}"><li>Website: <a href="<c:out value='${clientUri}'/>" rel="noopener noreferrer"><c:out value="${clientHost}"/></a></li></c:if>
<c:if test="${not empty logoHost}"><li>Its logo is hosted at <c:out value="${logoHost}"/></li></c:if>
<c:if test="${not empty tosUri}"><li><a href="<c:out value='${tosUri}'/>" rel="noopener noreferrer">Terms of service</a></li></c:if>
<c:if test="${not empty policyUri}"><li><a href="<c:out value='${policyUri}'/>" rel="noopener noreferrer">Privacy policy</a></li></c:if>
</ul>
</section>
<section class="grant" aria-labelledby="grant-heading">
<h2 id="grant-heading">What it gets</h2>
<ul>
<li><strong>Full access to your Matrix account</strong> <c:out value="${userId}"/> on <c:out value="${serverName}"/>: it can read and send your messages, join and leave rooms, and change your settings, as any Matrix app you sign in to can.</li>
<li>It signs in as a new device with the ID <code><c:out value="${deviceId}"/></code>, which you can sign out from your other apps.</li>
</ul>
</section>
<form id="consent" method="post" action="<c:out value='${action}'/>">
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
<%@ include file="foot.jspf" %>
