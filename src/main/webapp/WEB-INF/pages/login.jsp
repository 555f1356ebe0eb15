<%@ page contentType="text/html;charset=UTF-8" pageEncoding="UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<c:set var="title" value="Sign in"/>
<%@ include file="head.jspf" %>
<h1>Sign in to <c:out value="${serverName}"/></h1>
<c:if test="${not empty error}">
<p id="form-error" class="error" role="alert"><c:out value="${error}"/></p>
</c:if>
<form id="login" method="post" action="<c:out value='${action}'/>">
<input type="hidden" name="csrf" value="<c:out value='${csrf}'/>">
<p>
<label for="username">Username or Matrix ID</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required
       value="<c:out value='${username}'/>"<c:if test="${not empty error}"> aria-invalid="true" aria-describedby="form-error"</c:if><c:if test="${empty username}"> autofocus</c:if>>
</p>
<p>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required<c:if test="${not empty error}"> aria-invalid="true" aria-describedby="form-error"</c:if><c:if test="${not empty username}"> autofocus</c:if>>
</p>
<p><button type="submit">Sign in</button></p>
</form>
<c:if test="${not empty forgotLink}">
<p><a id="forgot-password" href="<c:out value='${forgotLink}'/>">Forgot your password?</a></p>
</c:if>
<c:if test="${not empty registerLink}">
<p>No account on <c:out value="${serverName}"/>? <a href="<c:out value='${registerLink}'/>">Create one</a></p>
</c:if>
<%@ include file="foot.jspf" %>
