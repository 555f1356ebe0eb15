<%@ page contentType="text/html;charset=UTF-8" pageEncoding="UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<c:set var="title" value="Confirm your email address"/>
<%@ include file="head.jspf" %>
<c:choose>
<c:when test="${done && validated && reset}">
<h1 id="validated">Choose a new password</h1>
<p>If your Matrix app is waiting, go back to it and choose your new password there. Or choose it here; every session of your account is then signed out.</p>
<c:if test="${not empty error}">
<p id="form-error" class="error" role="alert"><c:out value="${error}"/></p>
</c:if>
<form id="reset" method="post" action="<c:out value='${resetAction}'/>">
<input type="hidden" name="csrf" value="<c:out value='${csrf}'/>">
<input type="hidden" name="sid" value="<c:out value='${sid}'/>">
<input type="hidden" name="client_secret" value="<c:out value='${clientSecret}'/>">
<p>
<label for="new_password">New password</label>
<input id="new_password" name="new_password" type="password" autocomplete="new-password" required>
</p>
<p>
<label for="new_password_confirm">New password again</label>
<input id="new_password_confirm" name="new_password_confirm" type="password" autocomplete="new-password" required>
</p>
<p><button type="submit">Change password</button></p>
</form>
</c:when>
<c:when test="${done && validated}">
<h1 id="validated">Email address confirmed</h1>
<p>Go back to where you started, your Matrix app or the page where you are creating your account, and continue there.</p>
</c:when>
<c:when test="${done}">
<h1>This link does not work</h1>
<p id="error" class="error" role="alert">The link was already used, has expired, or is not complete. Ask your app to send a new email.</p>
</c:when>
<c:otherwise>
<h1>Confirm your email address</h1>
<p>Confirm that this email address is yours, for your account on <c:out value="${serverName}"/>.</p>
<c:if test="${not empty nextHost}">
<p id="next-host">Then you continue to <strong><c:out value="${nextHost}"/></strong>.</p>
</c:if>
<form id="validate" method="post" action="validate">
<input type="hidden" name="csrf" value="<c:out value='${csrf}'/>">
<input type="hidden" name="sid" value="<c:out value='${sid}'/>">
<input type="hidden" name="client_secret" value="<c:out value='${clientSecret}'/>">
<input type="hidden" name="token" value="<c:out value='${token}'/>">
<p><button type="submit">Confirm</button></p>
</form>
</c:otherwise>
</c:choose>
<%@ include file="foot.jspf" %>
