<%@ page contentType="text/html;charset=UTF-8" pageEncoding="UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<c:set var="title" value="Check your email"/>
<%@ include file="head.jspf" %>
<c:choose>
<c:when test="${expired}">
<h1 id="expired">This registration has expired</h1>
<c:if test="${not empty error}">
<p id="form-error" class="error" role="alert"><c:out value="${error}"/></p>
</c:if>
<p>The email's link and code work for a limited time, and only in the browser where you filled in the form. <a id="restart" href="<c:out value='${restartLink}'/>">Start again</a>.</p>
</c:when>
<c:otherwise>
<h1>Check your email</h1>
<p id="sent">We sent an email to <strong><c:out value="${address}"/></strong> to confirm that it is yours. Your account <c:out value="${userId}"/> is created once it is confirmed.</p>
<c:if test="${not empty error}">
<p id="form-error" class="error" role="alert"><c:out value="${error}"/></p>
</c:if>
<form id="confirm-email" method="post" action="<c:out value='${action}'/>">
<input type="hidden" name="csrf" value="<c:out value='${csrf}'/>">
<p>
<label for="code">Code from the email</label>
<input id="code" name="code" type="text" autocomplete="one-time-code" autocapitalize="none" spellcheck="false"
       aria-describedby="code-help<c:if test="${errorField == 'code'}"> form-error</c:if>"<c:if test="${errorField == 'code'}"> aria-invalid="true"</c:if> autofocus>
<span id="code-help" class="help">Or open the link in the email (on any device), confirm there, and leave this empty.</span>
</p>
<p><button type="submit">Continue</button></p>
</form>
<p>No email? Check your spam folder, or <a id="restart" href="<c:out value='${restartLink}'/>">start again</a> with another address.</p>
</c:otherwise>
</c:choose>
<%@ include file="foot.jspf" %>
