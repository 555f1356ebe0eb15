<%@ page contentType="text/html;charset=UTF-8" pageEncoding="UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<c:set var="title" value="Create an account"/>
<%@ include file="head.jspf" %>
<h1>Create an account on <c:out value="${serverName}"/></h1>
<c:if test="${not empty error}">
<p id="form-error" class="error" role="alert"><c:out value="${error}"/></p>
</c:if>
<form id="register" method="post" action="<c:out value='${action}'/>">
<input type="hidden" name="csrf" value="<c:out value='${csrf}'/>">
<p>
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required
       aria-describedby="username-help<c:if test="${errorField == 'username'}"> form-error</c:if>"<c:if test="${errorField == 'username'}"> aria-invalid="true"</c:if>
       value="<c:out value='${username}'/>" autofocus>
<span id="username-help" class="help">Your Matrix ID will be @username:<c:out value="${serverName}"/>. Use a-z, 0-9 and . _ = - / +</span>
</p>
<p>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="new-password" required<c:if test="${errorField == 'password'}"> aria-invalid="true" aria-describedby="form-error"</c:if>>
</p>
<p>
<label for="password_confirm">Password again</label>
<input id="password_confirm" name="password_confirm" type="password" autocomplete="new-password" required<c:if test="${errorField == 'password_confirm'}"> aria-invalid="true" aria-describedby="form-error"</c:if>>
</p>
<c:if test="${emailField}">
<p>
<label for="email">Email address<c:if test="${not requiresEmail}"> (optional)</c:if></label>
<input id="email" name="email" type="email" autocomplete="email" autocapitalize="none" spellcheck="false"<c:if test="${requiresEmail}"> required</c:if>
       aria-describedby="email-help<c:if test="${errorField == 'email'}"> form-error</c:if>"<c:if test="${errorField == 'email'}"> aria-invalid="true"</c:if>
       value="<c:out value='${email}'/>">
<span id="email-help" class="help">We send it a link and a code to confirm it<c:if test="${not requiresEmail}">; with an address you can reset a forgotten password</c:if>.</span>
</p>
</c:if>
<c:if test="${requiresToken}">
<p>
<label for="registration_token">Registration token</label>
<input id="registration_token" name="registration_token" type="text" autocomplete="off" autocapitalize="none" spellcheck="false" required
       aria-describedby="token-help<c:if test="${errorField == 'registration_token'}"> form-error</c:if>"<c:if test="${errorField == 'registration_token'}"> aria-invalid="true"</c:if>>
<span id="token-help" class="help">This server admits new accounts by invitation: enter the token you were given.</span>
</p>
</c:if>
<p><button type="submit">Create account</button></p>
</form>
<p>Already have an account? <a href="<c:out value='${loginLink}'/>">Sign in</a></p>
<%@ include file="foot.jspf" %>
