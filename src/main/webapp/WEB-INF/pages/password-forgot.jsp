<%@ page contentType="text/html;charset=UTF-8" pageEncoding="UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<c:set var="title" value="Forgot your password?"/>
<%@ include file="head.jspf" %>
<c:choose>
<c:when test="${changed}">
<h1 id="changed">Password changed</h1>
<p>Sign in with your new password. Every session of your account was signed out.</p>
</c:when>
<c:when test="${sent}">
<h1 id="sent">Check your email</h1>
<p>If an account on <c:out value="${serverName}"/> has this address, it has been sent a link to reset the password. The link works once, for <c:out value="${minutes}"/> minutes.</p>
</c:when>
<c:otherwise>
<h1>Forgot your password?</h1>
<p>Enter the email address of your account on <c:out value="${serverName}"/>; we will send it a link to choose a new password.</p>
<c:if test="${not empty error}">
<p id="form-error" class="error" role="alert"><c:out value="${error}"/></p>
</c:if>
<form id="forgot" method="post" action="forgot">
<input type="hidden" name="csrf" value="<c:out value='${csrf}'/>">
<p>
<label for="email">Email address</label>
<input id="email" name="email" type="email" autocomplete="email" required autofocus value="<c:out value='${email}'/>"<c:if test="${not empty error}"> aria-invalid="true" aria-describedby="form-error"</c:if>>
</p>
<p><button type="submit">Send the link</button></p>
</form>
</c:otherwise>
</c:choose>
<%@ include file="foot.jspf" %>
