<%@ page contentType="text/html;charset=UTF-8" pageEncoding="UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<c:set var="title" value="Continue to the app"/>
<%@ include file="head.jspf" %>
<h1>Continue to <c:out value="${targetHost}"/>?</h1>
<section class="client" aria-labelledby="target-heading">
<h2 id="target-heading">Where you are going</h2>
<p>An app asked to sign in to your Matrix account and to continue at <strong id="target-host"><c:out value="${targetHost}"/></strong>:</p>
<p><code id="target-url"><c:out value="${targetUrl}"/></code></p>
<p>Continue only if you started signing in to an app there yourself. <strong>Whoever runs <c:out value="${targetHost}"/> gets full access to your account</strong> <c:out value="${userId}"/> on <c:out value="${serverName}"/>. If you followed a link from someone else, close this page.</p>
</section>
<form id="sso-confirm" method="post" action="<c:out value='${action}'/>">
<input type="hidden" name="csrf" value="<c:out value='${csrf}'/>">
<p class="actions">
<button type="submit">Continue</button>
</p>
</form>
<form id="logout" method="post" action="<c:out value='${logoutAction}'/>" class="account">
<input type="hidden" name="csrf" value="<c:out value='${csrf}'/>">
<p>Signed in as <strong><c:out value="${userId}"/></strong>. Not you? <button type="submit" class="link">Sign out</button></p>
</form>
<%@ include file="foot.jspf" %>
